"""Benchmark: Paytrail's server-to-server callbacks against the real server (gunicorn, two web
processes) on PostgreSQL: callbacks per second, and the proof that every payment ends in exactly
one final state.

Run: .venv/bin/python bench/payments_callbacks.py [--payments 250] [--concurrency 8]
     [--web-processes 2] [--database-url postgres://postgres@127.0.0.1:5432/postgres]

It creates a database of its own on that server (dropped afterwards), migrates it, and makes
`--payments` pending Paytrail payments of draft applications. Each payment gets four signed
callbacks (1,000 for 250 payments): most get "ok" twice (a duplicate) and a late "pending" and
"delayed" (out of order); every fifth gets "fail" twice and a late "ok" and "pending" (a success
in either order: whichever is applied first decides, and the other never undoes it). All callbacks are shuffled together and sent by
`--concurrency` threads at once, so duplicates of one payment race each other in the two
processes. Then it checks, from the database: every callback answered 200 and was recorded; every
payment is paid or failed, moved to that final state by exactly one message; every paid payment's
application was sent once, with one case number; no failed payment was paid, and the success that
came after its failure is kept (flagged for a refund). Which of "fail" and "ok" comes first is
left to the race: the checks hold for either. Exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._support import database_url, drop_database, ensure_database, free_port  # noqa: E402

MERCHANT_ID = "375917"
SECRET = "bench-callback-secret"  # noqa: S105 (a throwaway merchant secret for this run)
FINAL = ("paid", "failed", "cancelled", "refunded")
# Bench settings: the callback scope's rate limit (one loopback address sends everything here;
# Paytrail sends from a few) raised, as an operator sets RATE_LIMITS.
SETTINGS_MODULE = """
from config.settings import *  # noqa: F403

RATE_LIMITS = {**globals().get("RATE_LIMITS", {}), "payments_callback": (10_000_000, 60)}
"""


def prepare_environment(url: str, settings_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PERMITSAFE_MODE": "development",
        "DEBUG": "0",
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench_payments_settings",
        "PYTHONPATH": os.pathsep.join([settings_dir, str(ROOT)]),
        "PAYMENTS_PROVIDER": "paytrail",
        "PAYTRAIL_MERCHANT_ID": MERCHANT_ID,
        "PAYTRAIL_SECRET_KEY": SECRET,
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    }
    os.environ.update(env)
    sys.path.insert(0, settings_dir)
    return env


def make_payments(count: int) -> list:
    """`count` draft applications, each with one pending Paytrail payment (as payment_start
    leaves it after Paytrail created the transaction)."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from applications.models import PermitType
    from applications.services import application_start
    from payments.models import Payment, PaymentStatus
    from payments.references import creditor_reference, finnish_reference

    call_command("load_permit_types", stdout=io.StringIO())
    permit_type = PermitType.objects.get(code="work-employed")
    payments = []
    for number in range(count):
        applicant = User.objects.create_user(
            email=f"bench{number}@bench.invalid",
            password=None,
            role="applicant",
            email_verified_at=timezone.now(),
        )
        application = application_start(applicant=applicant, permit_type=permit_type)
        reference = finnish_reference(10_000 + number)
        payments.append(
            Payment(
                application=application,
                payer=applicant,
                amount_cents=48_000,
                provider="paytrail",
                stamp=uuid.uuid4().hex,
                provider_reference=str(uuid.uuid4()),
                provider_url="https://pay.paytrail.com/pay/bench",
                reference_number=reference,
                creditor_reference=creditor_reference(reference),
                status=PaymentStatus.PENDING,
            )
        )
    Payment.objects.bulk_create(payments)
    return list(Payment.objects.order_by("id"))


def callbacks_for(payment, number: int) -> list[tuple[str, str]]:
    """(status, address kind) of the four callbacks of one payment."""
    if number % 5 == 0:
        return [("fail", "cancel"), ("fail", "cancel"), ("ok", "success"), ("pending", "success")]
    return [("ok", "success"), ("ok", "success"), ("pending", "success"), ("delayed", "success")]


def signed_url(base: str, payment, status: str, kind: str) -> str:
    from deploy.paytrail_standin import signed_checkout_parameters

    params = signed_checkout_parameters(
        secret=SECRET,
        merchant_id=MERCHANT_ID,
        amount=payment.amount_cents,
        stamp=payment.stamp,
        reference=payment.reference_number,
        transaction_id=payment.provider_reference,
        status=status,
    )
    return f"{base}/payments/callback/paytrail/{kind}/?{urllib.parse.urlencode(params)}"


def get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback)
            response.read()
            code = response.status
    except urllib.error.HTTPError as error:
        code = error.code
    return code, time.perf_counter() - started


