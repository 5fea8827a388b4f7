"""Form widgets rendered in Python: byte for byte the HTML of Django's own widget templates, without
a template include per widget and per option.

Django renders every widget through templates: an <input> is input.html including attrs.html, and a
<select> includes select_option.html (and attrs.html) once per option, so the country lists of the
application form cost about a thousand template includes a page. The functions below write the
same markup directly. settings.FORM_RENDERER names the renderer; a widget template it does not know
(a custom widget's, or the clearable file input's) is still rendered by its template.
tests/core/test_form_rendering.py compares the output with Django's template renderer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
_INPUTS = (
    "input checkbox color date datetime email file hidden number password search tel text time url"
)


def _value(value) -> str:
    """`{{ value }}` in an autoescaping template."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe, escapes anything else."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """attrs.html."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _input_option(widget: dict) -> str:
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    element_id = widget["attrs"].get("id")
    label_for = f' for="{_value(element_id)}"' if element_id else ""
    return f"<label{label_for}>{_input(widget)} {_value(widget['label'])}</label>\n"


def _included_option(widget: dict) -> str:
    return _input_option(widget) + "\n"


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_value(value) if value else ''}</textarea>\n"
    )


def _select_option(widget: dict) -> str:
    return (
        f'<option value="{_formatted(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_value(widget['label'])}</option>\n"
    )


class PythonWidgetRenderer(DjangoTemplates):
    """Django's default form renderer, with the common widget templates written in Python."""

    def __init__(self):
        super().__init__()
        self._python: dict[str, Callable[[dict], str]] = {
            **{f"{WIDGETS}{name}.html": _input for name in _INPUTS.split()},
            f"{WIDGETS}input_option.html": _input_option,
            # Each includes input_option.html and adds its own line end.
            f"{WIDGETS}radio_option.html": _included_option,
            f"{WIDGETS}checkbox_option.html": _included_option,
            **{
                f"{WIDGETS}{name}.html": self._multiple_input
                for name in ("multiple_input", "radio", "checkbox_select")
            },
            f"{WIDGETS}select.html": self._select,
            f"{WIDGETS}select_option.html": _select_option,
            f"{WIDGETS}textarea.html": _textarea,
        }

    def render(self, template_name, context, request=None):
        write = self._python.get(template_name)
        if write is None or request is not None or set(context) != {"widget"}:
            return super().render(template_name, context, request)
        return mark_safe(write(context["widget"]).strip())  # noqa: S308 (every value escaped)

    def _option(self, option: dict) -> str:
        """`{% include option.template_name with widget=option %}`."""
        write = self._python.get(option["template_name"])
        if write is None:
            return self.get_template(option["template_name"]).render({"widget": option})
        return write(option)

    def _select(self, widget: dict) -> str:
        parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_value(group_name)}">')
            for option in group_choices:
                parts.append("\n  " + self._option(option))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>\n")
        return "".join(parts)

    def _multiple_input(self, widget: dict) -> str:
        element_id = widget["attrs"].get("id")
        css_class = widget["attrs"].get("class")
        parts = [
            "<div",
            f' id="{_value(element_id)}"' if element_id else "",
            f' class="{_value(css_class)}"' if css_class else "",
            ">",
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{_value(group)}</label>")
            for option in options:
                parts.append(f"<div>\n    {self._option(option)}</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>\n")
        return "".join(parts)
