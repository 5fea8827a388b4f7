"""The answers' summary list written in Python (applications_tags.answer_list) is the markup the
template loop wrote: the same headings, links, labels, localized values and escaping."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from applications.display import AnswerRow, AnswerSection
from tests.markup import without_layout_whitespace

# The include as it was before answer_list (applications/includes/answers.html).
TEMPLATE_LOOP = """{% load i18n %}{% for answer_section in answer_sections %}
<h3>{{ answer_section.title }}{% if editable %} <a class="small" href="{% url 'applications:section' application.pk answer_section.key %}">{% translate "Change" %}<span class="visually-hidden"> – {{ answer_section.title }}</span></a>{% endif %}</h3>
<dl class="answers summary-list">
{% for row in answer_section.rows %}
  <dt>{{ row.label }}</dt>
  <dd>{% if row.answered %}{{ row.value }}{% else %}<span class="hint">{% translate "Not answered" %}</span>{% endif %}</dd>
{% endfor %}
</dl>
{% endfor %}"""

SECTIONS = [
    AnswerSection(
        key="personal",
        title="Personal <details>",
        rows=[
            AnswerRow("born", "Date of birth", datetime.date(1991, 4, 17), True),
            AnswerRow("salary", "Salary & hours", Decimal("4200.50"), True),
            AnswerRow("name", "Name", "<b>Lan</b> & Thi", True),
            AnswerRow("spouse", "Spouse", "", False),
        ],
    ),
    AnswerSection(key="empty", title="Background", rows=[]),
]


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
@pytest.mark.parametrize("editable", [True, False])
def test_the_answer_list_is_the_template_loops_markup(language, editable):
    context = {
        "answer_sections": SECTIONS,
        "editable": editable,
        "application": SimpleNamespace(pk=42),
    }
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context(context))
        written = Template(
            "{% load applications_tags %}{% answer_list answer_sections editable application %}"
        ).render(Context(context))
    assert without_layout_whitespace(written) == without_layout_whitespace(expected)
    assert "&lt;b&gt;Lan&lt;/b&gt; &amp; Thi" in written
