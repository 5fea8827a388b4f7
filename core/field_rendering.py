"""A form's fields as every page shows them: label (or a fieldset's legend), hint, error and control.

Written in Python rather than a template included once per field: the include and the template's
lookups cost more than the field itself (twice the time of this function on the check page's
three forms). A group of radios or checkboxes is a <fieldset> whose <legend> asks the question,
described by its hint and error; a label's `for` would point at the group's <div>, which no
assistive technology reads as the question. Every value is escaped; help texts are the forms' own
markup (as the `|safe` filter had them).
"""

from __future__ import annotations

import functools
import re

from django.forms import BaseForm, BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.form_rendering import PythonWidgetRenderer, escaped
from core.forms import field_specific_errors


def _described(bound_field: BoundField, auto_id: str, errors) -> tuple[str, str]:
    """The hint and error paragraphs, with the ids the control's aria-describedby names."""
    hint = ""
    if bound_field.help_text:
        hint = f'\n  <p class="hint" id="{auto_id}_helptext">{bound_field.help_text}</p>'
    error = ""
    if errors:
        text = " ".join(escaped(item) for item in field_specific_errors(bound_field))
        error = f'\n  <p class="error-message" id="{auto_id}_error">{text}</p>'
    return hint, error


@functools.cache
def _is_checkbox(widget_class: type) -> bool:
    """BoundField.widget_type == "checkbox", worked out once per widget class (it is a regular
    expression on the class name, per field and request)."""
    return re.sub(r"widget$|input$", "", widget_class.__name__.lower()) == "checkbox"


def field_html(bound_field: BoundField, words: dict[str, str] | None = None) -> SafeString:
    """`words`: the "(optional)" and "(required)" markers of the fields before, translated once
    per form rather than once per field."""
    words = {} if words is None else words
    # The lazily translated help text once: Django's aria-describedby and the hint below would
    # translate it three more times per field.
    bound_field.help_text = str(bound_field.help_text)
    raw_auto_id = bound_field.auto_id
    auto_id = escaped(raw_auto_id)
    label = escaped(bound_field.label)
    required = bound_field.field.required
    # A field a later step needs is not called optional where a form may save it blank (a
    # warning's Finnish and Swedish texts: a draft may lack them, publishing may not).
    marked = not required and getattr(bound_field.field, "mark_optional", True)
    optional = ""
    if marked:
        optional = words.get("optional") or words.setdefault(
            "optional", f' <span class="optional">({gettext("optional")})</span>'
        )
    # BoundField.errors builds an empty error list on each reading for a field without errors.
    errors = bound_field.errors
    error_class = " field-error" if errors else ""
    renderer = bound_field.form.renderer
    control = (
        renderer.bound_widget(bound_field, raw_auto_id, errors)
        if isinstance(renderer, PythonWidgetRenderer)
        else str(bound_field)
    )
    hint, error = _described(bound_field, auto_id, errors)
    if bound_field.field.widget.use_fieldset:
        described_by = bound_field.aria_describedby
        described = f' aria-describedby="{escaped(described_by)}"' if described_by else ""
        html = (
            f'<fieldset class="field{error_class}"{described}>\n'
            f"  <legend>{label}{optional}</legend>{hint}{error}\n  {control}\n</fieldset>\n"
        )
    elif _is_checkbox(type(bound_field.field.widget)):
        wanted = ""
        if required:
            wanted = words.get("required") or words.setdefault(
                "required", f' <span class="required">({gettext("required")})</span>'
            )
        html = (
            f'<div class="field{error_class}">\n'
            f'  {control} <label for="{auto_id}">{label}{wanted}</label>{hint}{error}\n</div>\n'
        )
    else:
        html = (
            f'<div class="field{error_class}">\n'
            f'  <label for="{auto_id}">{label}{optional}</label>{hint}{error}\n'
            f"  {control}\n</div>\n"
        )
    return mark_safe(html)  # noqa: S308 (label, ids and errors escaped; the rest is safe markup)


def form_fields_html(form: BaseForm) -> SafeString:
    # The hidden fields first, then the visible ones, each in the form's order
    # (form.hidden_fields() and form.visible_fields(), in one pass over the fields).
    hidden, visible = [], []
    words: dict[str, str] = {}
    for bound_field in form:
        if bound_field.is_hidden:
            hidden.append(str(bound_field))
        else:
            visible.append(field_html(bound_field, words))
    return mark_safe("".join(hidden) + "".join(visible))  # noqa: S308 (each part escaped above)
