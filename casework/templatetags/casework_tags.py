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
from core.form_rendering import escaped
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


_ATTACHMENT_ROW = """
    <tr>
      <td data-label="{file_label}">{file}</td>
      <td data-label="{kind_label_text}">{kind}{other}</td>
      <td data-label="{added_label}">{added} ({during})</td>
      <td data-label="{scan_label}"><span class="status">{scan}</span></td>
    </tr>
  """


@register.simple_tag(takes_context=True)
def attachment_rows(context, application, attachments, **labels) -> str:
    """The case page's table of attached files: a row per (attachment, its kind's label, whether
    it is offered for download), the file linked where it is. Written here rather than a template
    loop: a dozen lookups, a URL and a date filter per row. `labels` name the columns (translated
    once by the template for its header too); values are escaped as `{{ }}` escapes them."""
    date = date_formatter(as_filter=True)
    other = gettext("Other document")
    rows = []
    for attachment, kind_label, downloadable in attachments:
        document = attachment.document
        file = format_html("{}", document.original_filename)
        if downloadable:
            url = reverse("casework:document", args=[application.pk, attachment.document_id])
            file = format_html('<a href="{}">{}</a>', url, file)
        rows.append(
            format_html(
                _ATTACHMENT_ROW,
                file=file,
                kind=kind_label,
                other=other if attachment.kind == "other" else "",
                added=date(template_localtime(attachment.added_at, context.use_tz)),
                during=attachment.get_added_during_display(),
                scan=document.get_scan_status_display(),
                **labels,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row built by format_html


@register.simple_tag(takes_context=True)
def request_sections(context, requests) -> str:
    """The case page's requests for supplementary information: a <section> per request with the
    day requested and its deadline, whether it is overdue, its message and its answer (or that it
    was closed without one). Written here rather than a template loop of blocktranslate tags,
    date filters and conditions per request; values escaped as `{{ }}` escapes them."""
    date = date_formatter(as_filter=True)
    requested = gettext("Requested %(date)s, deadline %(deadline)s")
    sections = []
    for item in requests:
        overdue = item.is_overdue
        heading = requested % {
            "date": escaped(date(template_localtime(item.created_at, context.use_tz))),
            "deadline": escaped(date(template_localtime(item.deadline, context.use_tz))),
        }
        overdue_note = ""
        if overdue:
            overdue_note = format_html(
                "<p><strong>{}</strong></p>", gettext("Overdue: no answer by the deadline.")
            )
        outcome = ""
        if item.answered_at:
            answered = gettext("Answered %(date)s") % {
                "date": escaped(date(template_localtime(item.answered_at, context.use_tz)))
            }
            late = ""
            if item.answered_late:
                late = format_html(
                    ' – <strong class="status status-warning">{}</strong>',
                    gettext("late: after the deadline"),
                )
            answer = item.answer
            answer_html = format_html('<p class="preserve-lines">{}</p>', answer) if answer else ""
            outcome = f"\n    <p><strong>{answered}</strong>{late}</p>\n    {answer_html}\n  "
        elif item.closed_at:
            outcome = format_html("<p>{}</p>", gettext("Closed without an answer."))
        sections.append(
            format_html(
                '\n<section class="request{}">\n  <h3>{}</h3>\n  {}\n'
                '  <p class="preserve-lines">{}</p>\n  {}\n</section>\n',
                " overdue" if overdue else "",
                mark_safe(heading),  # noqa: S308 - the translation with its values escaped
                overdue_note,
                item.message,
                mark_safe(outcome),  # noqa: S308 - each part built by format_html or escaped
            )
        )
    return mark_safe("".join(sections))  # noqa: S308 - each section built by format_html
