"""Language quality of the Finnish and Swedish catalogues and the English source strings: known
mistakes stay fixed, one term names one thing, and no translation loses a placeholder."""

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[1]

# Errors a reader reported (issue 11), by language: none may come back in any translation.
KNOWN_BAD = {
    "sv": [
        "födelsetid",  # a time of birth; a form asks for the date: födelsedatum
        "passets nummer",  # passnummer
        "Ansökan godkänns",  # a permit is granted: beviljas
        "Ladda ner",  # the catalogue says "ladda ned" everywhere
        "i detta bedrägeri",  # the scam is "bluffen" in every other sentence
    ],
    "fi": [
        "Tiedoston laji",
        "liitteen laji",
        "Liitteen laji",
        "liitteiden lajit",
        "kanavan %(via)s kautta",  # an inflected name inside a postposition phrase
        "palvelun %(domain)s kautta",
        "viranomaiselle (%(authority)s)",
        "seuraavan tahon nimissä",
        "passin numero",  # passinumero
        "Tämän tyyppisiä",
        "Lukeaksesi",
    ],
}
# English source strings (msgids): GOV.UK and British usage.
KNOWN_BAD_ENGLISH = re.compile(r"\b[Ww]eb sites\b|\be-mail address")  # "free-mail" is right


def _catalogue(language):
    with (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle)


def _strings(message) -> list[str]:
    value = message.string
    return [s for s in (value if isinstance(value, tuple) else (value,)) if s]


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_known_mistakes_do_not_come_back(language):
    found = [
        (message.id, bad)
        for message in _catalogue(language)
        if message.id
        for text in _strings(message)
        for bad in KNOWN_BAD[language]
        if bad in text
    ]
    assert not found


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_english_source_strings_use_one_spelling(language):
    found = [
        message.id
        for message in _catalogue(language)
        for text in _ids(message)
        if KNOWN_BAD_ENGLISH.search(text)
    ]
    assert not found


def test_english_templates_and_code_use_one_spelling():
    offenders = []
    for folder in (
        "accounts",
        "applications",
        "casework",
        "core",
        "documents",
        "notifications",
        "payments",
        "securemail",
        "templates",
        "trust/templates",
        "audit",
    ):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".txt"} or path.name in {"explanations.py", "advice.py"}:
                text = path.read_text(encoding="utf-8")
                offenders += [f"{path}: {m.group(0)}" for m in KNOWN_BAD_ENGLISH.finditer(text)]
    assert not offenders


def test_finnish_calls_the_kind_of_an_attachment_by_one_name():
    """ "Liitteen tyyppi", never "Tiedoston laji" for the same choice."""
    kinds = [
        message
        for message in _catalogue("fi")
        if message.id
        and re.search(r"kinds? of (attachment|file)", " ".join(_ids(message)), re.IGNORECASE)
    ]
    assert len(kinds) >= 5
    for message in kinds:
        for text in _strings(message):
            assert "tyyp" in text.lower(), (message.id, text)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_translation_loses_or_invents_a_placeholder(language):
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    wrong = []
    for message in _catalogue(language):
        if not message.id or not message.string:
            continue
        expected = set(placeholder.findall(" ".join(_ids(message))))
        for text in _strings(message):
            if set(placeholder.findall(text)) - expected or (
                not isinstance(message.id, tuple) and set(placeholder.findall(text)) != expected
            ):
                wrong.append((message.id, text))
    assert not wrong


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("sv", "birth date", "födelsedatum"),
        ("sv", "passport number", "passnummer"),
        ("fi", "passport number", "passinumero"),
        ("fi", "Kind of attachment", "Liitteen tyyppi"),
        ("en", "Websites", "Websites"),
    ],
)
def test_the_compiled_catalogues_carry_the_fixes(language, msgid, expected):
    with translation.override(language):
        assert gettext(msgid) == expected


def test_the_contact_channel_is_named_without_inflecting_it():
    with translation.override("fi"):
        sentence = gettext(
            "The message asks you to get in touch through %(via)s, which the authority does "
            "not use."
        ) % {"via": "WhatsApp"}
    assert sentence.endswith("Kanava: WhatsApp.")


def _permit_type_texts():
    """(file, language, text) for every text in the shipped permit-type definitions."""

    def walk(value):
        if isinstance(value, dict):
            if {"fi", "sv"} <= value.keys() and all(isinstance(v, str) for v in value.values()):
                yield from value.items()
                return
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    for path in sorted((ROOT / "applications" / "permit_types").glob("*.json")):
        for language, text in walk(json.loads(path.read_text(encoding="utf-8"))):
            yield path.name, language, text


def test_the_permit_types_carry_no_known_mistake_and_every_text_in_three_languages():
    texts = list(_permit_type_texts())
    assert len(texts) > 300
    found = [
        (name, text)
        for name, language, text in texts
        for bad in KNOWN_BAD.get(language, [])
        if bad.lower() in text.lower()
    ]
    found += [(name, text) for name, language, text in texts if language == "en"
              if KNOWN_BAD_ENGLISH.search(text)]  # fmt: skip
    assert not found
    by_file: dict[str, set[str]] = {}
    for name, language, _text in texts:
        by_file.setdefault(name, set()).add(language)
    assert all(languages == {"fi", "sv", "en"} for languages in by_file.values())


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("passport_number", {"fi": "Passinumero", "sv": "Passnummer", "en": "Passport number"}),
        ("date_of_birth", {"fi": "Syntymäaika", "sv": "Födelsedatum", "en": "Date of birth"}),
    ],
)
def test_every_permit_type_names_the_passport_number_and_birth_date_alike(field, expected):
    asking = 0
    for path in sorted((ROOT / "applications" / "permit_types").glob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        labels = [
            item["label"]
            for section in definition["schema"]["sections"]
            for item in section["fields"]
            if item["key"] == field
        ]
        assert labels in ([], [expected]), path.name
        asking += bool(labels)
    assert asking >= 4
