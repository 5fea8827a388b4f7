"""The permit-type schema validator refuses malformed schemas with a clear message per problem."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from applications.catalogue import DEFAULT_DIRECTORY
from applications.schema import (
    attachment_kinds,
    condition_holds,
    resolve_date_bound,
    schema_problems,
    validate_schema,
)


def t(text: str) -> dict:
    return {"fi": text, "sv": text, "en": text}


def minimal_schema() -> dict:
    return {
        "sections": [
            {
                "key": "personal",
                "title": t("Personal details"),
                "fields": [
                    {
                        "key": "family_name",
                        "type": "text",
                        "label": t("Family name"),
                        "required": True,
                    },
                    {
                        "key": "married",
                        "type": "boolean",
                        "label": t("Married?"),
                    },
                    {
                        "key": "spouse_name",
                        "type": "text",
                        "label": t("Spouse"),
                        "show_if": {"field": "married", "equals": True},
                    },
                ],
            }
        ],
        "attachments": [{"code": "passport_copy", "label": t("Passport"), "min_count": 1}],
    }


def problems_after(change) -> list[str]:
    schema = minimal_schema()
    change(schema)
    return schema_problems(schema)


def test_every_shipped_permit_type_has_a_valid_schema():
    files = sorted(Path(DEFAULT_DIRECTORY).glob("*.json"))
    assert len(files) >= 5
    for path in files:
        assert schema_problems(json.loads(path.read_text(encoding="utf-8"))["schema"]) == []


def test_a_minimal_schema_is_valid():
    validate_schema(minimal_schema())


def test_a_malformed_schema_raises_a_validation_error_listing_every_problem():
    schema = minimal_schema()
    schema["sections"][0]["fields"][0]["type"] = "txt"
    schema["attachments"][0]["min_count"] = -1
    with pytest.raises(ValidationError) as caught:
        validate_schema(schema)
    assert len(caught.value.messages) == 2
    assert caught.value.messages[0].startswith("sections[0].fields[0].type: unknown type 'txt'")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s.pop("sections"), "sections: must be a non-empty list"),
        (
            lambda s: s["sections"][0]["title"].pop("sv"),
            "sections[0].title: the sv text is missing",
        ),
        (
            lambda s: s["sections"][0]["fields"][1].update(key="family_name"),
            "duplicate field key 'family_name'",
        ),
        (
            lambda s: s["sections"][0]["fields"][0].update(key="Family Name"),
            "fields[0].key: must be",
        ),
        (
            lambda s: s["sections"][0]["fields"][0].update(validation={"min_value": 3}),
            "the rule 'min_value' does not apply to a text field",
        ),
        (
            lambda s: s["sections"][0]["fields"][0].update(validation={"pattern": "([a-z"}),
            "pattern: not a valid regular expression",
        ),
        (
            lambda s: s["sections"][0]["fields"][0].update(
                validation={"min_length": 5, "max_length": 2}
            ),
            "min_length is greater than max_length",
        ),
        (
            lambda s: s["sections"][0]["fields"][2].update(
                show_if={"field": "nobody", "equals": True}
            ),
            "refers to 'nobody', which is not an earlier field",
        ),
        (
            lambda s: s["sections"][0]["fields"][2].update(
                show_if={"field": "married", "equals": "yes"}
            ),
            "a yes/no field is compared with true or false",
        ),
        (
            lambda s: s["sections"][0]["fields"].append(
                {"key": "colour", "type": "choice", "label": t("Colour")}
            ),
            "a choice field needs a list of choices",
        ),
        (
            lambda s: s["sections"][0]["fields"].append(
                {
                    "key": "arrival",
                    "type": "date",
                    "label": t("Arrival"),
                    "validation": {"min_value": "tomorrow"},
                }
            ),
            'must be an ISO date, "today"',
        ),
        (lambda s: s["sections"][0].update(colour="red"), "unknown property 'colour'"),
        (lambda s: s["attachments"].append(s["attachments"][0]), "duplicate attachment code"),
        (lambda s: s["attachments"][0].pop("label"), "attachments[0].label: must be an object"),
    ],
)
def test_each_kind_of_mistake_is_reported_with_its_path(change, expected):
    problems = problems_after(change)
    assert any(expected in problem for problem in problems), problems


def test_a_choice_condition_must_name_one_of_the_choices():
    schema = minimal_schema()
    schema["sections"][0]["fields"].append(
        {
            "key": "contract",
            "type": "choice",
            "label": t("Contract"),
            "validation": {
                "choices": [{"value": "permanent", "label": t("Permanent")}],
            },
        }
    )
    schema["sections"][0]["fields"].append(
        {
            "key": "end",
            "type": "date",
            "label": t("End"),
            "show_if": {"field": "contract", "equals": "fixed"},
        }
    )
    assert any("'fixed' is not one of the choices" in p for p in schema_problems(schema))


def test_a_schema_that_is_not_an_object_is_refused():
    assert schema_problems([]) == ["schema: must be an object"]


def test_conditions_read_the_answers():
    field = minimal_schema()["sections"][0]["fields"][2]
    assert condition_holds(field, {"married": True})
    assert not condition_holds(field, {"married": False})
    assert not condition_holds(field, {})


def test_attachment_kinds_can_depend_on_answers():
    schema = copy.deepcopy(minimal_schema())
    schema["attachments"].append(
        {
            "code": "marriage_certificate",
            "label": t("Marriage certificate"),
            "min_count": 1,
            "show_if": {"field": "married", "equals": True},
        }
    )
    validate_schema(schema)
    assert [kind["code"] for kind in attachment_kinds(schema, {"married": True})] == [
        "passport_copy",
        "marriage_certificate",
    ]
    assert [kind["code"] for kind in attachment_kinds(schema, {})] == ["passport_copy"]


def test_date_bounds_are_relative_to_today_or_absolute():
    import datetime

    today = datetime.date(2030, 1, 10)
    assert resolve_date_bound("today", today) == today
    assert resolve_date_bound("today+5", today) == datetime.date(2030, 1, 15)
    assert resolve_date_bound("today-10", today) == datetime.date(2029, 12, 31)
    assert resolve_date_bound("2031-02-03", today) == datetime.date(2031, 2, 3)
