"""`{% official_channels_list channels %}`: the registry's official channels as the trust center
and the channels page show them (a notice while the profile holds unconfirmed examples, then a
definition list of websites, email domains, SMS senders, phone numbers and social accounts).

Written in Python rather than the former trust/_channels.html include: its five loops, each with a
`forloop.last` condition, were about a seventh of the trust center's CPU for a few lines of
markup. The registry is read fresh on every request (trust.selectors.official_channels); only the
markup moved. Every value is escaped as `{{ value }}` escapes it; a test compares the output with
the former template, byte for byte, in fi, sv and en.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import capfirst
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _listed(values, before: str = "", after: str = "") -> str:
    """`{% for v in values %}{before}{{ v }}{after}{% if not forloop.last %}, {% endif %}
    {% empty %}–{% endfor %}`."""
    if not values:
        return "–"
    return ", ".join(f"{before}{conditional_escape(value)}{after}" for value in values)


def _account(account) -> str:
    platform = conditional_escape(capfirst(account.platform))
    handle = conditional_escape(account.handle)
    if account.url:
        handle = f'<a href="{conditional_escape(account.url)}" rel="noopener">{handle}</a>'
    return f"\n      <li>{platform}: {handle}</li>\n    "


@register.simple_tag(takes_context=True)
def official_channels_list(context, channels) -> SafeString:
    """`channels`: a trust.selectors.OfficialChannels; the context's `authority` (the profile,
    core.context_processors) says whether to show the notice about unconfirmed examples."""
    parts = []
    profile = context["authority"]
    if profile.channels_unconfirmed:
        # The shipped profile fills in examples the authority has not confirmed (core.W005).
        notice = gettext(
            "Some of the channels below are examples that %(name)s has not confirmed yet. Until "
            "it does, do not take them as proof that a message is genuine."
        ) % {"name": conditional_escape(profile.name_in_text())}
        parts.append(f'\n\n<div class="notice"><p>{notice}</p></div>\n')
    accounts = channels.social_media_accounts
    # The labels are literals translated as `{% translate "..." %}` translates them: a template's
    # literal is safe, and so is its translation (not escaped).
    listed_accounts = "".join(_account(account) for account in accounts) or "<li>–</li>"
    parts.append(
        "\n<dl>\n"
        f"  <dt>{gettext('Websites')}</dt>\n"
        f"  <dd>{_listed(channels.web_domains, '<strong>', '</strong>')}</dd>\n"
        f"  <dt>{gettext('Email: genuine messages come only from addresses ending in')}</dt>\n"
        f"  <dd>{_listed(channels.email_domains, '<strong>@', '</strong>')}</dd>\n"
        f"  <dt>{gettext('Text messages (SMS) come from the sender')}</dt>\n"
        f"  <dd>{_listed(channels.sms_sender_names, '<strong>', '</strong>')}</dd>\n"
        f"  <dt>{gettext('Phone numbers')}</dt>\n"
        f"  <dd>{_listed(channels.phone_numbers)}</dd>\n"
        f"  <dt>{gettext('Social media accounts')}</dt>\n"
        "  <dd>\n"
        f"    <ul>\n    {listed_accounts}\n    </ul>\n"
        "  </dd>\n"
        "</dl>\n"
        "<p>"
        + gettext(
            "We never ask for personal or sensitive data on social media and never send private "
            "messages there."
        )
        + "</p>\n"
    )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
