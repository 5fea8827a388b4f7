"""The security team's menu: shown to that role only, with the current page marked."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (the link's page, its label, the pages under it that mark it current)
SECURITY_TEAM_PAGES = (
    ("trust:campaigns", _("Scam campaigns"), {"trust:campaigns", "trust:campaign"}),
    ("trust:channels_manage", _("Official channels"), {"trust:channels_manage"}),
    ("audit:log", _("Audit log"), {"audit:log"}),
)


@register.simple_tag(takes_context=True)
def security_team_links(context) -> list[dict]:
    """The menu's links for a member of the security team (administrators); none for others."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_administrator:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match is not None else ""
    return [
        {"url": reverse(name), "label": label, "current": current in pages}
        for name, label, pages in SECURITY_TEAM_PAGES
    ]
