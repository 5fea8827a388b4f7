"""Loading permit types from JSON files: idempotent, versioned, and refusing malformed files."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from applications.catalogue import DEFAULT_DIRECTORY
from applications.models import PermitType

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(tmp_path):
    target = tmp_path / "permit_types"
    shutil.copytree(DEFAULT_DIRECTORY, target)
    return target


def test_the_command_loads_the_five_shipped_types(capsys):
    call_command("load_permit_types")
    codes = set(PermitType.objects.values_list("code", flat=True))
    assert {"work-employed", "family-ties", "studies", "extended-permit", "citizenship"} <= codes
    work = PermitType.objects.get(code="work-employed")
    assert work.fee_amount == Decimal("480.00") and work.fee_currency == "EUR"
    assert work.name("sv").startswith("Första uppehållstillstånd")
    assert "work-employed: created (version 1)" in capsys.readouterr().out


def test_loading_twice_changes_nothing(directory):
    call_command("load_permit_types", str(directory))
    before = list(PermitType.objects.values_list("code", "version", "updated_at"))
    call_command("load_permit_types", str(directory))
    assert list(PermitType.objects.values_list("code", "version", "updated_at")) == before


def test_a_changed_file_bumps_the_version(directory):
    call_command("load_permit_types", str(directory))
    path = directory / "studies.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema"]["sections"][0]["fields"].append(
        {
            "key": "favourite_city",
            "type": "text",
            "label": {"fi": "Lempikaupunki", "sv": "Favoritstad", "en": "Favourite city"},
        }
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("load_permit_types", str(directory))
    studies = PermitType.objects.get(code="studies")
    assert studies.version == 2
    assert studies.schema["sections"][0]["fields"][-1]["key"] == "favourite_city"
    assert PermitType.objects.get(code="citizenship").version == 1


def test_reformatting_a_file_is_not_a_new_version(directory):
    call_command("load_permit_types", str(directory))
    path = directory / "studies.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    call_command("load_permit_types", str(directory))
    assert PermitType.objects.get(code="studies").version == 1


def test_a_new_file_adds_a_type_without_code_or_migration(directory):
    data = json.loads((directory / "studies.json").read_text(encoding="utf-8"))
    data["code"] = "researcher"
    data["names"] = {"fi": "Tutkija", "sv": "Forskare", "en": "Researcher"}
    (directory / "researcher.json").write_text(json.dumps(data), encoding="utf-8")
    call_command("load_permit_types", str(directory))
    assert PermitType.objects.get(code="researcher").name("en") == "Researcher"


def test_a_malformed_file_is_refused_with_its_name_and_problems(directory):
    path = directory / "studies.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema"]["sections"][0]["fields"][0]["type"] = "txt"
    data["fee"] = {"amount": "-5", "currency": "EUR"}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_permit_types", str(directory))
    message = str(caught.value)
    assert "studies.json: fee.amount" in message
    assert "studies.json: sections[0].fields[0].type: unknown type 'txt'" in message
    assert not PermitType.objects.filter(code="studies").exists()


def test_a_file_that_is_not_json_is_refused(directory):
    (directory / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="broken.json: not readable JSON"):
        call_command("load_permit_types", str(directory))
