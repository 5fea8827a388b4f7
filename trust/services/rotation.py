"""After a rotation of SECRET_KEY: the reports' personal digests under the new key too."""

from __future__ import annotations

from core.sealed_fields import open_field, open_field_text
from trust.models import ScamReport
from trust.personal import personal_digests, report_personal_identifiers


def scam_reports_rehash_personal_digests(*, batch_size: int = 200) -> int:
    """Add to every report's personal digests those under the current key, recomputed from its
    sealed content and reporter; the number of reports changed. Safe to run again.

    The old digests are kept: the address a reporter typed as the recipient was never stored, so
    it cannot be recomputed, and its old digest counts while the old key is a fallback.
    """
    changed = 0
    reports = ScamReport.objects.exclude(personal_digests=None).only(
        "public_id",
        "personal_digests",
        "content_kind",
        "content_sealed",
        "reporter_address_sealed",
    )
    for report in reports.iterator(chunk_size=batch_size):
        reporter = ""
        if report.reporter_address_sealed:
            reporter = open_field_text(report, "reporter_address_sealed")
        current = personal_digests(
            report_personal_identifiers(
                content_kind=report.content_kind,
                content=open_field(report, "content_sealed"),
                reporter_address=reporter,
            )
        )
        merged = sorted(set(report.personal_digests) | set(current))
        if merged != sorted(report.personal_digests):
            changed += ScamReport.objects.filter(pk=report.pk).update(personal_digests=merged)
    return changed
