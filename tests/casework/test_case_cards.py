"""The home page's cards of sent applications written in Python (casework_tags.case_cards) are
the markup the template loop wrote: link, name, number, status as both sides name it, the day
sent in the page's time zone, the timeline."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from applications.selectors import applications_for_applicant
from tests.markup import without_layout_whitespace

pytestmark = pytest.mark.django_db

# The loop as it was in applications/home.html before case_cards.
TEMPLATE_LOOP = """{% load i18n applications_tags casework_tags %}
  {% translate "Case number" as case_number_label %}{% translate "Status" as status_text %}{% translate "Sent" as sent_label %}{% translate "Timeline" as timeline_title %}
  {% for case in cases %}
  <section class="card" aria-labelledby="case-{{ case.pk }}-title">
    <h3 id="case-{{ case.pk }}-title"><a href="{% url 'cases:detail' case.pk %}">{{ case.permit_type.localized_name }}</a></h3>
    <dl class="summary-list">
      <dt>{{ case_number_label }}</dt><dd>{{ case.case_number }}</dd>
      <dt>{{ status_text }}</dt><dd><span class="status">{{ case|status_label }}</span></dd>
      <dt>{{ sent_label }}</dt><dd>{{ case.submitted_at|date }}</dd>
    </dl>
    <h4>{{ timeline_title }}</h4>
    <ol class="timeline">{% case_event_items case.timeline %}
    </ol>
  </section>
  {% endfor %}"""


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_case_cards_are_the_template_loops_markup(
    waiting, submit_case, applicant, caseworker, language
):
    from casework.services import case_take

    case_take(application=submit_case(applicant), actor=caseworker)
    submit_case(applicant)
    cases = [case for case in applications_for_applicant(applicant)[0] if not case.is_draft]
    assert len(cases) == 3
    with translation.override(language), timezone.override("Europe/Helsinki"):
        expected = Template(TEMPLATE_LOOP).render(Context({"cases": cases}))
        written = Template("{% load casework_tags %}{% case_cards cases %}").render(
            Context({"cases": cases})
        )
    assert without_layout_whitespace(written) == without_layout_whitespace(expected)
    assert written.count('<section class="card"') == 3
