"""Scam reports: checked by the engine, sealed at rest, grouped at once, kept as evidence."""

from __future__ import annotations

import email
import email.policy
from email.utils import getaddresses

from django.db import transaction

from audit.services import audit_record
from core.crypto import open_json, open_sealed, open_text, seal, seal_json, seal_text
from trust.campaigns import message_text, minhash_signature, report_indicator_rows
from trust.engine.limits import bounded_for_parsing
from trust.models import ContentKind, ReportChannel, ReportIndicator, ScamReport


def run_check(*, channel: str, content_kind: str, content: bytes, sender: str = ""):
    """The engine's result for a report's content (raises trust.engine.MessageTooLarge)."""
    from trust.engine_factory import current_engine

    engine = current_engine()
    if content_kind == ContentKind.EML:
        return engine.check_email(content)
    text = content.decode("utf-8", errors="replace")
    if channel == ReportChannel.URL:
        return engine.check_url(text.strip())
    return engine.check_text(text, channel=channel, sender=sender)


def _recipient_addresses(content_kind: str, content: bytes) -> list[str]:
    if content_kind != ContentKind.EML:
        return []
    try:
        message = email.message_from_bytes(
            bounded_for_parsing(content)[0], policy=email.policy.compat32
        )
        headers = [
            str(value)
            for name in ("To", "Cc", "Delivered-To")
            for value in message.get_all(name, [])
        ]
        return [address for _name, address in getaddresses(headers) if address]
    except Exception:  # a damaged header hides no indicator worth a failed report
        return []


def _without_addresses(indicators: dict, excluded: set[str]) -> dict:
    cleaned = {key: list(values) for key, values in (indicators or {}).items()}
    cleaned["email_addresses"] = [
        address for address in cleaned.get("email_addresses", []) if address.lower() not in excluded
    ]
    return cleaned


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
    result=None,
    request=None,
) -> ScamReport:
    """Store a report (checking it first unless `result` is given) and group it into a campaign."""
    from trust.services.campaigns import scam_report_group

    if result is None:
        result = run_check(
            channel=channel, content_kind=content_kind, content=content, sender=sender
        )
    reporter_address = (reporter_address or "").strip()
    # The reporter and the message's recipients are personal data, not the scammer's indicators.
    excluded = {
        address.lower()
        for address in [reporter_address, *_recipient_addresses(content_kind, content)]
        if address
    }
    indicators = _without_addresses(result.indicators, excluded)
    report = ScamReport(
        source=source,
        channel=channel,
        content_kind=content_kind,
        reporter_language=(language or "")[:10],
        verdict=result.verdict,
        finding_codes=[finding.code for finding in result.findings],
        indicators=indicators,
        minhash=minhash_signature(message_text(content_kind, content)),
    )
    report.content_sealed = seal(content, associated_data=report.associated_data)
    report.result_sealed = seal_json(result.to_dict(), associated_data=report.associated_data)
    if reporter_address:
        report.reporter_address_sealed = seal_text(
            reporter_address, associated_data=report.associated_data
        )
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
    scam_report_group(report=report)
    report.refresh_from_db(fields=["campaign", "grouped_at"])
    return report


def scam_report_content(report: ScamReport) -> bytes:
    return open_sealed(bytes(report.content_sealed), associated_data=report.associated_data)


def scam_report_result(report: ScamReport) -> dict:
    return open_json(bytes(report.result_sealed), associated_data=report.associated_data)


def scam_report_reporter_address(report: ScamReport) -> str:
    if not report.reporter_address_sealed:
        return ""
    return open_text(bytes(report.reporter_address_sealed), associated_data=report.associated_data)


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
