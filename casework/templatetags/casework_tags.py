"""Template tags the e-service's pages use to show casework facts without the applications app
importing casework: the home page lists the applicant's sent applications' cards through a tag
(its open requests come through applications.hooks), and every page that shows a case's status
names it with `status_label`."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from applications.models import Status
from applications.templatetags.applications_tags import case_event_items
from casework.selectors import related_or_none
from core.dates import date_formatter
from core.safe_html import format_html

register = template.Library()


@register.filter
def status_label(case) -> str:
    """The case's status as both sides see it: "In processing again" once it is back from the
    applicant. A filter rather than an included template: the queue and the home page show it on
    every row, and an include costs a template render of its own each time."""
    if case.status == Status.IN_PROCESSING:
        case_file = related_or_none(case, "case_file")
        if case_file is not None and case_file.is_in_processing_again:
            return gettext("In processing again")
    return case.get_status_display()


_CASE_CARD = """
  <section class="card" aria-labelledby="case-{pk}-title">
    <h3 id="case-{pk}-title"><a href="{url}">{name}</a></h3>
    <dl class="summary-list">
      <dt>{number_label}</dt><dd>{number}</dd>
      <dt>{status_text}</dt><dd><span class="status">{status}</span></dd>
      <dt>{sent_label}</dt><dd>{sent}</dd>
    </dl>
    <h4>{timeline_title}</h4>
    <ol class="timeline">{timeline}
    </ol>
  </section>"""


@register.simple_tag(takes_context=True)
def case_cards(context, cases) -> str:
    """The applicant's home page: a card per sent application with its number, status (as
    `status_label` names it), the day it was sent and its timeline. Written here rather than a
    template loop: a dozen lookups, a URL and filters per case. The labels are translated once."""
    labels = {
        "number_label": gettext("Case number"),
        "status_text": gettext("Status"),
        "sent_label": gettext("Sent"),
        "timeline_title": gettext("Timeline"),
    }
    date = date_formatter(as_filter=True)
    cards = [
        format_html(
            _CASE_CARD,
            pk=case.pk,
            url=reverse("cases:detail", args=[case.pk]),
            name=case.permit_type.localized_name,
            number=case.case_number,
            status=status_label(case),
            # As the `date` filter shows it: in the page's time zone, nothing when not sent.
            sent=date(template_localtime(case.submitted_at, context.use_tz)),
            timeline=case_event_items(context, case.timeline),
            **labels,
        )
        for case in cases
    ]
    return mark_safe("".join(cards))  # noqa: S308 - each card built by format_html
