"""`{% blank_form_fields "check" "text" %}`: the fields of one mode's form on the check or the
report page as nobody has filled them in, for a `{% once_per_language %}` block.

Those pages show a form for each mode (pasted text, an .eml file, a web address), but a request
fills in at most one: the others are the same markup for every visitor in a language. Building
and rendering them was most of the check page's own CPU; the page now binds only the submitted
form (trust.forms.submitted_form) and writes the blank ones once per language and process.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from core.field_rendering import form_fields_html
from trust.forms import CHECK_FORMS, REPORT_FORMS

register = template.Library()

FORMS_OF_PAGE = {"check": CHECK_FORMS, "report": REPORT_FORMS}


@register.simple_tag
def blank_form_fields(page: str, mode: str) -> SafeString:
    """The fields of the page's unbound form for `mode`, with the mode as its prefix."""
    return form_fields_html(FORMS_OF_PAGE[page][mode](prefix=mode))
