"""The country list: CLDR's names through Babel in fi, sv and en, each language's own alphabetical
order, ISO 3166 codes as the stored values."""

import pytest
from babel import Locale
from django.utils import translation

from applications.countries import NOT_COUNTRIES, collation_key, country_choices, country_name


def _position(choices, code):
    return [c for c, _ in choices].index(code)


@pytest.mark.parametrize(
    ("language", "code", "name"),
    [
        ("fi", "SE", "Ruotsi"),
        ("fi", "DE", "Saksa"),
        ("fi", "AX", "Ahvenanmaa"),
        ("fi", "CZ", "Tšekki"),
        ("fi", "MK", "Pohjois-Makedonia"),
        ("sv", "FI", "Finland"),
        ("sv", "DE", "Tyskland"),
        ("sv", "YE", "Jemen"),
        ("sv", "BY", "Belarus"),
        ("en", "FI", "Finland"),
        ("en", "RU", "Russia"),
        ("en", "XK", "Kosovo"),
    ],
)
def test_countries_are_named_in_the_language_of_the_page(language, code, name):
    assert country_name(code, language) == name
    with translation.override(language):
        assert dict(country_choices())[code] == name


def test_every_cldr_country_is_listed_and_nothing_else():
    territories = {
        code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha()
    }
    expected = territories - NOT_COUNTRIES
    for language in ("fi", "sv", "en"):
        codes = [code for code, _ in country_choices(language)]
        assert len(codes) == len(set(codes))
        assert set(codes) == expected
        assert not {"EU", "UN", "ZZ", "QO", "EZ"} & set(codes)
        # The stored values are ISO codes, every one named (no code shown as its own name).
        assert all(name and name != code for code, name in country_choices(language))


@pytest.mark.parametrize(
    ("language", "old_name"),
    [
        ("fi", "Taiwan, Kiinan provinssi"),
        ("fi", "Czechia"),  # English names the old hand list left in the Finnish column
        ("fi", "North Macedonia"),
        ("fi", "Afghanistan"),
        ("sv", "Taiwan, provins i Kina"),
        ("sv", "Swaziland"),
        ("sv", "Vitryssland"),
        ("sv", "Yemen"),
        ("en", "Palestine, State of"),
        ("en", "Taiwan, Province of China"),
        ("en", "Virgin Islands, British"),
    ],
)
def test_no_untranslated_or_contested_names_remain(language, old_name):
    assert old_name not in {name for _, name in country_choices(language)}


def test_finnish_sorts_by_the_finnish_alphabet():
    choices = country_choices("fi")
    names = [name for _, name in choices]
    assert names == sorted(names, key=lambda name: collation_key(name, "fi"))
    # Ä after Z: Venezuela, Venäjä, Vietnam (by code points too, but not with Å before Ä).
    assert _position(choices, "VE") < _position(choices, "RU") < _position(choices, "VN")
    # An accented letter is its base letter: Réunion among the Re's, São Tomé among the Sa's.
    assert _position(choices, "RE") < _position(choices, "RO")
    assert _position(choices, "SM") < _position(choices, "ST") < _position(choices, "SA")
    assert names[-1] == "Zimbabwe"


def test_swedish_puts_a_ring_before_a_umlaut_and_o_umlaut_after_z():
    choices = country_choices("sv")
    names = [name for _, name in choices]
    aland = _position(choices, "AX")  # Åland
    austria = _position(choices, "AT")  # Österrike
    zimbabwe = _position(choices, "ZW")
    assert zimbabwe < aland < austria
    assert names[-1] == "Östtimor"


def test_finnish_and_swedish_order_of_the_last_letters():
    for language in ("fi", "sv"):
        words = ["Öljy", "Äiti", "Åbo", "Zeta", "Aamu"]
        ordered = sorted(words, key=lambda word: collation_key(word, language))
        assert ordered == ["Aamu", "Zeta", "Åbo", "Äiti", "Öljy"]


def test_english_sorts_accented_letters_with_their_base_letter():
    choices = country_choices("en")
    names = [name for _, name in choices]
    # Åland Islands among the A's, Côte d’Ivoire among the C's, not at the end.
    assert names.index("Åland Islands") < names.index("Albania")
    assert names.index("Costa Rica") < names.index("Côte d’Ivoire") < names.index("Croatia")
    assert names[-1] == "Zimbabwe"
