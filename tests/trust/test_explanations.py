"""A finding explained in the reader's language, with its own sentence only translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from trust.engine import Finding
from trust.explanations import explain, explain_html

URGENCY = {
    "fi": "Viesti painostaa sinua toimimaan heti: ”Maksa &lt;heti&gt;”",
    "sv": "Meddelandet pressar dig att agera genast: ”Maksa &lt;heti&gt;”",
    "en": "The message pressures you to act at once: “Maksa &lt;heti&gt;”",
}


@pytest.mark.parametrize("language", ["fi", "sv", "en", "fi"])
def test_a_finding_is_explained_in_the_readers_language(language):
    finding = Finding("urgency", "high", {"text": "Maksa <heti>"})
    with translation.override(language):
        assert explain_html(finding) == URGENCY[language]
        quoted = explain_html(finding, "fi" if language != "fi" else "sv")
        assert '<span lang="' in quoted and "&lt;heti&gt;" in quoted


def test_explaining_a_finding_translates_its_own_sentence_not_every_sentence(gettext_calls):
    finding = Finding("urgency", "high", {"text": "Maksa heti"})
    with translation.override("fi"):
        gettext_calls.clear()
        explain(finding)
        explain_html(finding, "sv")
    assert gettext_calls == ["The message pressures you to act at once: “%(text)s”"] * 2
