"""The front page, the liveness and readiness checks, the error pages, and the footer's
accessibility statement and privacy notice."""

from datetime import date

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.about import retention_periods
from core.authority import authority
from core.health import readiness


def index(request):
    return render(request, "core/index.html")


@never_cache
def live(request):
    """Liveness: this process answers. Touches nothing else (see core.health)."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    """Readiness: the database, the documents storage and the task queue (see core.health);
    503 when this process cannot serve."""
    result = readiness()
    return JsonResponse(result.as_dict(), status=200 if result.ready else 503)


def _error(request, status: int):
    return render(request, "core/error.html", {"status": status}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    return _error(request, 500)


def accessibility_statement(request):
    reviewed_on = authority().accessibility.statement_reviewed_on
    return render(
        request,
        "core/accessibility.html",
        {"statement_reviewed_on": date.fromisoformat(reviewed_on) if reviewed_on else None},
    )


def privacy_notice(request):
    return render(request, "core/privacy.html", {"retention_periods": retention_periods()})
