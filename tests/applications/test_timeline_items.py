"""The timelines written in Python (applications_tags.case_event_items on the home page,
timeline_list on the applicant's case page) are the markup the template loops wrote: the same
times in the page's time zone and language, labels escaped, links, and the empty timeline."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests.markup import without_layout_whitespace

# The loops as they were before the tags (home.html; casework/includes/case_timeline.html).
HOME_LOOP = """{% for event in case.timeline %}
      <li><time datetime="{{ event.at|date:'c' }}">{{ event.at|date:"SHORT_DATETIME_FORMAT" }}</time> – {{ event.get_kind_display }}</li>{% endfor %}"""
CASE_LOOP = """{% load i18n %}<ol class="timeline">
{% for entry in entries %}
  <li><time datetime="{{ entry.at|date:'c' }}">{{ entry.at|date }} {{ entry.at|time }}</time> – {% if entry.url %}<a href="{{ entry.url }}">{{ entry.label }}</a>{% else %}{{ entry.label }}{% endif %}</li>
{% empty %}
  <li>{% translate "No events yet." %}</li>
{% endfor %}
</ol>"""

MOMENTS = [
    datetime.datetime(2026, 1, 31, 22, 30, tzinfo=datetime.UTC),  # another day in Helsinki
    datetime.datetime(2026, 7, 1, 9, 5, 7, tzinfo=datetime.UTC),
]


def _event(moment, label):
    return SimpleNamespace(at=moment, get_kind_display=lambda: label)


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
@pytest.mark.parametrize("zone", ["Europe/Helsinki", "UTC"])
def test_the_home_pages_case_events_are_the_template_loops_markup(language, zone):
    case = SimpleNamespace(
        timeline=[_event(MOMENTS[0], "Application <sent>"), _event(MOMENTS[1], "Decision")]
    )
    with translation.override(language), timezone.override(zone):
        expected = Template(HOME_LOOP).render(Context({"case": case}))
        written = Template(
            "{% load applications_tags %}{% case_event_items case.timeline %}"
        ).render(Context({"case": case}))
    assert without_layout_whitespace(written) == without_layout_whitespace(expected)
    assert "Application &lt;sent&gt;" in written


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
@pytest.mark.parametrize(
    "entries",
    [
        [
            SimpleNamespace(at=MOMENTS[0], label="Submitted & checked", url=""),
            SimpleNamespace(at=MOMENTS[1], label="Secure reply", url="/securemail/7/?a=1&b=2"),
        ],
        [],
    ],
    ids=["entries", "empty"],
)
def test_the_case_pages_timeline_is_the_template_loops_markup(language, entries):
    with translation.override(language), timezone.override("Europe/Helsinki"):
        expected = Template(CASE_LOOP).render(Context({"entries": entries}))
        written = Template("{% load applications_tags %}{% timeline_list entries %}").render(
            Context({"entries": entries})
        )
    assert without_layout_whitespace(written) == without_layout_whitespace(expected)
