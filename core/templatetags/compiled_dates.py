"""The `date` and `time` filters of every template (settings.TEMPLATES' builtins, after Django's so
that these win): Django's filters with the formats compiled once per language (core.dates)."""

from __future__ import annotations

from django import template

from core import dates

register = template.Library()


# As Django registers its own: the engine converts an aware datetime to the page's time zone
# before calling the filter (expects_localtime), and the result is escaped like any text.
@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Format a date according to the given format (django.template.defaultfilters.date)."""
    return dates.date_filter(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def time(value, arg=None):
    """Format a time according to the given format (django.template.defaultfilters.time)."""
    return dates.time_filter(value, arg)
