"""Dates and times formatted as Django formats them (django.utils.formats.date_format/time_format,
the `date` and `time` template filters), with each format compiled once per process and language.

Django's DateFormat splits the format string with a regular expression, looks up a method per
format character and translates the month and weekday names again on every call: about a tenth of
a signed-in page's CPU for a dozen dates. Here a (language, format) pair is compiled once into its
pieces, literal text and one small function per format character, with the names already
translated; formatting a date is then a join. The output is Django's, byte for byte
(tests/core/test_dates.py compares the two for random dates in every language and format the
project uses). Anything the compiled form does not cover (another type than date, datetime or
time, a time zone character such as O or T, a format that is not text) goes to Django's own
function, so the behaviour, errors included, stays Django's.

The compiled forms depend only on the code's constants (format modules, translation catalogues);
they are dropped when a test overrides a setting they read.
"""

from __future__ import annotations

import calendar
import datetime
import html
from collections.abc import Callable

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import base as template_base
from django.template import defaultfilters
from django.utils import dateformat, dates, formats
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

# Django internals relied on (tests/core/test_dates.py fails if they change): dateformat's two
# regular expressions, so that a format string is split exactly as DateFormat.format splits it,
# and TimeFormat's methods, the characters a plain date refuses with a TypeError.
_FORMAT_CHARACTERS = dateformat.re_formatchars
_ESCAPED = dateformat.re_escaped
TIME_CHARACTERS = frozenset(
    c for c in "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ" if hasattr(dateformat.TimeFormat, c)
)

Field = Callable[[datetime.date], str]
Formatter = tuple[tuple[str | Field, ...], bool]  # the pieces, and whether any is a time field


