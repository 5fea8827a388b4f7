"""A check's result on a page: `{% verdict_section %}` (the verdict, what was found, what to do)
and `{% report_fields report quote_language %}` (the checked content again, in the hidden fields
of the "report this message" form).

Written in Python rather than as templates: on the check page's answer they were a fifth of the
template's work (an include, two loops and a dozen lookups and conditions), for a few lines of
markup. Every value is escaped as `{{ value }}` escapes it (conditional_escape: the explanations
are HTML already, trust.explanations.explain_html).
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _advice_item(item: dict) -> str:
    link = ""
    if item["url"]:
        url, link_text = conditional_escape(item["url"]), conditional_escape(item["link_text"])
        link = f' <a href="{url}" rel="noopener">{link_text}</a>'
    return f"<li>{conditional_escape(item['text'])}{link}</li>"


@register.simple_tag(takes_context=True)
def verdict_section(context) -> SafeString:
    """The context's `verdict`, `verdict_label`, `explanations` and `advice`
    (trust.views.common.presented) as a <section>."""
    parts = [
        f'<section class="verdict verdict-{conditional_escape(context["verdict"])}" '
        'aria-labelledby="verdict-title">\n'
        f'  <h2 id="verdict-title">{conditional_escape(context["verdict_label"])}</h2>\n  '
    ]
    explanations, advice = context.get("explanations"), context.get("advice")
    if explanations:
        items = "".join(f"<li>{conditional_escape(item['text'])}</li>" for item in explanations)
        parts.append(
            f"\n    <h3>{conditional_escape(gettext('What we found'))}</h3>\n    <ul>{items}</ul>\n  "
        )
    parts.append("\n  ")
    if advice:
        items = "".join(_advice_item(item) for item in advice)
        parts.append(
            f"\n    <h3>{conditional_escape(gettext('What to do'))}</h3>\n    <ul>{items}</ul>\n  "
        )
    parts.append("\n</section>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


def _hidden(name: str, value) -> str:
    return f'<input type="hidden" name="{name}" value="{conditional_escape(value)}">'


@register.simple_tag
def report_fields(report: dict, quote_language: str = "") -> SafeString:
    """The hidden fields that send the checked content to the report page (trust.views.check
    builds `report`); the pasted text keeps the message's language (`quote_language`)."""
    indent = "\n          "
    mode = report["mode"]
    parts = [
        _hidden("mode", mode),
        '\n        <input type="hidden" name="from_check" value="1">\n        ',
    ]
    if mode == "text":
        lang = f' lang="{conditional_escape(quote_language)}"' if quote_language else ""
        parts += [
            f'{indent}<textarea name="text-text" hidden{lang}>\n'
            f"{conditional_escape(report['text'])}</textarea>",
            indent + _hidden("text-channel", report["channel"]),
            indent + _hidden("text-sender", report["sender"]),
            indent + _hidden("text-recipient", report["recipient"]),
        ]
    elif mode == "eml":
        parts += [
            indent + _hidden("eml-raw_b64", report["raw_b64"]),
            indent + _hidden("eml-recipient", report["recipient"]),
        ]
    else:
        parts.append(indent + _hidden("url-url", report["url"]))
    parts.append("\n        ")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
