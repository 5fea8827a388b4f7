"""Showing a campaign's or a warning's text in the reader's language, or marked as another's."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# The engine's verdict codes by name, for the team's report lists (the public pages explain them
# in full sentences: trust.views.common.VERDICT_LABELS).
VERDICT_NAMES = {
    "genuine": gettext_lazy("Genuine"),
    "scam": gettext_lazy("Scam"),
    "suspicious": gettext_lazy("Suspicious"),
    "unverified": gettext_lazy("Not verified"),
}


@register.filter
def verdict_name(code: str) -> str:
    return str(VERDICT_NAMES.get(code, code))


@register.simple_tag
def localised_text(text, default: str = ""):
    """The text as it is when it is in the reader's language; otherwise in a span with its `lang`
    and a visible note naming its language (WCAG 3.1.2, and so no reader takes it for a
    translation that was left out by mistake)."""
    if not text:
        return default
    if not text.is_fallback:
        return text.text
    return format_html(
        '<span lang="{}">{}</span> <span class="language-note">({})</span>',
        text.language,
        text.text,
        _("in %(language)s") % {"language": text.language_name},
    )
