"""What the check page, the report pages and the API share: running a check and presenting it."""

from __future__ import annotations

import logging

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.authority import authority

logger = logging.getLogger(__name__)

VERDICT_LABELS = {
    "genuine": gettext_lazy("Genuine: this message comes from us"),
    "scam": gettext_lazy("Scam: this is not from us"),
    "suspicious": gettext_lazy("Suspicious: treat this message with care"),
    "unverified": gettext_lazy("Not verified: we could not confirm that this comes from us"),
}


class CheckFailed(Exception):
    """The input could not be checked; the message is safe to show to the user."""


def run_check_safely(
    *,
    channel: str,
    content_kind: str,
    content: bytes,
    sender: str = "",
    recipient: str = "",
    registry_rows: list[tuple] | None = None,
):
    """Run the engine; too large or unreadable input becomes CheckFailed, never a server error.
    `recipient`: what the person typed as the address the message came to; `registry_rows`: the
    official channels' registry already read in this request (see run_check)."""
    from trust.engine import MessageTooLarge
    from trust.selectors import max_message_bytes
    from trust.services import run_check

    if len(content) > max_message_bytes():
        raise CheckFailed(_("The message is too large to check."))
    try:
        return run_check(
            channel=channel,
            content_kind=content_kind,
            content=content,
            sender=sender,
            recipient=recipient,
            registry_rows=registry_rows,
        )
    except MessageTooLarge:
        raise CheckFailed(_("The message is too large to check.")) from None
    except Exception as error:
        # The exception text may quote the message; log its type only.
        logger.error("the check failed on its input: %s", type(error).__name__)
        raise CheckFailed(_("The message could not be read. Paste its text instead.")) from None


def result_from_dict(data: dict):
    """A CheckResult again from its to_dict() form (a stored report's result)."""
    from trust.engine import CheckResult, Finding

    return CheckResult(
        verdict=data["verdict"],
        findings=[
            Finding(item["code"], item["severity"], dict(item.get("evidence", {})))
            for item in data["findings"]
        ],
        indicators={key: list(values) for key, values in data.get("indicators", {}).items()},
        verification_codes=[dict(item) for item in data.get("verification_codes", [])],
        message_language=data.get("message_language", ""),
    )


def explanations(result) -> list[dict]:
    from trust.explanations import explain

    return [
        {"code": finding.code, "severity": finding.severity, "text": str(explain(finding))}
        for finding in result.findings
    ]


def advice(result, language: str | None = None) -> list:
    """The seed's advice in the reader's language, as JSON-able items (strings or dicts)."""
    from trust.advice import advice_for

    items = []
    for item in advice_for(result, language=language):
        if isinstance(item, dict):
            items.append({key: str(value) for key, value in item.items()})
        else:
            items.append(str(item))
    return items


def advice_for_page(items: list) -> list[dict]:
    """Advice items as {"text", "url", "link_text"} for the template, whatever their shape."""
    shaped = []
    for item in items:
        if isinstance(item, dict):
            text = item.get("text") or item.get("message") or ""
            url = item.get("url") or item.get("href") or ""
            link_text = item.get("link_text") or item.get("label") or item.get("url_text") or url
            shaped.append({"text": text, "url": url, "link_text": link_text})
        else:
            shaped.append({"text": item, "url": "", "link_text": ""})
    return shaped


# What page_advice depends on -> (the profile it was written for, the items). Advice names no
# evidence of the message: only its verdict and whether it shows an unconfirmed code of ours.
_PAGE_ADVICE: dict[tuple, tuple[object, list[dict]]] = {}
_UNCONFIRMED_CODE = "verification_code_ours_unconfirmed"


@receiver(setting_changed)
def _forget_page_advice(**kwargs) -> None:
    # The profile, the languages and the URLs come from settings; tests change them.
    _PAGE_ADVICE.clear()


def page_advice(result) -> list[dict]:
    """advice_for_page(advice(result)), written once per language, verdict, profile and URL
    prefix: the same dozen translated sentences were looked up again for every check."""
    profile = authority()
    key = (
        get_language(),
        result.verdict,
        result.has(_UNCONFIRMED_CODE),
        id(profile),
        get_script_prefix(),
        get_urlconf(),
    )
    written = _PAGE_ADVICE.get(key)
    # The profile is kept with its advice: its id is not another profile's while it lives.
    if written is None or written[0] is not profile:
        written = (profile, advice_for_page(advice(result)))
        if len(_PAGE_ADVICE) < 256:
            _PAGE_ADVICE[key] = written
    return [dict(item) for item in written[1]]


def quote_language(result) -> str:
    """The `lang` for words quoted from the checked message: its detected language when that is
    not the page's; "" (no attribute) when it is the page's or when the engine was not sure."""
    detected = getattr(result, "message_language", "")
    return detected if detected and detected != (get_language() or "")[:2] else ""


def page_explanations(result) -> list[dict]:
    """explanations() for a page: each text HTML, the message's own words marked with their
    language."""
    from trust.explanations import explain_html

    language = quote_language(result)
    return [
        {
            "code": finding.code,
            "severity": finding.severity,
            "text": explain_html(finding, language),
        }
        for finding in result.findings
    ]


def presented(result) -> dict:
    """Template context for a result: the verdict, each finding explained, and the advice."""
    return {
        "result": result,
        "verdict": result.verdict,
        "verdict_label": VERDICT_LABELS.get(result.verdict, result.verdict),
        "explanations": page_explanations(result),
        "advice": page_advice(result),
        "quote_language": quote_language(result),
    }


def rate_limited_page(request, result):
    response = render(
        request, "trust/rate_limited.html", {"retry_after": result.retry_after}, status=429
    )
    response["Retry-After"] = str(result.retry_after)
    return response
