"""The daily CSV for accounting: each movement of money once, refunds negative, no person named;
a management command and a download for administrators only."""

from __future__ import annotations

import csv
import datetime
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from payments.reports import COLUMNS, daily_report_csv
from payments.services.refunds import payment_refund


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_day_lists_payments_and_refunds_once_and_no_personal_data(
    administrator, applicant, start_payment, embedded, pay
):
    first, second, pending = start_payment(), start_payment(), start_payment()
    pay(first)
    pay(first)  # a repeated callback is not a second payment
    pay(second)  # paid in a second tab: money taken, to be refunded
    pay(second)
    payment_refund(payment=second, actor=administrator, reason="duplicate", method="manual")
    # `pending` is never paid: not in the report
    text = daily_report_csv(day=timezone.localdate())
    report = rows(text)
    assert tuple(report[0]) == COLUMNS
    entries = [(row["entry"], row["amount"], row["reference_number"]) for row in report]
    assert entries == [
        ("payment", "480.00", first.reference_number),
        ("payment_to_refund", "480.00", second.reference_number),
        ("refund", "-480.00", second.reference_number),
    ]
    assert pending.reference_number not in text
    first.application.refresh_from_db()
    for personal in (applicant.email, first.application.case_number, "Nguyen"):
        assert personal and personal not in text
    # Another day has nothing.
    assert rows(daily_report_csv(day=timezone.localdate() - datetime.timedelta(days=1))) == []


def test_the_command_writes_the_report_of_a_day(tmp_path, paid_payment):
    output = tmp_path / "payments.csv"
    call_command(
        "payments_daily_report",
        date=timezone.localdate().isoformat(),
        output=str(output),
        stderr=io.StringIO(),
    )
    report = rows(output.read_text(encoding="utf-8"))
    assert [row["payment_id"] for row in report] == [str(paid_payment.public_id)]
    stdout = io.StringIO()
    call_command("payments_daily_report", stdout=stdout)  # yesterday: only the header
    assert rows(stdout.getvalue()) == []


def test_administrators_download_it_and_others_cannot(
    administrator_client, client, make_user, paid_payment
):
    from audit.models import AuditEvent
    from tests.conftest import sign_in_with_second_factor

    url = reverse("payments:daily_report") + f"?date={timezone.localdate().isoformat()}"
    response = administrator_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert paid_payment.reference_number in response.content.decode()
    assert AuditEvent.objects.filter(action="payments.report_downloaded").count() == 1
    # A malformed day is a message, not an error page.
    bad = administrator_client.get(reverse("payments:daily_report") + "?date=yesterday")
    assert bad.status_code == 302
    applicant = sign_in_with_second_factor(client, make_user(role="applicant"))
    assert applicant.get(url).status_code in (403, 404)
