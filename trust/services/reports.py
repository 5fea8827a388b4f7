"""Scam reports: checked by the engine, sealed at rest, grouped in the background, kept as evidence."""

from __future__ import annotations

from django.db import transaction

from audit.services import audit_record
from core.authority import authority
from core.phones import normalize_phone
from core.sealed_fields import (
    open_field,
    open_field_json,
    open_field_text,
    seal_field,
    seal_field_json,
    seal_field_text,
)
from trust.models import ContentKind, ReportChannel, ReportIndicator, ScamReport
from trust.personal import personal_digests, report_personal_identifiers, without_personal
from trust.report_similarity import message_text, minhash_signature, report_indicator_rows


def run_check(
    *,
    channel: str,
    content_kind: str,
    content: bytes,
    sender: str = "",
    recipient: str = "",
    registry_rows: list[tuple] | None = None,
):
    """The engine's result for a report's content (raises trust.engine.MessageTooLarge).

    `recipient`: the address or phone number the person typed as the one the message came to; a
    verification code vouches for a message only against it (never against the message's To:).
    `registry_rows`: the official channels' registry already read in this request
    (trust.selectors.registry_read), else the engine factory reads it.
    """
    from trust.engine_factory import current_engine

    engine = current_engine(registry_rows)
    recipient = (recipient or "").strip() or None
    if content_kind == ContentKind.EML:
        return engine.check_email(content, recipient=recipient)
    text = content.decode("utf-8", errors="replace")
    if channel == ReportChannel.URL:
        return engine.check_url(text.strip())
    return engine.check_text(text, channel=channel, sender=sender, recipient=recipient)


@transaction.atomic
def scam_report_submit(
    *,
    source: str,
    channel: str,
    content_kind: str,
    content: bytes,
    reporter_address: str = "",
    language: str = "",
    sender: str = "",
    recipient: str = "",
    result=None,
    request=None,
) -> ScamReport:
    """Store a report (checking it first unless `result` is given); it is grouped into a campaign
    in the background after commit (trust.tasks.scam_report_group_later), so that comparing it with
    thousands of recent reports never holds up the reporter's page.

    `recipient` (what the reporter typed as the address the message came to) is used for the check
    and kept out of the indicators; it is not stored.
    """
    if result is None:
        result = run_check(
            channel=channel,
            content_kind=content_kind,
            content=content,
            sender=sender,
            recipient=recipient,
        )
    reporter_address = (reporter_address or "").strip()
    # The reporter, the recipients (the one the person typed too) and the people in forwarded
    # text are not the scammer's indicators (trust.personal).
    excluded = report_personal_identifiers(
        content_kind=content_kind, content=content, reporter_address=reporter_address
    )
    typed_recipient = (recipient or "").strip().lower()
    if typed_recipient:
        excluded.add(typed_recipient)
        number = (
            "" if "@" in typed_recipient else normalize_phone(typed_recipient, authority().country)
        )
        if number:
            excluded.add(number)
    indicators = without_personal(result.indicators, excluded)
    report = ScamReport(
        source=source,
        channel=channel,
        content_kind=content_kind,
        reporter_language=(language or "")[:10],
        verdict=result.verdict,
        finding_codes=[finding.code for finding in result.findings],
        indicators=indicators,
        minhash=minhash_signature(message_text(content_kind, content)),
        personal_digests=personal_digests(excluded),
    )
    seal_field(report, "content_sealed", content)
    # The message's language too, so that the report's page marks quoted words with it.
    stored = {**result.to_dict(), "message_language": getattr(result, "message_language", "")}
    seal_field_json(report, "result_sealed", stored)
    if reporter_address:
        seal_field_text(report, "reporter_address_sealed", reporter_address)
    report.full_clean()
    report.save()
    ReportIndicator.objects.bulk_create(
        [
            ReportIndicator(report=report, kind=kind, value=value)
            for kind, value in sorted(
                report_indicator_rows(indicators, excluded_addresses=excluded)
            )
        ]
    )
    audit_record(
        action="trust.report.created", request=request, target=report, details={"source": source}
    )
    _group_after_commit(report)
    return report


def _group_after_commit(report: ScamReport) -> None:
    from trust.tasks import scam_report_group_later

    report_id = report.pk
    transaction.on_commit(lambda: scam_report_group_later.enqueue(report_id=report_id))


def scam_report_content(report: ScamReport) -> bytes:
    return open_field(report, "content_sealed")


def scam_report_result(report: ScamReport) -> dict:
    return open_field_json(report, "result_sealed")


def scam_report_reporter_address(report: ScamReport) -> str:
    if not report.reporter_address_sealed:
        return ""
    return open_field_text(report, "reporter_address_sealed")


def scam_report_evidence(
    *, report: ScamReport, request=None, by: str = "reporter"
) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the reported message, the download audited."""
    audit_record(
        action="trust.report.evidence_downloaded",
        request=request,
        target=report,
        details={"by": by},
    )
    content = scam_report_content(report)
    stamp = report.created_at.strftime("%Y%m%d-%H%M%S")
    if report.content_kind == ContentKind.EML:
        return f"reported-message-{stamp}.eml", "message/rfc822", content
    return f"reported-message-{stamp}.txt", "text/plain; charset=utf-8", content
