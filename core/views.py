"""The front page, the health check, and the error pages."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


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
