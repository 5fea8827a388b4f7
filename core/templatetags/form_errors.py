"""The error summary every form page shows at the top, field errors that name their field, and
how long to wait after too many attempts."""

from __future__ import annotations

from django import forms, template
from django.template import Context

from core.forms import error_summary_entries, field_specific_errors
from core.ratelimit import try_again_message

register = template.Library()


def _forms_in(value, depth: int = 0):
    """Forms in a context value: the value itself, or inside a dict or list (e.g. forms.text)."""
    if isinstance(value, forms.BaseForm):
        yield value
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from _forms_in(item, depth + 1)
    elif depth < 2 and isinstance(value, list | tuple):
        for item in value:
            yield from _forms_in(item, depth + 1)


def _context_forms(context) -> list[forms.BaseForm]:
    if context.get("error_forms") is not None:
        return list(context["error_forms"])
    found: list[forms.BaseForm] = []
    for layer in context.dicts:
        for name, value in layer.items():
            if name in ("view", "request", "messages", "csrf_token"):
                continue
            for form in _forms_in(value):
                if all(form is not known for known in found):
                    found.append(form)
    return found


@register.simple_tag(takes_context=True)
def error_summary(context, *form_list, links=None):
    """One summary for every form of the page, linking to each failing field.

    With no forms named, it finds the page's forms in the context (`form`, `forms.text`, a list
    of groups with a form each); a view may name them in `error_forms`. `links` adds entries
    that are not form fields, as dicts with "text" and "url".
    """
    form_list = list(form_list) or _context_forms(context)
    entries = error_summary_entries(form_list)
    for link in links or []:
        entries.append({"text": link["text"], "url": link["url"]})
    if not entries:
        # Most pages: nothing to render, so no template either (it was an include on every page).
        return ""
    # The summary takes the focus when the page loads; a field that asks for it too (the
    # sign-in address) would win in some browsers.
    for form in form_list:
        for field in form.fields.values():
            field.widget.attrs.pop("autofocus", None)
    return context.template.engine.get_template("includes/error_summary.html").render(
        Context({"entries": entries}, autoescape=context.autoescape)
    )


@register.filter
def specific_errors(bound_field) -> list[str]:
    return field_specific_errors(bound_field)


@register.filter
def try_again_in(seconds) -> str:
    """ "Try again in 15 minutes." for a number of seconds (core.ratelimit.try_again_message)."""
    try:
        return try_again_message(float(seconds))
    except (TypeError, ValueError):
        return ""
