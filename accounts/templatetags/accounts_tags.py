"""Template filters and tags for account pages and the forms of the e-service."""

import math

from django import template
from django.utils.html import format_html

from accounts.submissions import FIELD_NAME, submission_token_new

register = template.Library()


@register.filter
def whole_minutes(duration) -> int:
    """A timedelta as minutes, rounded up, so that "try again in N minutes" is never too early."""
    try:
        return max(1, math.ceil(duration.total_seconds() / 60))
    except AttributeError:
        return 0


@register.simple_tag
def submission_token():
    """A hidden one-time token that makes the form safe to submit twice (accounts.submissions)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FIELD_NAME, submission_token_new()
    )
