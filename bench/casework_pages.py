"""Benchmark: the caseworker's queue page and case page with 100 and with 10,000 cases (query
counts and median latency of each).

Run: .venv/bin/python bench/casework_pages.py [--cases 10000] [--requests 30]. Uses a throwaway test
database (SQLite in memory, or DATABASE_URL's server with a test_ prefix). One case is submitted
through the real services (answers, attachments, a note, a request); the rest are bulk-created rows
with their timeline events, a case file for every other one and an overdue request for every tenth.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 2000


def make_users():
    from accounts.models import User
    from applications.models import PermitType
    from casework.models import CaseworkerScope, Unit

    unit = Unit.objects.create(code="all", name="All permits")
    unit.permit_types.add(*PermitType.objects.all())
    caseworker = User.objects.create_user(
        email="caseworker@bench.invalid",
        password="bench password 1234",
        role="caseworker",
        email_verified_at=timezone.now(),
    )
    CaseworkerScope.objects.create(caseworker=caseworker, unit=unit)
    applicant = User.objects.create_user(
        email="applicant@bench.invalid",
        password="bench password 1234",
        email_verified_at=timezone.now(),
    )
    return caseworker, applicant


def make_full_case(applicant, caseworker):
    """One case through the real services, as the case page would find it in practice."""
    from applications.models import PermitType
    from applications.services import application_start, application_submit
    from casework.services import case_take, internal_note_add, supplement_request_create
    from tests.applications.conftest import attach_required, fill_sections

    draft = application_start(
        applicant=applicant, permit_type=PermitType.objects.get(code="work-employed")
    )
    attach_required(fill_sections(draft))
    case = application_submit(application=draft, declaration_confirmed=True, actor=applicant)
    case_take(application=case, actor=caseworker)
    for number in range(3):
        internal_note_add(application=case, author=caseworker, text=f"Note {number}.")
    supplement_request_create(
        application=case,
        actor=caseworker,
        message="Please send the signed contract.",
        requested_kinds=["employment_contract"],
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    return case


def add_cases(applicant, caseworker, start: int, count: int) -> None:
    from applications.case_numbers import format_case_number
    from applications.models import Application, CaseEvent, PermitType, Status
    from casework.models import CaseFile, SupplementRequest

    permit_types = list(PermitType.objects.all())
    statuses = [Status.SUBMITTED, Status.IN_PROCESSING, Status.WAITING_FOR_SUPPLEMENT]
    now = timezone.now()
    for offset in range(0, count, BATCH):
        numbers = range(start + offset, start + min(offset + BATCH, count))
        applications = Application.objects.bulk_create(
            [
                Application(
                    applicant=applicant,
                    permit_type=permit_types[number % len(permit_types)],
                    status=statuses[number % 3],
                    case_number=format_case_number("BENCH", 2030, number + 1),
                    submitted_at=now - datetime.timedelta(days=number % 120),
                    declaration_confirmed_at=now,
                    submitted_schema_version=1,
                    submitted_language="en",
                )
                for number in numbers
            ]
        )
        if connection.vendor == "sqlite" and applications[0].pk is None:
            raise SystemExit("bulk_create returned no primary keys")
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(application=application, kind=kind, actor=applicant, at=now)
                for application in applications
                for kind in ("created", "submitted")
            ]
        )
        CaseFile.objects.bulk_create(
            [
                CaseFile(application=application, assignee=caseworker, processing_rounds=1)
                for index, application in enumerate(applications)
                if index % 2 == 0
            ]
        )
        SupplementRequest.objects.bulk_create(
            [
                SupplementRequest(
                    application=application,
                    requested_by=caseworker,
                    message_sealed=b"",
                    deadline=timezone.localdate() - datetime.timedelta(days=1),
                )
                for index, application in enumerate(applications)
                if application.status == Status.WAITING_FOR_SUPPLEMENT and index % 10 == 2
            ]
        )


def measure(client: Client, url: str, requests: int) -> tuple[int, float]:
    for _warm_up in range(3):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Counted now: every request start empties the connection's query log.
    query_count = len(queries)
    timings = []
    for _request in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return query_count, statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    arguments = parser.parse_args()
    from django.conf import settings

    # Notifications stay in memory: the benchmark measures pages, not mail delivery.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "memory"
    # No setup_test_environment(): its template instrumentation would slow every render.
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from applications.catalogue import permit_types_load_directory
        from tests.conftest import sign_in_with_second_factor

        permit_types_load_directory()
        caseworker, applicant = make_users()
        case = make_full_case(applicant, caseworker)
        client = sign_in_with_second_factor(Client(), caseworker)
        pages = {
            "queue": reverse("casework:queue"),
            "queue, waiting, page 2": reverse("casework:queue")
            + "?status=waiting_for_supplement&page=2",
            "case page": reverse("casework:case", args=[case.pk]),
        }
        results: dict[int, dict[str, tuple[int, float]]] = {}
        created = 1
        for total in (100, arguments.cases):
            add_cases(applicant, caseworker, created, total - created)
            created = total
            results[total] = {
                name: measure(client, url, arguments.requests) for name, url in pages.items()
            }
        print(f"Casework pages, {arguments.requests} requests each ({connection.vendor}):")
        for total, figures in results.items():
            for name, (queries, median_ms) in figures.items():
                print(
                    f"  {total:>6} cases, {name:<22}: {queries:>2} queries, median {median_ms:.1f} ms"
                )
        small, large = results[100], results[arguments.cases]
        if any(small[name][0] != large[name][0] for name in pages):
            raise SystemExit("a query count grows with the number of cases")
        print("Query counts are equal (goal: constant); the queue pages by 50.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
