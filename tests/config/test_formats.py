"""Dates and times in each language's own CLDR format (British English for English), the same in
pages, emails and PDFs because they all read the one format module of the language."""

import datetime
import zoneinfo

import pytest
from babel.dates import format_date, format_time
from django.template import Context, Template
from django.utils import formats, translation

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
MOMENT = datetime.datetime(2026, 11, 30, 16, 50, tzinfo=HELSINKI)
CLDR_LOCALES = {"fi": "fi", "sv": "sv", "en": "en_GB"}

EXPECTED = {
    "fi": {
        "DATE_FORMAT": "30. marraskuuta 2026",
        "SHORT_DATE_FORMAT": "30.11.2026",
        "TIME_FORMAT": "16.50",
        "SHORT_DATETIME_FORMAT": "30.11.2026 klo 16.50",
        "DATETIME_FORMAT": "30. marraskuuta 2026 klo 16.50",
    },
    "sv": {
        "DATE_FORMAT": "30 november 2026",
        "SHORT_DATE_FORMAT": "2026-11-30",
        "TIME_FORMAT": "16:50",
        "SHORT_DATETIME_FORMAT": "2026-11-30 16:50",
        "DATETIME_FORMAT": "30 november 2026 16:50",
    },
    "en": {
        "DATE_FORMAT": "30 November 2026",
        "SHORT_DATE_FORMAT": "30/11/2026",
        "TIME_FORMAT": "16:50",
        "SHORT_DATETIME_FORMAT": "30/11/2026 16:50",
        "DATETIME_FORMAT": "30 November 2026, 16:50",
    },
}
AMERICAN = ("Nov. 30, 2026", "11/30/2026", "4:50 p.m.", "November 30, 2026")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    "name", ["DATE_FORMAT", "SHORT_DATE_FORMAT", "TIME_FORMAT", "SHORT_DATETIME_FORMAT"]
)
def test_each_format_is_the_languages_own(language, name):
    with translation.override(language):
        assert formats.date_format(MOMENT, name) == EXPECTED[language][name]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_formats_are_cldrs_as_babel_writes_them(language):
    """Babel is the reference: the format modules must not drift from CLDR."""
    locale = CLDR_LOCALES[language]
    with translation.override(language):
        assert formats.date_format(MOMENT, "DATE_FORMAT") == format_date(MOMENT, "long", locale)
        assert formats.date_format(MOMENT, "SHORT_DATE_FORMAT") == format_date(
            MOMENT.date(), "short", locale
        )
        assert formats.date_format(MOMENT, "TIME_FORMAT") == format_time(
            MOMENT, "short", tzinfo=HELSINKI, locale=locale
        )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_template_filters_use_the_format_of_the_language(language, settings):
    settings.TIME_ZONE = "Europe/Helsinki"
    template = Template(
        "{{ moment|date }}|{{ moment|date:'SHORT_DATE_FORMAT' }}|{{ moment|time }}|"
        "{{ moment|date:'SHORT_DATETIME_FORMAT' }}|{{ moment }}"
    )
    with translation.override(language):
        rendered = template.render(Context({"moment": MOMENT}))
    expected = EXPECTED[language]
    assert rendered.split("|") == [
        expected["DATE_FORMAT"],
        expected["SHORT_DATE_FORMAT"],
        expected["TIME_FORMAT"],
        expected["SHORT_DATETIME_FORMAT"],
        expected["DATETIME_FORMAT"],
    ]
    assert not any(american in rendered for american in AMERICAN)
