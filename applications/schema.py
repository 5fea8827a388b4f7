"""The permit-type schema: its validator and helpers that read it (sections, fields, conditions).

A schema is data, written by the authority's staff in JSON: texts inside it carry their own fi, sv
and en versions instead of going through gettext. `validate_schema` refuses a malformed schema with
one message per problem, each prefixed with the path of the offending item.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

LANGUAGES = ("fi", "sv", "en")
FIELD_TYPES = (
    "text",
    "textarea",
    "date",
    "email",
    "phone",
    "number",
    "choice",
    "multichoice",
    "boolean",
    "country",
)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
DATE_BOUND_PATTERN = re.compile(r"^today(?:([+-])(\d{1,5}))?$")
_LENGTH_RULES = {"min_length", "max_length", "pattern", "pattern_message"}
# Which validation rules each field type understands; anything else is a typo worth refusing.
ALLOWED_RULES = {
    "text": _LENGTH_RULES,
    "textarea": _LENGTH_RULES,
    "email": {"max_length"},
    "phone": _LENGTH_RULES,
    "number": {"min_value", "max_value", "decimal_places"},
    "date": {"min_value", "max_value"},
    "choice": {"choices"},
    "multichoice": {"choices", "min_length", "max_length"},
    "boolean": set(),
    "country": set(),
}
SCHEMA_KEYS = {"sections", "attachments"}
SECTION_KEYS = {"key", "title", "description", "fields"}
FIELD_KEYS = {"key", "type", "label", "help", "required", "validation", "show_if", "messages"}
# A field may word its own errors ("Enter your passport number"); the form words the rest.
MESSAGE_CODES = {"required", "invalid"}
ATTACHMENT_KEYS = {"code", "label", "help", "min_count", "show_if"}


def localized(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the current (or given) language, falling back to English, then any language."""
    if not texts:
        return ""
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def resolve_date_bound(bound: str, today: datetime.date | None = None) -> datetime.date:
    """ "today", "today+30", "today-6570" or an ISO date."""
    match = DATE_BOUND_PATTERN.match(bound)
    if match is None:
        return datetime.date.fromisoformat(bound)
    today = today or datetime.date.today()
    sign, days = match.groups()
    offset = datetime.timedelta(days=int(days or 0))
    return today - offset if sign == "-" else today + offset


# --- Reading a (valid) schema -------------------------------------------------------------------


def sections(schema: dict) -> list[dict]:
    return schema.get("sections", [])


def section_by_key(schema: dict, key: str) -> dict | None:
    return next((section for section in sections(schema) if section["key"] == key), None)


def iter_fields(schema: dict) -> Iterator[tuple[dict, dict]]:
    """(section, field) pairs in the order the applicant sees them."""
    for section in sections(schema):
        for field in section["fields"]:
            yield section, field


def condition_holds(item: dict, answers: dict[str, Any]) -> bool:
    """Whether a field or attachment kind with an optional `show_if` applies, given the answers."""
    condition = item.get("show_if")
    if not condition:
        return True
    answer = answers.get(condition["field"])
    if isinstance(answer, list):
        return condition["equals"] in answer
    return answer == condition["equals"]


def visible_fields(section: dict, answers: dict[str, Any]) -> list[dict]:
    return [field for field in section["fields"] if condition_holds(field, answers)]


def attachment_kinds(schema: dict, answers: dict[str, Any]) -> list[dict]:
    """The attachment kinds that apply to these answers."""
    return [kind for kind in schema.get("attachments", []) if condition_holds(kind, answers)]


def is_answered(value: Any) -> bool:
    return value not in (None, "", [])


# --- Validation -----------------------------------------------------------------------------------


class _Problems:
    def __init__(self):
        self.messages: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.messages.append(f"{path}: {message}")


def _check_texts(problems: _Problems, path: str, texts: Any, *, required: bool = True) -> None:
    if texts is None and not required:
        return
    if not isinstance(texts, dict):
        problems.add(path, "must be an object with fi, sv and en texts")
        return
    for language in LANGUAGES:
        value = texts.get(language)
        if not isinstance(value, str) or not value.strip():
            problems.add(path, f"the {language} text is missing")
    for language in texts:
        if language not in LANGUAGES:
            problems.add(path, f"unknown language {language!r}")


