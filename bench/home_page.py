"""Benchmark: the applicant's home page with 5 and with 200 cases (query counts and median latency).

Run: .venv/bin/python bench/home_page.py [--requests 30]. Uses a throwaway test database (SQLite in
memory, or DATABASE_URL's server with a test_ prefix). The cases are bulk-created rows, each with
its two timeline events, as submission would leave them.
"""

from __future__ import annotations

import argparse
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


def make_applicant(index: int, cases: int):
    from accounts.models import User
    from applications.case_numbers import format_case_number
    from applications.models import Application, CaseEvent, PermitType, Status

    user = User.objects.create_user(
        email=f"bench{index}@example.org",
        password="bench password 1234",
        email_verified_at=timezone.now(),
    )
    permit_types = list(PermitType.objects.all())
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                applicant=user,
                permit_type=permit_types[number % len(permit_types)],
                status=Status.SUBMITTED,
                case_number=format_case_number("BENCH", 2030 + index, number + 1),
                submitted_at=now,
                declaration_confirmed_at=now,
                submitted_schema_version=1,
            )
            for number in range(cases)
        ]
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(application=application, kind=kind, actor=user, at=now)
            for application in applications
            for kind in ("created", "submitted")
        ]
    )
    return user


def signed_in_client(user) -> Client:
    from tests.conftest import sign_in_with_second_factor

    return sign_in_with_second_factor(Client(), user)


def measure(client: Client, requests: int) -> tuple[int, float]:
    url = reverse("applications:home")
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
    parser.add_argument("--requests", type=int, default=30)
    arguments = parser.parse_args()
    # No setup_test_environment(): its template instrumentation would slow every render.
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from applications.catalogue import permit_types_load_directory

        permit_types_load_directory()
        results = {}
        for index, cases in enumerate((5, 200)):
            client = signed_in_client(make_applicant(index, cases))
            results[cases] = measure(client, arguments.requests)
        print(f"Home page, {arguments.requests} requests each ({connection.vendor}):")
        for cases, (queries, median_ms) in results.items():
            print(f"  {cases:>4} cases: {queries} queries, median {median_ms:.1f} ms")
        if results[5][0] != results[200][0]:
            raise SystemExit("the query count grows with the number of cases")
        print("Query counts are equal.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
