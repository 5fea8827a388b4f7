"""Form pieces every part shares: numbers as people type them, one-time code inputs, and error
messages that name the field instead of the framework's "This field is required"."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.numbers import number_example, parse_localized_decimal

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select)


def required_message(label: str, widget: forms.Widget | None = None) -> str:
    """What is missing, naming the field: a choice is chosen, a file is chosen, text is filled in."""
    if isinstance(widget, forms.CheckboxInput):
        return gettext("Tick the box “%(label)s”.") % {"label": label}
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return gettext("Choose a file for “%(label)s”.") % {"label": label}
    if isinstance(widget, CHOICE_WIDGETS):
        return gettext("Choose an answer for “%(label)s”.") % {"label": label}
    return gettext("Fill in “%(label)s”.") % {"label": label}


def number_message(label: str) -> str:
    return gettext("Enter “%(label)s” as a number, for example %(example)s.") % {
        "label": label,
        "example": number_example(),
    }


def _generic_messages(field: forms.Field, code: str) -> set[str]:
    """The framework's own texts for this code: these are the ones replaced on display."""
    texts = set()
    for klass in type(field).__mro__:
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            texts.add(str(message))
    return texts


def field_specific_errors(bound_field) -> list[str]:
    """The field's errors, with the framework's generic "required"/"invalid" texts replaced by ones
    that name the field. Forms with their own messages keep them."""
    field = bound_field.field
    label = str(bound_field.label or bound_field.name)
    generic_required = _generic_messages(field, "required")
    generic_invalid = _generic_messages(field, "invalid")
    messages = []
    for error in bound_field.errors:
        text = str(error)
        if text in generic_required:
            text = required_message(label, field.widget)
        elif text in generic_invalid and isinstance(field, forms.DecimalField | forms.IntegerField):
            text = number_message(label)
        messages.append(text)
    return messages


def summary_target_id(bound_field) -> str:
    """The id a link in the error summary goes to: the control itself, or the first option of a
    group of radios or checkboxes (whose own id is not on any element)."""
    if getattr(bound_field.field.widget, "use_fieldset", False):
        subwidgets = bound_field.subwidgets
        if subwidgets:
            return subwidgets[0].id_for_label or bound_field.auto_id
    return bound_field.id_for_label or bound_field.auto_id


def error_summary_entries(form_list) -> list[dict[str, str]]:
    """Each error of the forms as {"text", "target"}, in the order of the page."""
    entries: list[dict[str, str]] = []
    for form in form_list:
        if not form.errors:
            continue
        visible = form.visible_fields()
        first_target = summary_target_id(visible[0]) if visible else ""
        for error in form.non_field_errors():
            entries.append({"text": str(error), "target": first_target})
        for bound_field in form.hidden_fields():
            for error in bound_field.errors:
                entries.append({"text": str(error), "target": first_target})
        for bound_field in visible:
            target = summary_target_id(bound_field)
            for text in field_specific_errors(bound_field):
                entries.append({"text": text, "target": target})
    return entries


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed as the page's language writes it ("3 400,50"; core.numbers).

    Django's localize=True reads only the exact separator of its format files (a non-breaking
    space for Finnish), so "3 400,50" typed with a plain space would be refused."""

    default_error_messages = {"invalid": _("Enter a number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def widget_attrs(self, widget):
        # The browser's own number checks (step, min, max) speak the browser's language.
        attrs = super().widget_attrs(widget)
        for name in ("step", "min", "max"):
            attrs.pop(name, None)
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_localized_decimal(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class OneTimeCodeInput(forms.TextInput):
    """A code field: the phone's keypad shows digits, the browser may offer a code it received,
    and a wrong code is never typed back into the field after a failed attempt."""

    def __init__(self, attrs=None, *, numeric: bool = True):
        defaults = {
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "off",
        }
        if numeric:
            defaults["inputmode"] = "numeric"
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        return None


class ListedModelChoiceIterator(ModelChoiceIterator):
    """Django's, reading the queryset as a plain query. Django's calls queryset.iterator(), which
    on PostgreSQL streams through a server-side cursor (DECLARE, FETCH and CLOSE: three round trips
    and a cursor held WITH HOLD) to list a few dozen people."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for short lists (colleagues to assign a case to): one plain query."""

    iterator = ListedModelChoiceIterator
