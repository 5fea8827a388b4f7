"""applications.display.answer_sections reads the active language once and shows every title,
label and choice in it (falling back to English as schema.localized does)."""

from __future__ import annotations

import pytest
from django.utils import translation

from applications.display import answer_sections


def texts(name: str) -> dict[str, str]:
    return {"fi": f"{name}-fi", "sv": f"{name}-sv", "en": f"{name}-en"}


SCHEMA = {
    "sections": [
        {
            "key": "part",
            "title": texts("part"),
            "fields": [
                {
                    "key": "pick",
                    "type": "choice",
                    "label": texts("pick"),
                    "validation": {"choices": [{"value": "a", "label": texts("a")}]},
                },
                {
                    "key": "many",
                    "type": "multichoice",
                    "label": {"en": "many-en"},
                    "validation": {
                        "choices": [
                            {"value": "a", "label": texts("a")},
                            {"value": "b", "label": texts("b")},
                        ]
                    },
                },
            ],
        }
    ]
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_text_is_in_the_active_language(language):
    with translation.override(language):
        [section] = answer_sections(SCHEMA, {"pick": "a", "many": ["a", "b"]})
    assert section.title == f"part-{language}"
    assert [row.label for row in section.rows] == [f"pick-{language}", "many-en"]
    assert [row.value for row in section.rows] == [
        f"a-{language}",
        f"a-{language}, b-{language}",
    ]
