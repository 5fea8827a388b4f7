"""Loading permit types from their JSON files: idempotent, and a changed file bumps the version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from applications.models import PermitType
from applications.schema import LANGUAGES, schema_problems
from payments.services import fee_ensure_catalogue_fee

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "permit_types"
FILE_KEYS = {
    "code",
    "names",
    "description",
    "fee",
    "target_processing_days",
    "active",
    "position",
    "schema",
}


@dataclass(frozen=True)
class LoadResult:
    code: str
    outcome: str  # "created", "updated" or "unchanged"
    version: int


def _content_hash(data: dict) -> str:
    # Hash the parsed content, so that re-indenting a file is not a new version.
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _texts_complete(texts: Any) -> bool:
    return isinstance(texts, dict) and all(
        isinstance(texts.get(language), str) and texts[language].strip() for language in LANGUAGES
    )


def permit_type_file_problems(data: Any) -> list[str]:
    """Problems of a permit-type file (its metadata and its schema)."""
    if not isinstance(data, dict):
        return ["file: must hold a JSON object"]
    problems = [f"file: unknown property {key!r}" for key in sorted(set(data) - FILE_KEYS)]
    if not isinstance(data.get("code"), str) or not data["code"]:
        problems.append("code: missing")
    if not _texts_complete(data.get("names")):
        problems.append("names: fi, sv and en names are required")
    if "description" in data and not _texts_complete(data["description"]):
        problems.append("description: fi, sv and en texts are required")
    fee = data.get("fee")
    try:
        amount = Decimal(str(fee["amount"]))
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
        if not isinstance(fee.get("currency"), str) or len(fee["currency"]) != 3:
            problems.append("fee.currency: a three-letter ISO 4217 code is required")
    except (InvalidOperation, KeyError, TypeError):
        problems.append("fee.amount: a non-negative amount with at most two decimals is required")
    days = data.get("target_processing_days")
    if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
        problems.append("target_processing_days: a positive whole number is required")
    if not isinstance(data.get("active", True), bool):
        problems.append("active: must be true or false")
    problems.extend(schema_problems(data.get("schema")))
    return problems


@transaction.atomic
def permit_type_load(*, data: dict) -> LoadResult:
    """Create or update one permit type from a file's parsed content."""
    problems = permit_type_file_problems(data)
    if problems:
        raise ValidationError(problems)
    source_hash = _content_hash(data)
    values = {
        "name_fi": data["names"]["fi"],
        "name_sv": data["names"]["sv"],
        "name_en": data["names"]["en"],
        "description": data.get("description", {}),
        "schema": data["schema"],
        "fee_amount": Decimal(str(data["fee"]["amount"])),
        "fee_currency": data["fee"]["currency"].upper(),
        "target_processing_days": data["target_processing_days"],
        "active": data.get("active", True),
        "position": data.get("position", 100),
        "source_hash": source_hash,
    }
    permit_type = PermitType.objects.select_for_update().filter(code=data["code"]).first()
    if permit_type is None:
        permit_type = PermitType(code=data["code"], version=1, **values)
        outcome = "created"
    elif permit_type.source_hash == source_hash:
        return LoadResult(permit_type.code, "unchanged", permit_type.version)
    else:
        for name, value in values.items():
            setattr(permit_type, name, value)
        permit_type.version += 1
        outcome = "updated"
    permit_type.full_clean()
    permit_type.save()
    return LoadResult(permit_type.code, outcome, permit_type.version)


def permit_types_load_directory(directory: Path | str = DEFAULT_DIRECTORY) -> list[LoadResult]:
    """Load every *.json file of the directory; a file with problems loads nothing of itself and
    raises ValidationError naming the file, after the files before it have loaded."""
    results = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValidationError([f"{path.name}: not readable JSON ({error})"]) from error
        try:
            results.append(permit_type_load(data=data))
        except ValidationError as error:
            raise ValidationError(
                [f"{path.name}: {message}" for message in error.messages]
            ) from error
    return results


def permit_type_fees_ensure(*, results: list[LoadResult]) -> int:
    """Give each loaded permit type its electronic fee from its file, in force from today, when
    it has no fee row yet; afterwards the fee table (administrators) decides. Returns how many
    rows were created."""
    created = 0
    for result in results:
        permit_type = PermitType.objects.get(code=result.code)
        fee = fee_ensure_catalogue_fee(
            permit_type=permit_type,
            amount_cents=int(permit_type.fee_amount * 100),
            currency=permit_type.fee_currency,
            valid_from=timezone.localdate(),
        )
        created += fee is not None
    return created
