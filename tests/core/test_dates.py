"""core.dates formats every date, datetime and time exactly as Django does (django.utils.formats,
the `date` and `time` filters), in each language and format the project uses, and for anything
else Django's own function still answers."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.template import Context, Engine, Template, engines
from django.template import base as template_base
from django.template import defaultfilters as django_filters
from django.test import override_settings
from django.utils import dateformat, formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import dates
from core.templatetags import compiled_dates

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["fi", "sv", "en"]
NAMED_FORMATS = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
]
# What the templates and the code pass (grep '|date:' and date_format), and no argument at all.
PROJECT_FORMATS = [None, "", *NAMED_FORMATS, "Y-m-d"]
# Every character DateFormat knows, a few literals and escapes: random format strings.
FORMAT_ALPHABET = list("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ") + [
    " ",
    ".",
    ":",
    "/",
    "-",
    ",",
    "klo",
    "\\",
    "\\k",
    "\\l",
    "%",
    "{}",
]
TIME_ZONES = ["UTC", "Europe/Helsinki", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham"]

moments = st.datetimes(
    min_value=datetime.datetime(1, 1, 2), max_value=datetime.datetime(9999, 12, 30)
)
aware_moments = st.builds(
    lambda moment, zone, fold: moment.replace(tzinfo=zoneinfo.ZoneInfo(zone), fold=fold),
    moments,
    st.sampled_from(TIME_ZONES),
    st.integers(0, 1),
)
values = st.one_of(moments, aware_moments, st.dates(), st.times())
format_strings = st.lists(st.sampled_from(FORMAT_ALPHABET), max_size=12).map("".join)
any_format = st.one_of(st.sampled_from(PROJECT_FORMATS), format_strings)


def outcome(function, *args):
    """What a call returns, or the type of what it raises."""
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 - the same error is the same behaviour
        return type(error)


def assert_same_as_django(value, format_name) -> None:
    assert outcome(dates.date_format, value, format_name) == outcome(
        formats.date_format, value, format_name
    )
    assert outcome(dates.time_format, value, format_name) == outcome(
        formats.time_format, value, format_name
    )
    assert outcome(dates.date_filter, value, format_name) == outcome(
        django_filters.date, value, format_name
    )
    assert outcome(dates.time_filter, value, format_name) == outcome(
        django_filters.time, value, format_name
    )
    # The same with the format looked up once for a loop over rows.
    assert outcome(dates.date_formatter(format_name), value) == outcome(
        formats.date_format, value, format_name
    )
    assert outcome(dates.date_formatter(format_name, as_filter=True), value) == outcome(
        django_filters.date, value, format_name
    )
    assert outcome(dates.time_formatter(format_name), value) == outcome(
        formats.time_format, value, format_name
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=values, format_name=any_format, language=st.sampled_from(LANGUAGES))
@example(datetime.datetime(2026, 11, 30, 16, 50), "SHORT_DATETIME_FORMAT", "fi")
@example(datetime.datetime(2026, 1, 5, 0, 0), "P a A f g h", "en")
@example(datetime.datetime(2026, 1, 5, 12, 0), "P a A", "sv")
@example(datetime.date(2026, 5, 1), "DATETIME_FORMAT", "fi")  # Django's TypeError
def test_every_value_and_format_is_formatted_as_django_formats_it(value, format_name, language):
    with translation.override(language):
        assert_same_as_django(value, format_name)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("zone", TIME_ZONES)
@settings(max_examples=15, deadline=None)
@given(moment=aware_moments, naive=moments, day=st.dates())
def test_the_project_formats_agree_for_aware_and_naive_moments(language, zone, moment, naive, day):
    with translation.override(language), timezone.override(zone):
        for format_name in PROJECT_FORMATS:
            for value in (moment, timezone.localtime(moment), naive, day):
                assert_same_as_django(value, format_name)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("format_name", PROJECT_FORMATS)
def test_the_project_formats_are_compiled_not_left_to_django(language, format_name):
    """The formats the pages use take the fast path: a test of speed that also keeps the property
    tests above meaningful (they would pass trivially if everything went to Django)."""
    with translation.override(language):
        compiled = dates._formatter(dates._DATE_FORMATTERS, format_name, None, "DATE_FORMAT")
        assert compiled is not None
        assert dates._formatter(dates._TIME_FORMATTERS, None, dates._TIME_ONLY, "TIME_FORMAT")


def test_the_time_zone_characters_go_to_django(monkeypatch):
    moment = datetime.datetime(2026, 11, 30, 16, 50, tzinfo=zoneinfo.ZoneInfo("Europe/Helsinki"))
    calls = []
    monkeypatch.setattr(formats, "date_format", lambda *args: calls.append(args) or "django")
    assert dates.date_format(moment, "j.n.Y O") == "django"
    assert dates.date_format(moment, "j.n.Y") == "30.11.2026"
    assert calls == [(moment, "j.n.Y O")]


def test_other_values_go_to_django():
    with translation.override("fi"):
        assert dates.date_filter("2026-11-30") == ""
        assert dates.date_filter(None) == ""
        assert dates.time_filter(datetime.date(2026, 11, 30)) == ""
        assert (
            dates.date_filter(datetime.date(2026, 11, 30), translation.gettext_lazy("Y")) == "2026"
        )
        with pytest.raises(TypeError):
            dates.date_format(datetime.date(2026, 11, 30), "H:i")


def test_the_names_are_translated_in_each_language():
    moment = datetime.datetime(2026, 11, 30, 16, 50)
    with translation.override("fi"):
        assert dates.date_format(moment, "DATETIME_FORMAT") == "30. marraskuuta 2026 klo 16.50"
    with translation.override("sv"):
        assert dates.date_format(moment, "l j F") == "måndag 30 november"
    with translation.override("en"):
        assert dates.date_format(moment, "D j M, P") == "Mon 30 Nov, 4:50 p.m."


def test_a_changed_format_setting_is_followed():
    moment = datetime.datetime(2026, 11, 30, 16, 50)
    with translation.override("en"):
        assert dates.date_format(moment) == "30 November 2026"
        # Django drops its format cache on a format setting (not on FORMAT_MODULE_PATH alone).
        with override_settings(FORMAT_MODULE_PATH=None, DATE_FORMAT="N j, Y"):
            assert dates.date_format(moment) == formats.date_format(moment) == "Nov. 30, 2026"
        assert dates.date_format(moment) == "30 November 2026"


def test_the_django_internals_relied_on_are_still_there():
    assert dateformat.re_formatchars.split("j. E Y \\k\\l\\o G.i") == [
        "",
        "j",
        ". ",
        "E",
        " ",
        "Y",
        " \\k\\l\\o ",
        "G",
        ".",
        "i",
        "",
    ]
    assert dateformat.re_escaped.sub(r"\1", " \\k\\l\\o ") == " klo "
    assert frozenset("aAefgGhHiOPsTuZ") == dates.TIME_CHARACTERS
    # Every character compiled here is one DateFormat has, and the time filter's are TimeFormat's.
    with translation.override("en"):
        fields = dates._fields(dates._names())
    assert all(hasattr(dateformat.DateFormat, character) for character in fields)
    assert all(hasattr(dateformat.TimeFormat, character) for character in dates._TIME_ONLY)


def test_the_templates_date_and_time_filters_are_these():
    engine = engines["django"].engine
    assert Template("{{ v|date }}", engine=engine).nodelist[0].filter_expression.filters[0][0] is (
        compiled_dates.date
    )
    assert Template("{{ v|time }}", engine=engine).nodelist[0].filter_expression.filters[0][0] is (
        compiled_dates.time
    )


DJANGOS_OWN_FILTERS = Engine(libraries={"i18n": "django.templatetags.i18n"})
TEMPLATE = (
    '{{ v|date }}|{{ v|date:"SHORT_DATETIME_FORMAT" }}|{{ v|date:"Y-m-d" }}|{{ v|time }}|'
    '{% blocktranslate with d=v|date:"DATE_FORMAT" %}{{ d }}{% endblocktranslate %}'
)


@pytest.mark.parametrize("use_tz", [True, False])
@settings(max_examples=40, deadline=None)
@given(value=values, language=st.sampled_from(LANGUAGES), zone=st.sampled_from(TIME_ZONES))
def test_a_template_renders_as_with_djangos_filters(use_tz, value, language, zone):
    """The filters convert an aware datetime to the page's time zone as Django's do."""
    ours = Template("{% load i18n %}" + TEMPLATE, engine=engines["django"].engine)
    djangos = Template("{% load i18n %}" + TEMPLATE, engine=DJANGOS_OWN_FILTERS)
    with translation.override(language), timezone.override(zone):
        context = {"v": value}
        expected = outcome(djangos.render, Context(context, use_tz=use_tz))
        assert outcome(ours.render, Context(context, use_tz=use_tz)) == expected


def test_every_format_the_templates_pass_is_a_project_format():
    """PROJECT_FORMATS above covers what the templates pass to `date`: a new format in a
    template is added there, so that the property tests cover it."""
    passed = set()
    for path in ROOT.glob("*/templates/**/*"):
        if path.suffix in (".html", ".txt"):
            passed |= set(re.findall(r"\|(?:date|time):[\"']([^\"']*)[\"']", path.read_text()))
    assert passed
    assert passed <= set(PROJECT_FORMATS)


rendered_values = st.one_of(
    values,
    st.text(max_size=20),
    st.text(max_size=20).map(mark_safe),
    st.sampled_from(
        ["<b>&\"'", mark_safe("<b>safe</b>"), gettext_lazy("Sign in"), 1234.5, 7, None, True]
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    value=rendered_values,
    language=st.sampled_from(LANGUAGES),
    zone=st.sampled_from(TIME_ZONES),
    autoescape=st.booleans(),
    use_l10n=st.sampled_from([None, True, False]),
    use_tz=st.sampled_from([None, True, False]),
)
def test_a_value_is_rendered_as_the_template_renders_it(
    value, language, zone, autoescape, use_l10n, use_tz
):
    context = Context(autoescape=autoescape, use_l10n=use_l10n, use_tz=use_tz)
    with translation.override(language), timezone.override(zone):
        ours = outcome(dates.render_value_in_context, value, context)
        djangos = outcome(template_base.render_value_in_context, value, context)
        assert ours == djangos
        assert type(ours) is type(djangos)
        assert outcome(dates.localize, value, use_l10n) == outcome(
            formats.localize, value, use_l10n
        )
