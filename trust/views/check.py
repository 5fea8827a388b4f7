"""The check: a public page (text, .eml or address) and the JSON API with its OpenAPI schema."""

from __future__ import annotations

import base64
import binascii
import json
import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.ratelimit import client_address, rate_limit_hit
from core.ratelimit import rate_limited as rate_limited_view
from documents.forms import upload_too_large
from documents.upload_handlers import upload_limit
from trust.forms import CHECK_FORMS, INLINE_EML_MAX_BYTES, submitted_form
from trust.openapi import NOT_BLANK_PATTERN, openapi_document
from trust.selectors import max_message_bytes, registry_read
from trust.views.common import (
    CheckFailed,
    advice,
    explanations,
    presented,
    rate_limited_page,
    run_check_safely,
)

CHECK_LIMIT = (30, 60)  # per client address: 30 checks a minute
API_LIMIT = (60, 60)
# JSON and base64 around the largest message: base64 grows it by a third.
API_OVERHEAD_BYTES = 64 * 1024

NOT_BLANK = re.compile(NOT_BLANK_PATTERN)


def _report_initial(form) -> dict:
    """What the "report this message" form sends back: the checked content, in hidden fields."""
    data = form.cleaned_data
    if form.mode == "text":
        return {
            "mode": "text",
            "text": data["text"],
            "channel": data["channel"],
            "sender": data.get("sender", ""),
            "recipient": data.get("recipient", ""),
        }
    if form.mode == "url":
        return {"mode": "url", "url": data["url"]}
    raw = data["raw"]
    if len(raw) > INLINE_EML_MAX_BYTES:
        return {"mode": "eml", "too_large": True}
    return {
        "mode": "eml",
        "raw_b64": base64.b64encode(raw).decode("ascii"),
        "recipient": data.get("recipient", ""),
    }


@upload_limit("TRUST_MAX_MESSAGE_BYTES")
@require_http_methods(["GET", "POST"])
def check_page(request):
    registry_rows = None
    if request.method == "POST":
        # As core.ratelimit.rate_limited counts a POST, with the official channels' registry,
        # which the check reads, sent along: one round trip for both where the database takes it.
        hit = rate_limit_hit(
            scope="trust.check",
            key=client_address(request),
            limit=CHECK_LIMIT[0],
            window_seconds=CHECK_LIMIT[1],
            along=registry_read(),
        )
        if not hit.allowed:
            return rate_limited_page(request, hit)
        registry_rows = hit.along_rows
    form = submitted_form(
        CHECK_FORMS,
        request.POST or None,
        request.FILES or None,
        upload_stopped=upload_too_large(request),
    )
    # The error summary's forms: the submitted one (the blank ones have no errors to list).
    context = {"form": form, "error_forms": [form] if form is not None else []}
    status = 200
    if form is not None and form.is_valid():
        channel, content_kind, content = form.content()
        try:
            result = run_check_safely(
                channel=channel,
                content_kind=content_kind,
                content=content,
                sender=form.cleaned_data.get("sender", ""),
                recipient=form.cleaned_data.get("recipient", ""),
                registry_rows=registry_rows,
            )
        except CheckFailed as error:
            form.add_error(None, str(error))
            status = 400
        else:
            context.update(presented(result))
            context["report"] = _report_initial(form)
            if context["quote_language"] and "text" in form.fields:
                # The message, shown again in its field, is in another language than the page.
                form.fields["text"].widget.attrs["lang"] = context["quote_language"]
    elif form is not None:
        status = 400
    return render(request, "trust/check.html", context, status=status)


