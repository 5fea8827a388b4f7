"""The application's steps written in Python (applications_tags.steps_nav) are the markup the
template loop wrote: each part linked or marked current, then attachments and review."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.markup import without_layout_whitespace

# The include as it was before steps_nav.
TEMPLATE_LOOP = """{% load i18n %}<nav aria-label="{% translate 'Parts of the application' %}">
  <ol class="steps">
  {% for item in nav %}
    <li>{% if item.current %}<span aria-current="step"><strong>{{ item.title }}</strong></span>{% else %}<a href="{% url 'applications:section' application.pk item.key %}">{{ item.title }}</a>{% endif %}</li>
  {% endfor %}
    <li>{% if page == "attachments" %}<strong aria-current="step">{% translate "Attachments" %}</strong>{% else %}<a href="{% url 'applications:attachments' application.pk %}">{% translate "Attachments" %}</a>{% endif %}</li>
    <li>{% if page == "review" %}<strong aria-current="step">{% translate "Check and send" %}</strong>{% else %}<a href="{% url 'applications:review' application.pk %}">{% translate "Check and send" %}</a>{% endif %}</li>
  </ol>
</nav>"""

NAV = [
    {"key": "personal", "title": "Personal <details>", "current": False},
    {"key": "contact", "title": "Contact", "current": True},
]


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize(
    ("nav", "page"),
    [(NAV, ""), ([{**item, "current": False} for item in NAV], "attachments"), (NAV[:1], "review")],
)
def test_the_steps_are_the_template_loops_markup(language, nav, page):
    context = {"nav": nav, "application": SimpleNamespace(pk=42), "page": page}
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context(context))
        written = Template(
            "{% load applications_tags %}{% steps_nav nav application page %}"
        ).render(Context(context))
    assert without_layout_whitespace(written) == without_layout_whitespace(expected)
    assert "Personal &lt;details&gt;" in written
