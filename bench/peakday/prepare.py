"""What a peak day needs in the database before it starts, made through the project's own
commands and services: the permit types and their fees, the units and Securemail topics, and the
caseworkers (each sets up TOTP at the first sign-in, during the run, as a person does).

Runs through Django with the server's settings (the same environment: DATABASE_URL, keys, storage).
Idempotent: a second run reuses what is there.

    .venv/bin/python bench/peakday/prepare.py --caseworkers 4 --run-id r1 > caseworkers.json
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The units of the demo data (casework.demo.UNITS) and their Securemail topics.
UNITS = {
    "residence-permits": (
        "Residence permits",
        ["work-employed", "studies", "family-ties", "extended-permit"],
    ),
    "citizenship": ("Citizenship", ["citizenship"]),
}


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare(*, caseworkers: int, run_id: str, password: str) -> list[str]:
    """Make sure the reference data exist; create `caseworkers` caseworkers for this run."""
    from django.core.management import call_command

    from accounts.models import Role, User
    from accounts.services import user_staff_create
    from casework.models import CaseworkerScope, Unit
    from casework.services import caseworker_scope_add, unit_save
    from securemail.demo import DEMO_TOPICS
    from securemail.models import Topic

    call_command("load_permit_types", stdout=io.StringIO())
    units = {}
    for code, (name, permit_types) in UNITS.items():
        units[code] = Unit.objects.filter(code=code).first() or unit_save(
            code=code, name=name, permit_type_codes=permit_types
        )
    for ordering, (code, (unit_code, name_fi, name_sv, name_en)) in enumerate(DEMO_TOPICS.items()):
        Topic.objects.get_or_create(
            code=code,
            defaults={
                "unit": units[unit_code],
                "name_fi": name_fi,
                "name_sv": name_sv,
                "name_en": name_en,
                "ordering": ordering,
            },
        )
    emails = []
    for number in range(1, caseworkers + 1):
        email = f"caseworker{number}.{run_id}@peakday.example"
        user = User.objects.filter(email=email).first() or user_staff_create(
            email=email,
            role=Role.CASEWORKER,
            password=password,
            full_name=f"Peak Day Caseworker {number}",
        )
        for unit in units.values():
            if not CaseworkerScope.objects.filter(caseworker=user, unit=unit).exists():
                caseworker_scope_add(caseworker=user, unit=unit)
        emails.append(email)
    return emails


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caseworkers", type=int, default=2)
    parser.add_argument("--run-id", required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from client import PASSWORD

    setup_django()
    emails = prepare(caseworkers=args.caseworkers, run_id=args.run_id, password=PASSWORD)
    print(json.dumps(emails))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
