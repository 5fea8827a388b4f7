"""The shipped authority profile invents nothing: each fact is quoted from the seed (the authority's
page in shared/seed/ and its translation) or listed in the profile as unconfirmed, an example for
the authority to confirm; `check --deploy` warns in production while any is left."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from core.authority import covers, fact_paths, load_profile

ROOT = Path(__file__).resolve().parents[2]
SEED_FOLDERS = (
    ROOT / "shared" / "seed",
    ROOT.parent / "shared" / "seed",
    Path("/work/shared/seed"),
)
SHIPPED = ROOT / "core" / "profiles" / "migri.json"

# Each fact the profile takes from the seed, with the seed's words that state it.
QUOTED = {
    "name.sv": "Migrationsverket i Finland (Migri)",
    "name.en": "Finnish Immigration Service (Migri)",
    "name_in_text.en": "Finnish Immigration Service",
    "short_name": "(Migri)",
    "other_names[Enter Finland]": "E-tjänsten Enter Finland",
    "other_names[Migrationsverket]": "Migrationsverket i Finland",
    "other_names[Finnish Immigration Service]": "Finnish Immigration Service (Migri)",
    "country": "Migrationsverket i Finland",
    "official_web_domains[migri.fi]": "har sin officiella webbplats på adressen migri.fi",
    "official_email_domains[migri.fi]": "kommer från en adress som slutar med @migri.fi",
    "other_official_web_domains[poliisi.fi]": "polisens webbplats (poliisi.fi)",
    "police.name.sv": "polisens webbplats",
    "police.domain": "polisens webbplats (poliisi.fi)",
    "police.report_url": "polisens webbplats (poliisi.fi)",
}
# The platform's own settings, not facts about the authority.
PLATFORM_SETTINGS = {"id", "case_number_prefix"}


def _seed_text() -> str:
    for folder in SEED_FOLDERS:
        if folder.is_dir():
            texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*"))]
            return " ".join(" ".join(texts).split())
    # The seed is kept beside the repository (shared/seed/), not in it.
    pytest.skip("the seed document is not beside this checkout (shared/seed/)")


def _shipped() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def test_every_fact_of_the_shipped_profile_is_quoted_from_the_seed_or_marked_unconfirmed():
    data = _shipped()
    unconfirmed = list(data["unconfirmed"]["facts"])
    leaves = [path for path in fact_paths(data) if path not in PLATFORM_SETTINGS]
    neither = [
        path
        for path in leaves
        if path not in QUOTED and not any(covers(entry, path) for entry in unconfirmed)
    ]
    assert neither == []
    # Every fact said to be quoted is a fact of the profile, and not also listed as unconfirmed.
    assert set(QUOTED) <= set(leaves)
    assert [p for p in QUOTED if any(covers(entry, p) for entry in unconfirmed)] == []


def test_the_seed_says_what_the_profile_quotes_from_it():
    seed = _seed_text()
    assert [quote for quote in QUOTED.values() if quote not in seed] == []


def test_the_seeds_facts_are_in_the_profile_as_the_seed_gives_them():
    profile = load_profile(SHIPPED)
    assert profile.official_web_domains[0] == "migri.fi"
    assert profile.official_email_domains == ("migri.fi",)
    assert profile.police_domain == "poliisi.fi"
    assert profile.police_report_url == "https://poliisi.fi/"
    # Each reason says why the fact is not the seed's.
    for reason in _shipped()["unconfirmed"]["facts"].values():
        assert len(reason) > 10


def test_an_unconfirmed_entry_that_names_nothing_is_refused(tmp_path):
    data = _shipped()
    data["unconfirmed"]["facts"]["phone_number"] = "misspelt: the list is phone_numbers"
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="phone_number"):
        load_profile(path)


def test_a_profile_with_every_fact_confirmed_has_none_unconfirmed(tmp_path):
    data = _shipped()
    del data["unconfirmed"]
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_profile(path).unconfirmed_facts == ()
    assert len(load_profile(SHIPPED).unconfirmed_facts) == len(_shipped()["unconfirmed"]["facts"])


def test_the_profile_setting_points_at_the_shipped_profile_by_default():
    assert re.search(r"core/profiles/migri\.json$", str(settings.AUTHORITY_PROFILE))
