"""Forms: one built from a schema section for each page of an application, and the fixed ones."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.countries import country_choices
from applications.schema import condition_holds, localized, resolve_date_bound, visible_fields
from core.authority import authority
from core.form_rendering import LongListSelect
from core.forms import LocalizedDecimalField, number_message, required_message
from core.phones import normalize_phone
from documents.forms import DocumentUploadForm

PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{4,24}$"
PHONE_MESSAGE = _("Enter a phone number, e.g. +358 40 1234567.")


def _possible_phone_number(value: str) -> None:
    """The pattern admits "040 12"; the SMS code is sent only to what core.phones reads as a
    number, so the applicant is told now rather than never receiving it."""
    if value and not normalize_phone(value, authority().country, valid_only=True):
        raise ValidationError(PHONE_MESSAGE, code="invalid")


YES, NO = "yes", "no"

# WCAG 1.3.5: the applicant's own details say what they are, so browsers can fill them in.
# Only the applicant's own: a family member's name (sponsor_*) is not the person's autofill.
AUTOCOMPLETE_TOKENS = {
    "family_name": "family-name",
    "given_names": "given-name",
    "date_of_birth": "bday",
    "email": "email",
    "phone": "tel",
    "address": "street-address",
    "country_of_residence": "country",
}
CHOICE_TYPES = {"choice", "multichoice", "boolean", "country"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends ISO dates; typed dates in that format work without one.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _choices(rules: dict) -> list[tuple[str, str]]:
    return [(choice["value"], localized(choice["label"])) for choice in rules.get("choices", [])]


def _length_validators(rules: dict, kwargs: dict) -> None:
    if "min_length" in rules:
        kwargs["min_length"] = rules["min_length"]
    if "max_length" in rules:
        kwargs["max_length"] = rules["max_length"]
    if "pattern" in rules:
        message = localized(rules.get("pattern_message")) or _(
            "Enter the value in the format described in the hint."
        )
        kwargs["validators"] = [RegexValidator(rules["pattern"], message=message)]


def _error_messages(field: dict, label: str) -> dict[str, str]:
    """Messages that name the field; the schema may word them itself (messages.required, …)."""
    own = {code: localized(texts) for code, texts in field.get("messages", {}).items()}
    field_type = field["type"]
    if field_type in CHOICE_TYPES:
        required = gettext("Choose an answer for “%(label)s”.") % {"label": label}
    else:
        required = required_message(label)
    messages = {
        "required": required,
        "max_length": gettext("“%(label)s” can be at most %%(limit_value)d characters long.")
        % {"label": label},
        "min_length": gettext("“%(label)s” must be at least %%(limit_value)d characters long.")
        % {"label": label},
    }
    if field_type == "number":
        messages["invalid"] = number_message(label)
        messages["min_value"] = gettext("“%(label)s” must be at least %%(limit_value)s.") % {
            "label": label
        }
        messages["max_value"] = gettext("“%(label)s” can be at most %%(limit_value)s.") % {
            "label": label
        }
        messages["max_decimal_places"] = gettext(
            "“%(label)s” can have at most %%(max)s decimals."
        ) % {"label": label}
    elif field_type == "date":
        messages["invalid"] = gettext("Enter “%(label)s” as a date, for example 1990-12-31.") % {
            "label": label
        }
    elif field_type == "email":
        messages["invalid"] = gettext("Enter “%(label)s” in the form name@example.com.") % {
            "label": label
        }
    elif field_type in CHOICE_TYPES:
        messages["invalid_choice"] = gettext("Choose one of the answers for “%(label)s”.") % {
            "label": label
        }
    return {**messages, **{code: text for code, text in own.items() if text}}


def _country_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country")), *country_choices()]


def form_field(field: dict, *, validates: bool = True) -> forms.Field:
    """A Django form field for one schema field; labels, help and errors in the active language.
    `validates=False` for a field of a form that is only shown (unbound): it never cleans a value,
    so its error messages (a dozen translations a field) are left at Django's defaults."""
    field_object = _form_field(field, validates)
    token = AUTOCOMPLETE_TOKENS.get(field["key"])
    if token:
        field_object.widget.attrs["autocomplete"] = token
    return field_object


