"""A campaign's indicators as a STIX 2.1 bundle and as plain JSON, for other security teams."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from core.authority import authority
from trust.models import Campaign

# Ids are uuid5 under this namespace, so exporting the same campaign twice gives the same ids and
# a receiver updates objects instead of duplicating them.
STIX_NAMESPACE = uuid.UUID("6f1c7a2e-5b1d-4c8e-9f3a-2d4b8e7c9a10")

_PATTERNS = {
    "domain": "domain-name:value",
    "url": "url:value",
    "email_address": "email-addr:value",
}


def stix_id(object_type: str, name: str) -> str:
    return f"{object_type}--{uuid.uuid5(STIX_NAMESPACE, f'{object_type}:{name}')}"


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as STIX requires."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _escape(value: str) -> str:
    # STIX patterning string literals: backslash and single quote are escaped with a backslash.
    return value.replace("\\", "\\\\").replace("'", "\\'")


def pattern_for(kind: str, value: str) -> str | None:
    path = _PATTERNS.get(kind)
    return f"[{path} = '{_escape(value)}']" if path else None


def campaign_indicators_json(campaign: Campaign, indicators: dict[str, list[dict]]) -> dict:
    return {
        "campaign": {
            "id": str(campaign.public_id),
            "title": str(campaign.localised("title") or ""),
            "status": campaign.status,
            "first_seen": campaign.first_seen.isoformat(),
            "last_seen": campaign.last_seen.isoformat(),
            "report_count": campaign.report_count,
        },
        "indicators": {
            kind: [{"value": item["value"], "reports": item["reports"]} for item in items]
            for kind, items in indicators.items()
        },
    }


def campaign_stix_bundle(campaign: Campaign, indicators: dict[str, list[dict]]) -> dict:
    """Identity (the authority), the campaign, an indicator per value, "indicates" relationships.

    Phone numbers have no STIX 2.1 cyber-observable type; they are in the JSON export only.
    """
    profile = authority()
    created = _timestamp(campaign.created_at)
    # STIX requires modified >= created; a campaign formed by regrouping is younger than its
    # last report.
    modified = _timestamp(max(campaign.created_at, campaign.last_seen))
    identity_id = stix_id("identity", profile.id)
    campaign_id = stix_id("campaign", str(campaign.public_id))
    identity = {
        "type": "identity",
        "spec_version": "2.1",
        "id": identity_id,
        "created": created,
        "modified": created,
        "name": profile.name("en"),
        "identity_class": "organization",
    }
    campaign_object = {
        "type": "campaign",
        "spec_version": "2.1",
        "id": campaign_id,
        "created_by_ref": identity_id,
        "created": created,
        "modified": modified,
        "name": str(campaign.localised("title", "en") or f"Campaign {campaign.public_id}"),
        "first_seen": _timestamp(campaign.first_seen),
        "last_seen": _timestamp(campaign.last_seen),
    }
    description = campaign.localised("summary", "en")
    if description:
        campaign_object["description"] = str(description)
    objects: list[dict] = [identity, campaign_object]
    for kind, items in indicators.items():
        for item in items:
            pattern = pattern_for(kind, item["value"])
            if pattern is None:
                continue
            indicator_id = stix_id("indicator", f"{campaign.public_id}:{kind}:{item['value']}")
            objects.append(
                {
                    "type": "indicator",
                    "spec_version": "2.1",
                    "id": indicator_id,
                    "created_by_ref": identity_id,
                    "created": created,
                    "modified": modified,
                    "name": item["value"],
                    "indicator_types": ["malicious-activity"],
                    "pattern": pattern,
                    "pattern_type": "stix",
                    "valid_from": _timestamp(campaign.first_seen),
                }
            )
            objects.append(
                {
                    "type": "relationship",
                    "spec_version": "2.1",
                    "id": stix_id("relationship", f"{indicator_id}:indicates:{campaign_id}"),
                    "created_by_ref": identity_id,
                    "created": created,
                    "modified": modified,
                    "relationship_type": "indicates",
                    "source_ref": indicator_id,
                    "target_ref": campaign_id,
                }
            )
    return {
        "type": "bundle",
        "id": stix_id("bundle", f"{campaign.public_id}:{modified}"),
        "objects": objects,
    }