def _check_unknown_keys(problems: _Problems, path: str, item: dict, allowed: set[str]) -> None:
    for key in sorted(set(item) - allowed):
        problems.add(path, f"unknown property {key!r}")


def _check_identifier(
    problems: _Problems, path: str, value: Any, seen, what: str, *, format_hint: str = ""
) -> bool:
    """A key or code: well formed and not seen before in its list. True when it is new and valid."""
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        problems.add(path, "must be lowercase letters, digits and _" + format_hint)
        return False
    if value in seen:
        problems.add(path, f"duplicate {what} {value!r}")
        return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_choices(problems: _Problems, path: str, choices: Any) -> None:
    if not isinstance(choices, list) or not choices:
        problems.add(path, "a choice field needs a non-empty list of choices")
        return
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        choice_path = f"{path}[{index}]"
        if not isinstance(choice, dict) or not isinstance(choice.get("value"), str):
            problems.add(choice_path, "each choice needs a string value and a label")
            continue
        if choice["value"] in seen:
            problems.add(choice_path, f"duplicate choice value {choice['value']!r}")
        seen.add(choice["value"])
        _check_unknown_keys(problems, choice_path, choice, {"value", "label"})
        _check_texts(problems, f"{choice_path}.label", choice.get("label"))


def _check_validation(problems: _Problems, path: str, field_type: str, rules: Any) -> None:
    if not isinstance(rules, dict):
        problems.add(path, "must be an object")
        return
    allowed = ALLOWED_RULES[field_type]
    for rule in sorted(set(rules) - allowed):
        problems.add(path, f"the rule {rule!r} does not apply to a {field_type} field")
    for rule in ("min_length", "max_length", "decimal_places"):
        if rule in rules and rule in allowed:
            value = rules[rule]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.add(f"{path}.{rule}", "must be a whole number of 0 or more")
    lengths = (rules.get("min_length"), rules.get("max_length"))
    if all(isinstance(value, int) for value in lengths) and lengths[0] > lengths[1]:
        problems.add(path, "min_length is greater than max_length")
    if "pattern" in rules and "pattern" in allowed:
        try:
            re.compile(rules["pattern"])
        except (re.error, TypeError) as error:
            problems.add(f"{path}.pattern", f"not a valid regular expression ({error})")
    if "pattern_message" in rules and "pattern_message" in allowed:
        _check_texts(problems, f"{path}.pattern_message", rules["pattern_message"])
    bounds = [rules.get("min_value"), rules.get("max_value")]
    if field_type == "number":
        for rule, value in zip(("min_value", "max_value"), bounds, strict=True):
            if value is not None and not _is_number(value):
                problems.add(f"{path}.{rule}", "must be a number")
        if all(_is_number(value) for value in bounds) and bounds[0] > bounds[1]:
            problems.add(path, "min_value is greater than max_value")
    if field_type == "date":
        for rule, value in zip(("min_value", "max_value"), bounds, strict=True):
            if value is None:
                continue
            try:
                resolve_date_bound(value)
            except (TypeError, ValueError):
                problems.add(
                    f"{path}.{rule}", 'must be an ISO date, "today" or "today+N"/"today-N"'
                )
    if field_type in ("choice", "multichoice"):
        _check_choices(problems, f"{path}.choices", rules.get("choices"))


def _check_condition(
    problems: _Problems, path: str, condition: Any, earlier_fields: dict[str, dict]
) -> None:
    if not isinstance(condition, dict) or set(condition) != {"field", "equals"}:
        problems.add(path, 'must be {"field": "<key>", "equals": <value>}')
        return
    controller = earlier_fields.get(condition["field"])
    if controller is None:
        problems.add(path, f"refers to {condition['field']!r}, which is not an earlier field")
        return
    expected = condition["equals"]
    if controller.get("type") == "boolean" and not isinstance(expected, bool):
        problems.add(path, "a yes/no field is compared with true or false")
    if controller.get("type") in ("choice", "multichoice"):
        rules = controller.get("validation")
        choices = rules.get("choices") if isinstance(rules, dict) else None
        values = {choice.get("value") for choice in (choices or []) if isinstance(choice, dict)}
        if expected not in values:
            problems.add(path, f"{expected!r} is not one of the choices of {condition['field']!r}")