def wait_for(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            get(f"{base}/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def verify(payments, always_paid: set[int], callbacks_per_payment: int) -> list[str]:
    from django.db.models import Count, Q

    from applications.models import Application, CaseEvent, CaseEventKind, Status
    from payments.models import Payment, PaymentEvent

    problems = []
    ids = [payment.pk for payment in payments]
    finals = dict(
        PaymentEvent.objects.filter(payment_id__in=ids)
        .values_list("payment_id")
        # A move into a final state: from an open one (flagging a late success is not a move).
        .annotate(
            n=Count(
                "id",
                filter=Q(changed=True, status_after__in=FINAL) & ~Q(status_before__in=FINAL),
            )
        )
    )
    recorded = dict(
        PaymentEvent.objects.filter(payment_id__in=ids, source="callback")
        .values_list("payment_id")
        .annotate(n=Count("id"))
    )
    submitted = dict(
        CaseEvent.objects.filter(kind=CaseEventKind.SUBMITTED)
        .values_list("application_id")
        .annotate(n=Count("id"))
    )
    case_numbers = list(
        Application.objects.exclude(case_number=None).values_list("case_number", flat=True)
    )
    if len(case_numbers) != len(set(case_numbers)):
        problems.append("a case number was given twice")
    for payment in Payment.objects.filter(pk__in=ids).select_related("application"):
        name = f"payment {payment.pk}"
        if payment.status not in FINAL:
            problems.append(f"{name} ended {payment.status}, not in a final state")
        if finals.get(payment.pk, 0) != 1:
            problems.append(f"{name} was moved to a final state {finals.get(payment.pk, 0)} times")
        if recorded.get(payment.pk, 0) != callbacks_per_payment:
            problems.append(f"{name}: {recorded.get(payment.pk, 0)} callbacks recorded")
        application = payment.application
        sent = submitted.get(application.pk, 0)
        if payment.status == "paid":
            if application.status != Status.SUBMITTED or not application.case_number or sent != 1:
                problems.append(f"{name}: paid, but its application was sent {sent} times")
        else:
            if payment.pk in always_paid:
                problems.append(f"{name}: only successes and pending arrived, yet {payment.status}")
            if application.status != Status.DRAFT or sent:
                problems.append(f"{name}: not paid, yet its application was sent")
            # Its "fail" came first; the "ok" that followed is kept for a refund, never lost.
            if not payment.needs_refund:
                problems.append(f"{name}: the success after the failure was lost")
    return problems


def final_counts(payments) -> dict[str, int]:
    from django.db.models import Count

    from payments.models import Payment

    rows = (
        Payment.objects.filter(pk__in=[payment.pk for payment in payments])
        .values_list("status", "needs_refund")
        .annotate(n=Count("id"))
    )
    return {
        f"{status}{' (late success kept for refund)' if flag else ''}": n
        for status, flag, n in rows
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--payments", type=int, default=250)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--web-processes", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where this run may create and drop a database",
    )
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()

    url = database_url(args.database_url, f"bench_payments_callbacks_{os.getpid()}")
    try:
        ensure_database(url)
    except Exception as error:  # noqa: BLE001 (any failure to reach PostgreSQL: say so, stop)
        print(f"PostgreSQL is needed ({args.database_url}): {error}")
        return 1
    server = None
    settings_dir = tempfile.mkdtemp(prefix="bench-payments-")
    Path(settings_dir, "bench_payments_settings.py").write_text(SETTINGS_MODULE, encoding="utf-8")
    try:
        env = prepare_environment(url, settings_dir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        payments = make_payments(args.payments)
        callbacks = []
        always_paid = set()  # payments that get no "fail": they must end paid
        for number, payment in enumerate(payments):
            if number % 5:
                always_paid.add(payment.pk)
            callbacks.extend(
                (payment, status, kind) for status, kind in callbacks_for(payment, number)
            )
        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                "--workers",
                str(args.web_processes),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(base, server)
        rng = random.Random(args.seed)
        rng.shuffle(callbacks)
        urls = [signed_url(base, payment, status, kind) for payment, status, kind in callbacks]
        # Warm both processes (imports, connections) on addresses that change no payment.
        for _ in range(args.web_processes * 4):
            get(f"{base}/payments/callback/paytrail/success/?checkout-status=ok")

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(get, urls))
        elapsed = time.perf_counter() - started

        codes = [code for code, _seconds in results]
        latencies = sorted(seconds for _code, seconds in results)
        print(
            f"{len(urls)} signed callbacks for {len(payments)} payments "
            f"({len(always_paid)} with a duplicate success and late pending/delayed, "
            f"{len(payments) - len(always_paid)} with a duplicate fail and an ok in any order), "
            f"{args.concurrency} at a time, gunicorn with {args.web_processes} web "
            f"processes on PostgreSQL"
        )
        print(f"callbacks per second: {len(urls) / elapsed:.0f} ({elapsed:.2f} s in all)")
        print(
            f"latency: median {statistics.median(latencies) * 1000:.1f} ms, "
            f"95th percentile {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms"
        )
        problems = []
        if set(codes) != {200}:
            counts = {code: codes.count(code) for code in sorted(set(codes))}
            problems.append(f"callbacks not answered 200: {counts}")
        problems += verify(payments, always_paid, callbacks_per_payment=4)
        outcome = final_counts(payments)
        if problems:
            print(f"FAILED: {len(problems)} problems")
            for problem in problems[:20]:
                print(f"  {problem}")
            return 1
        print(f"final states: {outcome}")
        print(
            "every payment ended in exactly one final state (one change to it each), every paid "
            "application was sent once with its own case number, no failed payment became paid, "
            "and every success that came after a failure was kept for a refund"
        )
        return 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 (Django may not have been set up)
            pass
        drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
