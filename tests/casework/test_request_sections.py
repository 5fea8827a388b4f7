"""The case page's requests for supplementary information written in Python
(casework_tags.request_sections) are byte for byte the markup the template loop wrote: the days
requested and due in the page's time zone, overdue, the message, the answer (late or not) or
closed without one."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

# The loop as it was in casework/case.html before request_sections.
TEMPLATE_LOOP = """{% load i18n %}{% for item in application.request_list %}
<section class="request{% if item.is_overdue %} overdue{% endif %}">
  <h3>{% blocktranslate with date=item.created_at|date deadline=item.deadline|date %}Requested {{ date }}, deadline {{ deadline }}{% endblocktranslate %}</h3>
  {% if item.is_overdue %}<p><strong>{% translate "Overdue: no answer by the deadline." %}</strong></p>{% endif %}
  <p class="preserve-lines">{{ item.message }}</p>
  {% if item.answered_at %}
    <p><strong>{% blocktranslate with date=item.answered_at|date %}Answered {{ date }}{% endblocktranslate %}</strong>{% if item.answered_late %} – <strong class="status status-warning">{% translate "late: after the deadline" %}</strong>{% endif %}</p>
    {% with answer=item.answer %}{% if answer %}<p class="preserve-lines">{{ answer }}</p>{% endif %}{% endwith %}
  {% elif item.closed_at %}<p>{% translate "Closed without an answer." %}</p>{% endif %}
</section>
{% endfor %}"""
WRITTEN = "{% load casework_tags %}{% request_sections requests %}"
AT = datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC)


def _request(**values):
    defaults = {
        "created_at": AT,
        "deadline": datetime.date(2027, 1, 14),
        "is_overdue": False,
        "message": 'Send the <contract> & "more".\nSecond line',
        "answered_at": None,
        "answered_late": False,
        "answer": "",
        "closed_at": None,
    }
    return SimpleNamespace(**{**defaults, **values})


REQUESTS = [
    _request(),
    _request(is_overdue=True),
    _request(answered_at=AT, answer="Here <it> is", closed_at=AT),
    _request(answered_at=AT, answered_late=True, answer="", closed_at=AT),
    _request(closed_at=AT),
]


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
@pytest.mark.parametrize("requests", [REQUESTS, REQUESTS[2:3], []])
def test_the_request_sections_are_the_template_loops_markup(language, requests):
    with translation.override(language), timezone.override("Europe/Helsinki"):
        expected = Template(TEMPLATE_LOOP).render(
            Context({"application": {"request_list": requests}})
        )
        written = Template(WRITTEN).render(Context({"requests": requests}))
    assert written == expected
    assert written.count("<section") == len(requests)