def _check_field(problems: _Problems, path: str, field: Any, earlier: dict[str, dict]) -> None:
    if not isinstance(field, dict):
        problems.add(path, "must be an object")
        return
    _check_unknown_keys(problems, path, field, FIELD_KEYS)
    _check_identifier(
        problems,
        f"{path}.key",
        field.get("key"),
        earlier,
        "field key",
        format_hint=" (starting with a letter)",
    )
    field_type = field.get("type")
    if field_type not in FIELD_TYPES:
        problems.add(
            f"{path}.type", f"unknown type {field_type!r}; one of {', '.join(FIELD_TYPES)}"
        )
        return
    _check_texts(problems, f"{path}.label", field.get("label"))
    _check_texts(problems, f"{path}.help", field.get("help"), required=False)
    messages = field.get("messages", {})
    if not isinstance(messages, dict):
        problems.add(f"{path}.messages", "must be an object of texts by error code")
    else:
        _check_unknown_keys(problems, f"{path}.messages", messages, MESSAGE_CODES)
        for code, texts in messages.items():
            _check_texts(problems, f"{path}.messages.{code}", texts)
    if not isinstance(field.get("required", False), bool):
        problems.add(f"{path}.required", "must be true or false")
    if field_type in ("choice", "multichoice") and "validation" not in field:
        problems.add(f"{path}.validation.choices", "a choice field needs a list of choices")
    if "validation" in field:
        _check_validation(problems, f"{path}.validation", field_type, field["validation"])
    if "show_if" in field:
        _check_condition(problems, f"{path}.show_if", field["show_if"], earlier)


def _check_attachments(problems: _Problems, attachments: Any, fields: dict[str, dict]) -> None:
    if not isinstance(attachments, list):
        problems.add("attachments", "must be a list")
        return
    seen: set[str] = set()
    for index, kind in enumerate(attachments):
        path = f"attachments[{index}]"
        if not isinstance(kind, dict):
            problems.add(path, "must be an object")
            continue
        _check_unknown_keys(problems, path, kind, ATTACHMENT_KEYS)
        code = kind.get("code")
        if _check_identifier(problems, f"{path}.code", code, seen, "attachment code"):
            seen.add(code)
        _check_texts(problems, f"{path}.label", kind.get("label"))
        _check_texts(problems, f"{path}.help", kind.get("help"), required=False)
        min_count = kind.get("min_count", 0)
        if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 0:
            problems.add(f"{path}.min_count", "must be a whole number of 0 or more")
        if "show_if" in kind:
            _check_condition(problems, f"{path}.show_if", kind["show_if"], fields)


def schema_problems(schema: Any) -> list[str]:
    """Every problem in the schema, as "path: message" lines; empty when the schema is valid."""
    problems = _Problems()
    if not isinstance(schema, dict):
        problems.add("schema", "must be an object")
        return problems.messages
    _check_unknown_keys(problems, "schema", schema, SCHEMA_KEYS)
    section_list = schema.get("sections")
    if not isinstance(section_list, list) or not section_list:
        problems.add("sections", "must be a non-empty list")
        section_list = []
    fields: dict[str, dict] = {}
    section_keys: set[str] = set()
    for section_index, section in enumerate(section_list):
        path = f"sections[{section_index}]"
        if not isinstance(section, dict):
            problems.add(path, "must be an object")
            continue
        _check_unknown_keys(problems, path, section, SECTION_KEYS)
        key = section.get("key")
        if _check_identifier(problems, f"{path}.key", key, section_keys, "section key"):
            section_keys.add(key)
        _check_texts(problems, f"{path}.title", section.get("title"))
        _check_texts(problems, f"{path}.description", section.get("description"), required=False)
        field_list = section.get("fields")
        if not isinstance(field_list, list) or not field_list:
            problems.add(f"{path}.fields", "must be a non-empty list")
            continue
        for field_index, field in enumerate(field_list):
            _check_field(problems, f"{path}.fields[{field_index}]", field, fields)
            if isinstance(field, dict) and isinstance(field.get("key"), str):
                fields.setdefault(field["key"], field)
    _check_attachments(problems, schema.get("attachments", []), fields)
    return problems.messages


def validate_schema(schema: Any) -> None:
    """Raise ValidationError listing every problem when the schema is malformed."""
    problems = schema_problems(schema)
    if problems:
        raise ValidationError(problems)
