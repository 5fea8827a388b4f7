"""The trust center's public pages: front page, official channels, warnings, security.txt."""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.authority import authority
from trust.selectors import official_channels, published_warning, published_warning_headlines


@require_GET
def trust_center(request):
    return render(
        request,
        "trust/center.html",
        {"channels": official_channels(), "warnings": published_warning_headlines(20)},
    )


@require_GET
def channels_page(request):
    return render(request, "trust/channels.html", {"channels": official_channels()})


@require_GET
def channels_json(request):
    response = JsonResponse(
        official_channels().to_dict(), json_dumps_params={"ensure_ascii": False}
    )
    # Public data for other sites and tools: readable cross-origin, cacheable for a while.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def security_txt(request):
    """RFC 9116: where to report vulnerabilities."""
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    canonical = urljoin(settings.PUBLIC_BASE_URL.rstrip("/") + "/", ".well-known/security.txt")
    lines = [
        f"Contact: {authority().security_contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fi, sv, en",
        f"Canonical: {canonical}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def warning_detail(request, public_id):
    """The warning as the security team last published it: later reports change nothing here."""
    warning = published_warning(public_id)
    if warning is None:
        raise Http404
    title, summary = warning.localised("title"), warning.localised("summary")
    context = {
        "warning": warning,
        "title": title,
        "summary": summary,
        # A text not in the reader's language is shown in its own, with a note that says so.
        "fallback": next((text for text in (title, summary) if text and text.is_fallback), None),
    }
    return render(request, "trust/warning.html", context)