def _day_suffix(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _hour12(value) -> int:
    return value.hour % 12 or 12


def _fields(language_names: dict[str, tuple[str, ...]]) -> dict[str, Field]:
    """A function per format character, as DateFormat's method of that name (str() of its result),
    with the names translated once. The characters of the time zone (e, I, O, r, T, U, Z) are left
    out: their formats go to Django."""
    months, months_3, months_alt, months_ap = (
        language_names["months"],
        language_names["months_3"],
        language_names["months_alt"],
        language_names["months_ap"],
    )
    weekdays, weekdays_abbr = language_names["weekdays"], language_names["weekdays_abbr"]
    am, pm, am_caps, pm_caps = language_names["meridiem"]
    midnight, noon = language_names["midnight_noon"]

    def a(v):
        return pm if v.hour > 11 else am

    def f(v):
        return f"{_hour12(v)}:{v.minute:02d}" if v.minute else str(_hour12(v))

    def P(v):  # noqa: N802 (the format character)
        if v.minute == 0 and v.hour in (0, 12):
            return midnight if v.hour == 0 else noon
        return f"{f(v)} {a(v)}"

    return {
        "a": a,
        "A": lambda v: pm_caps if v.hour > 11 else am_caps,
        "b": lambda v: months_3[v.month],
        "c": lambda v: v.isoformat(),
        "d": lambda v: f"{v.day:02d}",
        "D": lambda v: weekdays_abbr[v.weekday()],
        "E": lambda v: months_alt[v.month],
        "f": f,
        "F": lambda v: months[v.month],
        "g": lambda v: str(_hour12(v)),
        "G": lambda v: str(v.hour),
        "h": lambda v: f"{_hour12(v):02d}",
        "H": lambda v: f"{v.hour:02d}",
        "i": lambda v: f"{v.minute:02d}",
        "j": lambda v: str(v.day),
        "l": lambda v: weekdays[v.weekday()],
        "L": lambda v: str(calendar.isleap(v.year)),
        "m": lambda v: f"{v.month:02d}",
        "M": lambda v: months_3[v.month].title(),
        "n": lambda v: str(v.month),
        "N": lambda v: months_ap[v.month],
        "o": lambda v: str(v.isocalendar().year),
        "P": P,
        "s": lambda v: f"{v.second:02d}",
        "S": lambda v: _day_suffix(v.day),
        "t": lambda v: str(calendar.monthrange(v.year, v.month)[1]),
        "u": lambda v: f"{v.microsecond:06d}",
        "w": lambda v: str((v.weekday() + 1) % 7),
        "W": lambda v: str(v.isocalendar().week),
        "y": lambda v: f"{(v.year % 100):02d}",
        "Y": lambda v: f"{v.year:04d}",
        "z": lambda v: str(v.timetuple().tm_yday),
    }


def _names() -> dict[str, tuple[str, ...]]:
    """The month and weekday names and the words of the 12-hour clock in the active language, as
    DateFormat translates them (django.utils.dates' lazy names, dateformat's gettext)."""

    def table(names: dict) -> tuple[str, ...]:
        return ("", *(str(names[key]) for key in sorted(names)))  # months from 1, weekdays from 0

    return {
        "months": table(dates.MONTHS),
        "months_3": table(dates.MONTHS_3),
        "months_alt": table(dates.MONTHS_ALT),
        "months_ap": table(dates.MONTHS_AP),
        "weekdays": tuple(str(dates.WEEKDAYS[day]) for day in range(7)),
        "weekdays_abbr": tuple(str(dates.WEEKDAYS_ABBR[day]) for day in range(7)),
        # dateformat translates these with its own gettext (msgids of Django's catalogue).
        "meridiem": (gettext("a.m."), gettext("p.m."), gettext("AM"), gettext("PM")),
        "midnight_noon": (gettext("midnight"), gettext("noon")),
    }


_FIELDS: dict[str | None, dict[str, Field]] = {}
_DATE_FORMATTERS: dict[tuple[str | None, str | None], Formatter | None] = {}
_TIME_FORMATTERS: dict[tuple[str | None, str | None], Formatter | None] = {}


def _compile(
    format_string, language: str | None, allowed: frozenset[str] | None
) -> Formatter | None:
    """The pieces of a format string (as DateFormat.format splits it), or None when one of its
    characters is not compiled here or not `allowed`: Django formats it then."""
    if type(format_string) is not str:
        return None  # a format setting that is not text (FIRST_DAY_OF_WEEK...): Django's str()
    try:
        fields = _FIELDS[language]
    except KeyError:
        fields = _FIELDS[language] = _fields(_names())
    pieces: list[str | Field] = []
    has_time = False
    for index, piece in enumerate(_FORMAT_CHARACTERS.split(format_string)):
        if index % 2:
            if piece not in fields or (allowed is not None and piece not in allowed):
                return None
            has_time = has_time or piece in TIME_CHARACTERS
            pieces.append(fields[piece])
        elif piece:
            text = _ESCAPED.sub(r"\1", piece)
            if pieces and type(pieces[-1]) is str:
                pieces[-1] += text
            else:
                pieces.append(text)
    return tuple(pieces), has_time


def _formatter(cache: dict, format_name, allowed: frozenset[str] | None, default: str):
    if format_name is not None and type(format_name) is not str:
        return None  # a lazy or other argument: Django deals with it
    language = get_language()
    key = (language, format_name)
    try:
        return cache[key]
    except KeyError:
        pass
    # As formats.get_format: a format setting's name gives the language's format, anything else
    # is the format itself.
    compiled = _compile(formats.get_format(format_name or default), language, allowed)
    cache[key] = compiled
    return compiled


def date_format(value, format_name: str | None = None) -> str:
    """django.utils.formats.date_format(value, format_name): a date or datetime in the active
    language's format (DATE_FORMAT by default, or a format setting's name, or a format string)."""
    cls = type(value)
    if cls is datetime.datetime or cls is datetime.date:
        compiled = _formatter(_DATE_FORMATTERS, format_name, None, "DATE_FORMAT")
        # A plain date with a time character: Django's TypeError.
        if compiled is not None and not (compiled[1] and cls is datetime.date):
            return "".join([p if type(p) is str else p(value) for p in compiled[0]])
    return formats.date_format(value, format_name)


# The characters TimeFormat has apart from the time zone's: a format with any other goes to Django.
_TIME_ONLY = frozenset("aAfgGhHiPsu")


def time_format(value, format_name: str | None = None) -> str:
    """django.utils.formats.time_format(value, format_name): a time or datetime in the active
    language's TIME_FORMAT (or a format setting's name, or a format string)."""
    cls = type(value)
    if cls is datetime.datetime or cls is datetime.time:
        compiled = _formatter(_TIME_FORMATTERS, format_name, _TIME_ONLY, "TIME_FORMAT")
        if compiled is not None:
            return "".join([p if type(p) is str else p(value) for p in compiled[0]])
    return formats.time_format(value, format_name)


def date_filter(value, arg=None) -> str:
    """The `date` template filter (django.template.defaultfilters.date) for a value already in
    the page's time zone."""
    cls = type(value)
    if cls is datetime.datetime or cls is datetime.date:
        compiled = _formatter(_DATE_FORMATTERS, arg, None, "DATE_FORMAT")
        if compiled is not None and not (compiled[1] and cls is datetime.date):
            return "".join([p if type(p) is str else p(value) for p in compiled[0]])
    return defaultfilters.date(value, arg)


def time_filter(value, arg=None) -> str:
    """The `time` template filter (django.template.defaultfilters.time) for a value already in
    the page's time zone."""
    cls = type(value)
    if cls is datetime.datetime or cls is datetime.time:
        compiled = _formatter(_TIME_FORMATTERS, arg, _TIME_ONLY, "TIME_FORMAT")
        if compiled is not None:
            return "".join([p if type(p) is str else p(value) for p in compiled[0]])
    return defaultfilters.time(value, arg)


def date_formatter(format_name: str | None = None, *, as_filter: bool = False):
    """date_format(value, format_name) (or, `as_filter`, the `date` filter) with the language and
    format looked up once, for a loop over rows: get_language() reads a context-local variable,
    a few microseconds a call. Use it within one request and language."""
    compiled = _formatter(_DATE_FORMATTERS, format_name, None, "DATE_FORMAT")
    django_function = defaultfilters.date if as_filter else formats.date_format
    if compiled is None:
        return lambda value: django_function(value, format_name)
    pieces, has_time = compiled

    def format_date(value) -> str:
        cls = type(value)
        if cls is datetime.datetime or (cls is datetime.date and not has_time):
            return "".join([p if type(p) is str else p(value) for p in pieces])
        return django_function(value, format_name)

    return format_date


def time_formatter(format_name: str | None = None):
    """time_format(value, format_name) with the language and format looked up once (as
    date_formatter)."""
    compiled = _formatter(_TIME_FORMATTERS, format_name, _TIME_ONLY, "TIME_FORMAT")
    if compiled is None:
        return lambda value: formats.time_format(value, format_name)
    pieces = compiled[0]

    def format_time(value) -> str:
        cls = type(value)
        if cls is datetime.datetime or cls is datetime.time:
            return "".join([p if type(p) is str else p(value) for p in pieces])
        return formats.time_format(value, format_name)

    return format_time


def localize(value, use_l10n=None):
    """django.utils.formats.localize(value, use_l10n): a date, datetime or time in the language's
    format (DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT), anything else as Django localizes it."""
    if use_l10n is not False:
        cls = type(value)
        if cls is datetime.datetime:
            return date_format(value, "DATETIME_FORMAT")
        if cls is datetime.date:
            return date_format(value)
        if cls is datetime.time:
            return time_format(value)
    return formats.localize(value, use_l10n=use_l10n)


def render_value_in_context(value, context):
    """django.template.base.render_value_in_context, `{{ value }}` in a template: a date, datetime
    or time in the page's time zone and language, escaped where the context escapes."""
    cls = type(value)
    if cls is str:  # most answers: neither converted nor localized
        return SafeString(html.escape(value)) if context.autoescape else value
    if cls is SafeString:  # already escaped (conditional_escape returns it as it is)
        return value
    if cls is datetime.datetime or cls is datetime.date or cls is datetime.time:
        text = localize(template_localtime(value, use_tz=context.use_tz), context.use_l10n)
        return conditional_escape(text) if context.autoescape else text
    return template_base.render_value_in_context(value, context)


# Settings the compiled forms read (formats.get_format's and the translations'): Django drops its
# own caches on the same ones (django.test.signals).
_SETTINGS_READ = formats.FORMAT_SETTINGS | {
    "FORMAT_MODULE_PATH",
    "LANGUAGES",
    "LANGUAGE_CODE",
    "LOCALE_PATHS",
    "INSTALLED_APPS",
}


@receiver(setting_changed)
def _forget_compiled_formats(*, setting, **kwargs):
    if setting in _SETTINGS_READ:
        _FIELDS.clear()
        _DATE_FORMATTERS.clear()
        _TIME_FORMATTERS.clear()
