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

import functools
import html
from collections.abc import Callable
from typing import NamedTuple

from django.forms import BoundField, MultiValueField
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.forms.widgets import Input, Select, Widget
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

WIDGETS = "django/forms/widgets/"
_INPUTS = (
    "input checkbox color date datetime email file hidden number password search tel text time url"
)


def escaped(value) -> str:
    """django.utils.html.conditional_escape(): the same text, without the check for lazy arguments
    that its escape() makes on every call (a third of the cost of the widgets on a form page)."""
    if type(value) is str:  # most values: a plain str has no __html__ (a SafeString is a subclass)
        return html.escape(value)
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _value(value) -> str:
    """`{{ value }}` in an autoescaping template."""
    if type(value) is str:  # most values: neither localized nor converted
        return html.escape(value)
    value = localize(template_localtime(value))
    return escaped(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe, escapes anything else."""
    if type(value) is str:  # most values: "%s" % a plain str is itself, and it is not safe
        return html.escape(value)
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else escaped(text)


@functools.lru_cache(maxsize=512)
def _attr_name(name) -> str:
    """An attribute's name, escaped: the names are the code's own few (id, required, rows...),
    escaped once each rather than on every widget of every page."""
    return escaped(name)


def _attrs(attrs: dict) -> str:
    """attrs.html."""
    return "".join(
        f" {_attr_name(name)}" + ("" if value is True else f'="{_formatted(value)}"')
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


@functools.cache
def _plain(widget_class: type) -> bool:
    """Whether a widget class renders as Django's Input or Textarea do: its context is theirs
    and its rendering goes to the renderer with it (a custom widget that changes either is
    rendered by Django)."""
    return (
        widget_class.get_context in (Input.get_context, Widget.get_context)
        and widget_class.render is Widget.render
        and widget_class._render is Widget._render
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
            f"{WIDGETS}clearable_file_input.html": self._clearable_file_input,
        }

    def render(self, template_name, context, request=None):
        write = self._python.get(template_name)
        if write is None or request is not None or len(context) != 1 or "widget" not in context:
            return super().render(template_name, context, request)
        return mark_safe(write(context["widget"]).strip())  # noqa: S308 (every value escaped)

    def bound_widget(self, bound_field: BoundField, auto_id: str, errors) -> str:
        """str(bound_field): BoundField.as_widget() for a field of a form using this renderer, given
        its auto_id and errors as the caller read them. A plain input or textarea is written from
        the attributes as_widget() builds (build_widget_attrs), without reading the field's
        auto_id and errors again per attribute (each a new empty ErrorList), the widget's context
        dict and the template dispatch: a third of a field's rendering. Any other widget (one with
        options, a custom one, a field of several widgets), str(bound_field).
        tests/core/test_form_rendering.py compares the two."""
        field = bound_field.field
        widget = field.widget
        write = self._python.get(widget.template_name) if _plain(type(widget)) else None
        if write not in (_input, _textarea) or isinstance(field, MultiValueField):
            return str(bound_field)
        if field.localize:
            widget.is_localized = True
        # BoundField.build_widget_attrs(), for a widget that is not a MultiWidget.
        attrs = {}
        form = bound_field.form
        if (
            widget.use_required_attribute(bound_field.initial)
            and field.required
            and form.use_required_attribute
        ):
            attrs["required"] = True
        if field.disabled:
            attrs["disabled"] = True
        hidden = widget.is_hidden
        if not hidden and errors:
            attrs["aria-invalid"] = "true"
        # BoundField.aria_describedby (None where the widget's attrs name their own).
        if not widget.use_fieldset and not widget.attrs.get("aria-describedby"):
            described = []
            if auto_id and not hidden:
                if bound_field.help_text:
                    described.append(f"{auto_id}_helptext")
                if errors:
                    described.append(f"{auto_id}_error")
            if described:
                attrs["aria-describedby"] = " ".join(described)
        if auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", auto_id)
        # Widget.get_context() (and Input's type), as the renderer reads it.
        context = {
            "name": bound_field.html_name,
            "value": widget.format_value(bound_field.value()),
            "attrs": widget.build_attrs(widget.attrs, attrs),
        }
        if isinstance(widget, Input):
            context["type"] = widget.input_type
        return mark_safe(write(context).strip())  # noqa: S308 (every value escaped)

    def _clearable_file_input(self, widget: dict) -> str:
        """A file input; one with a file already uploaded (a link and a "clear" box) by its
        template."""
        if widget["is_initial"]:
            return self.get_template(f"{WIDGETS}clearable_file_input.html").render(
                {"widget": widget}
            )
        return (
            f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"'
            f"{_attrs(widget['attrs'])}>"
        )

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


class _LongList(NamedTuple):
    """A long list's options, written: `html` all of them unmarked; `chosen` for each value (its
    first option) where that option starts and ends in `html`, and the option marked chosen."""

    html: str
    chosen: dict[str, tuple[int, int, str]]


# (the function that lists the choices, the language): the options' HTML (LongListSelect).
_LONG_LISTS: dict[tuple, _LongList] = {}


class LongListSelect(Select):
    """A <select> of a long list that is the same for every request in one language (the countries):
    its options are written once per language and process and reused; only the chosen one is marked.

    Django builds a dict per option (optgroups, create_option) before any renderer sees them; for
    two lists of about 250 countries that was a third of the application form's CPU. The field's
    choices must be a function (ChoiceField(choices=function)) that returns the same (value, label)
    pairs for a language each time; the HTML is the Select's own (tests/core/test_form_rendering.py
    compares them). With another renderer than this module's, Django's own rendering."""

    def _long_list(self) -> _LongList:
        """The options in the active language, written once per language for a function's list."""
        function = getattr(self.choices, "func", None)
        key = (function, get_language() or "")
        written = _LONG_LISTS.get(key) if function is not None else None
        if written is None:
            parts: list[str] = []
            chosen: dict[str, tuple[int, int, str]] = {}
            length = 0
            for value, label in self.choices:
                option = "\n  " + _select_option({"value": value, "attrs": {}, "label": label})
                marked = {"value": value, "attrs": {"selected": True}, "label": label}
                chosen.setdefault(
                    str(value), (length, length + len(option), "\n  " + _select_option(marked))
                )
                parts.append(option)
                length += len(option)
            written = _LongList("".join(parts), chosen)
            if function is not None:
                _LONG_LISTS[key] = written
        return written

    def use_required_attribute(self, initial):
        """Select's rule (`required` only when the first option's value is empty) read from the
        function's first choice: Django's Select normalizes the whole list (a call per country)
        to look at its first item, on every rendering."""
        function = getattr(self.choices, "func", None)
        if function is None or self.allow_multiple_selected:
            return super().use_required_attribute(initial)
        first_choice = next(iter(function()), None)
        return (
            super(Select, self).use_required_attribute(initial)
            and first_choice is not None
            and self._choice_has_empty_value(first_choice)
        )

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or get_default_renderer()
        if not isinstance(renderer, PythonWidgetRenderer) or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        written = self._long_list()
        options = written.html
        # The first option whose value is chosen is marked (as Select marks one only): spliced
        # into the written list rather than a loop over every option per rendering.
        found = [
            written.chosen[item] for item in self.format_value(value) if item in written.chosen
        ]
        if found:
            start, end, marked = min(found)
            options = options[:start] + marked + options[end:]
        html = f'<select name="{_value(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>'
        return mark_safe(f"{html}{options}\n</select>".strip())  # noqa: S308 (every value escaped)
