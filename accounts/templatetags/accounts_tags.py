"""Template filters for account pages."""

import math

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration) -> int:
    """A timedelta as minutes, rounded up, so that "try again in N minutes" is never too early."""
    try:
        return max(1, math.ceil(duration.total_seconds() / 60))
    except AttributeError:
        return 0
