"""The front page, the health check, the error pages, and the footer's accessibility statement
and privacy notice."""

from datetime import date

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from core.about import retention_periods
from core.authority import authority


def index(request):
    return render(request, "core/index.html")


def health(request):
    """For load balancers: the database answers. Says nothing else about the installation."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