def _form_field(field: dict, validates: bool) -> forms.Field:
    rules = field.get("validation", {})
    field_type = field["type"]
    label = localized(field["label"])
    kwargs: dict[str, Any] = {
        "label": label,
        "help_text": localized(field.get("help")),
        "required": field.get("required", False),
    }
    if validates:
        kwargs["error_messages"] = _error_messages(field, label)
    if field_type in ("text", "phone"):
        _length_validators(rules, kwargs)
        kwargs.setdefault("max_length", 200)
        if field_type == "phone":
            kwargs.setdefault(
                "validators",
                [RegexValidator(PHONE_PATTERN, message=PHONE_MESSAGE), _possible_phone_number],
            )
            return forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}), **kwargs)
        return forms.CharField(**kwargs)
    if field_type == "textarea":
        _length_validators(rules, kwargs)
        kwargs.setdefault("max_length", 4000)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **kwargs)
    if field_type == "email":
        return forms.EmailField(max_length=rules.get("max_length", 254), **kwargs)
    if field_type == "number":
        # "3 400,50" in Finnish and Swedish, "3,400.50" in English (core.numbers).
        return LocalizedDecimalField(
            min_value=rules.get("min_value"),
            max_value=rules.get("max_value"),
            decimal_places=rules.get("decimal_places", 2),
            max_digits=15,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **kwargs,
        )
    if field_type == "date":
        field_object = forms.DateField(widget=DateInput(), input_formats=["%Y-%m-%d"], **kwargs)
        if "min_value" in rules:
            field_object.schema_min = rules["min_value"]
        if "max_value" in rules:
            field_object.schema_max = rules["max_value"]
        return field_object
    if field_type == "choice":
        return forms.ChoiceField(choices=_choices(rules), widget=forms.RadioSelect, **kwargs)
    if field_type == "multichoice":
        return forms.MultipleChoiceField(
            choices=_choices(rules), widget=forms.CheckboxSelectMultiple, **kwargs
        )
    if field_type == "boolean":
        return forms.TypedChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=lambda value: value == YES,
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )
    if field_type == "country":
        # A function, not a list: Django normalizes a list of choices for every field it makes.
        return forms.ChoiceField(choices=_country_choices, widget=LongListSelect, **kwargs)
    raise ValueError(f"unknown field type {field_type!r}")


def to_form_value(field: dict, value: Any) -> Any:
    """A stored answer as the form shows it (and as a form's data, when answers are re-checked)."""
    if value is None:
        return None
    if field["type"] == "boolean":
        return YES if value else NO
    if field["type"] == "number":
        try:
            return Decimal(str(value))
        except ArithmeticError:
            # An answer saved before the field became a number: the form shows it to be corrected.
            return value
    return value


def to_stored_value(field: dict, value: Any) -> Any:
    """A cleaned form value as JSON stores it; None for an empty answer."""
    if value in (None, "", []):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


class SectionForm(forms.Form):
    """The fields of one section that apply to the answers.

    Pages have no script to reveal a field while the applicant types, so the page shows the fields
    that apply to the saved answers. When the submitted data changes a controlling answer in this
    section, a field it hides is left out of validation, and a field it reveals is validated only if
    the data carries it (a client that knows the schema); otherwise it is shown after saving."""

    def __init__(self, data=None, files=None, *, section: dict, answers: dict[str, Any], **kwargs):
        self.schema_fields = {field["key"]: field for field in visible_fields(section, answers)}
        self.displayed_keys = list(self.schema_fields)
        kwargs.setdefault(
            "initial",
            {
                key: to_form_value(field, answers.get(key))
                for key, field in self.schema_fields.items()
            },
        )
        super().__init__(data, files, **kwargs)
        for key, field in self.schema_fields.items():
            self.fields[key] = form_field(field, validates=self.is_bound)
        if self.is_bound:
            self._apply_submitted_conditions(section, answers)

    def _submitted_value(self, key: str) -> Any:
        widget = self.fields[key].widget
        value = widget.value_from_datadict(self.data, self.files, self.add_prefix(key))
        if self.schema_fields[key]["type"] == "boolean":
            return {YES: True, NO: False}.get(value)
        return value

    def _apply_submitted_conditions(self, section: dict, answers: dict[str, Any]) -> None:
        effective = dict(answers)
        fields = {}
        for field in section["fields"]:
            key = field["key"]
            if condition_holds(field, effective) and (
                key in self.fields or self.add_prefix(key) in self.data
            ):
                fields[key] = field
                self.fields[key] = self.fields.get(key) or form_field(field)
                self.schema_fields[key] = field
                effective[key] = self._submitted_value(key)
            else:
                self.fields.pop(key, None)
                self.schema_fields.pop(key, None)
                effective.pop(key, None)
        # Keep the schema's order for the fields that stay.
        self.fields = {key: self.fields[key] for key in fields}
        self.schema_fields = fields

    def clean(self):
        cleaned = super().clean()
        for key, field in self.fields.items():
            value = cleaned.get(key)
            if not isinstance(value, datetime.date):
                continue
            minimum = getattr(field, "schema_min", None)
            maximum = getattr(field, "schema_max", None)
            if minimum and value < resolve_date_bound(minimum):
                self.add_error(key, _("The date is too early."))
            elif maximum and value > resolve_date_bound(maximum):
                self.add_error(key, _("The date is too late."))
        return cleaned

    def stored_values(self) -> dict[str, Any]:
        return {
            key: to_stored_value(self.schema_fields[key], self.cleaned_data.get(key))
            for key in self.schema_fields
        }


class StartForm(forms.Form):
    permit_type = forms.ChoiceField(
        label=_("Permit type"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you want to apply for.")},
    )

    def __init__(self, *args, permit_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permit_type"].choices = [(item.code, item.name()) for item in permit_types]


class AttachmentForm(DocumentUploadForm):
    """One upload; the page shows one per kind of attachment, told apart by the form prefix.
    The documents form says when an upload was stopped for its size."""


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I declare that the information I have given is correct and complete. I know that "
            "giving false information to an authority is punishable."
        ),
        required=True,
        error_messages={"required": _("Confirm the declaration to send the application.")},
    )
