"""`{% submitted_form_fields form %}`: a submitted form's fields on the check page's answer, as
core.field_rendering.form_fields_html writes them, from a copy written once per shape.

The answer shows the checked message again in its form. Writing those fields with Django's
widgets (bound fields, widget contexts, attributes, renderer) was a tenth of the answer's CPU, for
markup that differs between two visitors only in the values typed into the text fields. So the
fields are written once per "shape" of the form, with a placeholder where each typed value goes,
and each answer fills in its values, escaped as the widget escapes them.

The shape is everything else the markup depends on: the form's class, prefix and settings, the
language, each widget's attributes (the check adds `lang` to the message's field), whether each
text field is empty, and the chosen value of each choice field (a valid form's choice is one of
the field's choices, so the shapes are few). Only forms that need nothing else are written this
way: a valid bound form whose class keeps Django's own __init__ (so its fields are its class's),
without initial values, whose fields are text inputs, text areas or single choices; any other
form, and any form with errors, is written by form_fields_html itself. A test compares the two
for many values, every channel and language, and the message's `lang`.
"""

from __future__ import annotations

from django import forms, template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.field_rendering import form_fields_html

register = template.Library()

# Private-use characters: no keyboard types them, and escaping leaves them as they are.
_PLACEHOLDER = "\ue000permitsafe-field-{}\ue000"
_TEXT_WIDGETS = (forms.TextInput, forms.Textarea)
# Shapes kept per process (a few dozen in practice); past this the fields are written in full.
MAX_SHAPES = 1024

# shape -> (the written markup split at the placeholders, the text fields in their order there)
_SHAPES: dict[tuple, tuple[tuple[str, ...], tuple[str, ...]]] = {}


@receiver(setting_changed)
def _forget_shapes(**kwargs) -> None:
    # Labels, languages and renderers come from settings; tests change them, production restarts.
    _SHAPES.clear()


def _uses_raw_value(field: forms.Field) -> bool:
    """BoundField.value() is the submitted string itself (Field's own bound_data and
    prepare_value), so the widget writes what was typed."""
    kind = type(field)
    return kind.bound_data is forms.Field.bound_data and (
        kind.prepare_value is forms.Field.prepare_value
    )


def _shape(form: forms.BaseForm) -> tuple[tuple, dict[str, str]] | None:
    """(the form's shape, each non-empty text field's value as the widget shows it), or None when
    the form is not one this module can write."""
    if (
        not form.is_bound
        or form.errors
        or form.initial
        or type(form).__init__ is not forms.BaseForm.__init__
    ):
        return None
    shape: list = [
        type(form),
        form.prefix,
        form.auto_id,
        form.label_suffix,
        form.use_required_attribute,
        get_language(),
    ]
    values: dict[str, str] = {}
    for name, field in form.fields.items():
        widget = field.widget
        if field.disabled or field.show_hidden_initial or widget.is_localized:
            return None
        if not _uses_raw_value(field):
            return None
        attrs = tuple(widget.attrs.items())
        if not all(isinstance(value, (str, bool, int)) for _name, value in attrs):
            return None
        raw = widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if type(widget) in _TEXT_WIDGETS:
            shown = widget.format_value(raw)
            if shown is not None:
                values[name] = shown
            shape.append((name, attrs, shown is not None))
        elif (
            isinstance(field, forms.ChoiceField)
            and not isinstance(field, forms.MultipleChoiceField)
            and isinstance(widget, forms.Select)
            and not widget.allow_multiple_selected
            and (raw is None or isinstance(raw, str))
        ):
            # Valid, so one of the field's choices (or empty): a handful of shapes.
            shape.append((name, attrs, raw))
        else:
            return None
    return tuple(shape), values


def _written(form: forms.BaseForm, shape: tuple, values: dict[str, str]):
    """The shape's markup split at the placeholders, written by form_fields_html for a form of the
    same class and shape with placeholders for the typed values; None when that form does not
    come out as the same shape (so the placeholders cannot stand for the values)."""
    placeholders = {name: _PLACEHOLDER.format(index) for index, name in enumerate(values)}
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        raw = field.widget.value_from_datadict(form.data, form.files, key)
        data[key] = placeholders.get(name, raw)
        if data[key] is None:
            del data[key]
    model = type(form)(
        data,
        prefix=form.prefix,
        auto_id=form.auto_id,
        label_suffix=form.label_suffix,
        use_required_attribute=form.use_required_attribute,
        renderer=form.renderer,
        error_class=form.error_class,
    )
    for name, field in model.fields.items():
        field.widget.attrs = dict(form.fields[name].widget.attrs)
    found = _shape(model)
    if found is None or found[0] != shape:
        return None
    html = str(form_fields_html(model))
    positions = []
    for name, placeholder in placeholders.items():
        if html.count(placeholder) != 1:
            return None
        positions.append((html.index(placeholder), name, placeholder))
    positions.sort()
    parts, order, start = [], [], 0
    for position, name, placeholder in positions:
        parts.append(html[start:position])
        order.append(name)
        start = position + len(placeholder)
    parts.append(html[start:])
    return tuple(parts), tuple(order)


@register.simple_tag
def submitted_form_fields(form: forms.BaseForm) -> SafeString:
    """form_fields_html(form), for a submitted form."""
    found = _shape(form)
    if found is None:
        return form_fields_html(form)
    shape, values = found
    written = _SHAPES.get(shape)
    if written is None:
        written = _written(form, shape, values)
        if written is None:
            return form_fields_html(form)
        if len(_SHAPES) < MAX_SHAPES:
            _SHAPES[shape] = written
    parts, order = written
    pieces = [parts[0]]
    for name, part in zip(order, parts[1:], strict=True):
        # As the widget writes a value: {{ widget.value }} (escaped unless already safe).
        pieces.append(conditional_escape(values[name]))
        pieces.append(part)
    return mark_safe("".join(pieces))  # noqa: S308 (the typed values escaped, the rest is the form's)
