"""Answers as applicants and caseworkers read them: labels and values in the active language."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from applications.countries import country_name
from applications.schema import is_answered, localized, sections, visible_fields


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    value: Any  # str, date or Decimal: the template localises dates and numbers
    answered: bool


@dataclass(frozen=True)
class AnswerSection:
    key: str
    title: str
    rows: list[AnswerRow]


def _choice_label(field: dict, value: str, language: str | None = None) -> str:
    for choice in field.get("validation", {}).get("choices", []):
        if choice["value"] == value:
            return localized(choice["label"], language)
    return value


def display_value(field: dict, value: Any, language: str | None = None) -> Any:
    if not is_answered(value):
        return ""
    try:
        return _typed_display_value(field, value, language)
    except (TypeError, ValueError, ArithmeticError):
        # A permit type's file may change a field's type while drafts hold answers of the old
        # type: show the answer as it was saved (the missing list asks to check it), never fail.
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _typed_display_value(field: dict, value: Any, language: str | None = None) -> Any:
    field_type = field["type"]
    if field_type == "date":
        return datetime.date.fromisoformat(value)
    if field_type == "number":
        return Decimal(str(value))
    if field_type == "boolean":
        return _("Yes") if value else _("No")
    if field_type == "choice":
        return _choice_label(field, value, language)
    if field_type == "multichoice":
        return ", ".join(_choice_label(field, item, language) for item in value)
    if field_type == "country":
        return country_name(value)
    return value


def answer_sections(schema: dict, answers: dict[str, Any]) -> list[AnswerSection]:
    """Every section with the fields that apply to these answers, answered or not."""
    # The active language read once, not for each of a case's dozens of labels (get_language()
    # reads a context-local variable through asgiref's Local: a few microseconds each time).
    language = get_language() or "en"
    return [
        AnswerSection(
            key=section["key"],
            title=localized(section["title"], language),
            rows=[
                AnswerRow(
                    key=field["key"],
                    label=localized(field["label"], language),
                    value=display_value(field, answers.get(field["key"]), language),
                    answered=is_answered(answers.get(field["key"])),
                )
                for field in visible_fields(section, answers)
            ],
        )
        for section in sections(schema)
    ]


def missing_item_text(item) -> str:
    """One line of "What is still missing" (applications.services.MissingItem), also used in the
    error summary of a refused submission."""
    if item.kind == "attachment":
        return ngettext(
            "Attachment: %(label)s (%(count)s more file needed)",
            "Attachment: %(label)s (%(count)s more files needed)",
            item.count_missing,
        ) % {"label": item.label, "count": item.count_missing}
    if item.kind == "invalid":
        return _("%(section)s: check the answer “%(label)s”") % {
            "section": item.section_title,
            "label": item.label,
        }
    return _("%(section)s: %(label)s is not answered") % {
        "section": item.section_title,
        "label": item.label,
    }
