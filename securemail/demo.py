"""Demo data of Securemail: the topics a sender chooses from, each routed to a unit.

Called by casework.demo once the units exist (securemail cannot import casework); idempotent.
"""

from __future__ import annotations

from django.db import transaction

from securemail.models import Topic

# code: (unit code, Finnish, Swedish, English)
DEMO_TOPICS = {
    "residence-permit": (
        "residence-permits",
        "Oleskelulupa",
        "Uppehållstillstånd",
        "Residence permit",
    ),
    "citizenship": ("citizenship", "Kansalaisuus", "Medborgarskap", "Citizenship"),
    "other": ("residence-permits", "Muu asia", "Annat ärende", "Other matter"),
}


@transaction.atomic
def load_securemail_demo(*, unit_ids_by_code: dict[str, int]) -> int:
    """Create the demo topics whose unit exists; returns how many were created."""
    created = 0
    for ordering, (code, (unit_code, name_fi, name_sv, name_en)) in enumerate(DEMO_TOPICS.items()):
        unit_id = unit_ids_by_code.get(unit_code)
        if unit_id is None:
            continue
        _topic, was_created = Topic.objects.get_or_create(
            code=code,
            defaults={
                "unit_id": unit_id,
                "name_fi": name_fi,
                "name_sv": name_sv,
                "name_en": name_en,
                "ordering": ordering,
            },
        )
        created += was_created
    return created