def _api_error(code: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _api_rate_limited(request, result):
    return _api_error("rate_limited", _("Too many requests. Please try again later."), status=429)


# The keys each kind of request may hold: the schema says additionalProperties: false, and a
# misspelt key (say "recipent") silently ignored would answer a different question than asked.
_API_FIELDS = {
    "text": frozenset({"text", "channel", "sender", "recipient"}),
    "raw_email": frozenset({"raw_email", "recipient"}),
    "url": frozenset({"url"}),
}
RECIPIENT_MAX_CHARACTERS = 320


def _api_string(payload: dict, name: str, default: str = "") -> str:
    value = payload.get(name, default)
    if not isinstance(value, str):
        raise ValueError(
            "bad_request", _("The field %(field)s must be a string.") % {"field": name}
        )
    return value


def _api_input(payload) -> tuple[str, str, bytes, str, str]:
    """(channel, content kind, content, sender, recipient) from the JSON, or ValueError(code,
    text)."""
    if not isinstance(payload, dict):
        raise ValueError("bad_request", _("Send a JSON object."))
    given = [name for name in _API_FIELDS if name in payload]
    if len(given) != 1:
        raise ValueError("bad_request", _("Send exactly one of text, raw_email or url."))
    field = given[0]
    unknown = sorted(set(payload) - _API_FIELDS[field])
    if unknown:
        raise ValueError(
            "bad_request",
            _("Unknown field: %(fields)s.") % {"fields": ", ".join(unknown)[:200]},
        )
    value = payload[field]
    if not isinstance(value, str) or not NOT_BLANK.search(value):
        raise ValueError(
            "bad_request", _("The field %(field)s must be a non-empty string.") % {"field": field}
        )
    recipient = _api_string(payload, "recipient")
    if len(recipient) > RECIPIENT_MAX_CHARACTERS:  # as given: the schema's maxLength
        raise ValueError(
            "bad_request", _("The field %(field)s is too long.") % {"field": "recipient"}
        )
    if field == "raw_email":
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("bad_request", _("raw_email must be base64.")) from None
        return "email", "eml", raw, "", recipient.strip()
    if field == "url":
        if len(value) > 2048:
            raise ValueError("bad_request", _("The address is too long."))
        return "url", "text", value.strip().encode("utf-8", "replace"), "", ""
    channel = payload.get("channel", "email")
    if not isinstance(channel, str) or channel not in {"email", "sms", "social"}:
        raise ValueError("bad_request", _("channel must be email, sms or social."))
    if not isinstance(payload.get("sender", ""), str):
        raise ValueError("bad_request", _("sender must be a string."))
    # JSON may carry lone surrogates ("\ud800"), which UTF-8 cannot hold: read them as U+FFFD.
    content = value.encode("utf-8", "replace")
    return channel, "text", content, payload.get("sender", ""), recipient.strip()


@csrf_exempt  # an API for programs: it reads no cookies, so there is no session to forge
@require_POST
@rate_limited_view(
    "trust.api.check", limit=API_LIMIT[0], window_seconds=API_LIMIT[1], on_limited=_api_rate_limited
)
def api_check(request):
    limit = max_message_bytes()
    largest_body = limit * 4 // 3 + API_OVERHEAD_BYTES
    too_large = _("The message is larger than %(megabytes)s MB.") % {
        "megabytes": limit // (1024 * 1024)
    }
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > largest_body:
        return _api_error("too_large", too_large)
    # Read the stream directly: request.body would stop at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
    body = request.read(largest_body + 1)
    if len(body) > largest_body:
        return _api_error("too_large", too_large)
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: deeply nested arrays, which the json module cannot read.
        return _api_error("bad_json", _("The request body is not valid JSON."))
    try:
        channel, content_kind, content, sender, recipient = _api_input(payload)
    except ValueError as error:
        code, message = error.args
        return _api_error(code, message)
    if len(content) > limit:
        return _api_error("too_large", too_large)
    try:
        result = run_check_safely(
            channel=channel,
            content_kind=content_kind,
            content=content,
            sender=sender,
            recipient=recipient,
        )
    except CheckFailed as error:
        return _api_error("unreadable", str(error))
    language = (get_language() or "en")[:2]
    return JsonResponse(
        {
            **result.to_dict(),
            "explanations": explanations(result),
            "advice": advice(result, language),
            "language": language,
        }
    )


@require_GET
def api_openapi(request):
    response = JsonResponse(openapi_document(request.build_absolute_uri("/")))
    response["Access-Control-Allow-Origin"] = "*"
    return response
