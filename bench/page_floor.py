"""Benchmark: public and signed-in pages against the floor, a bare Django view on the same server,
measured side by side in one run.

Run: .venv/bin/python bench/page_floor.py [--seconds 2] [--rounds 3] [--threads 4]
     [--web-processes 2]
     [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--only check,floor]

The server: gunicorn (sync workers, as the README runs it) with `--web-processes` processes on a
free loopback port, in production mode (PERMITSAFE_MODE=production, DEBUG off, the manifest static
storage, the cached template loader Django turns on without DEBUG), behind a TLS proxy as production
runs: the client sends `X-Forwarded-Proto: https` and 127.0.0.1 is the trusted proxy, so HTTPS
redirects, HSTS and the secure `__Host-` cookies behave as in production without TLS here. Two
changes to production, both in a bench settings module written to a temporary folder: the URLconf
adds the floor, and a first middleware counts each request's database queries into a response
header. The check's rate limit is raised (RATE_LIMITS), as one loopback address sends everything.

The floor: `GET /bench/floor/`, a view that exists only in the bench URLconf and returns
HttpResponse("ok"), served by the same processes through the same middleware stack. A page's
ratio is the floor's requests per second over the page's (lower is better); the CPU ratio is the
server's CPU time per request (both web processes, from /proc) over the floor's, which depends less
on what else the machine runs. "DB ms" is the CPU time per request of the PostgreSQL server's
processes on this machine (from /proc): the CPU ratio leaves it out, the ratio of requests per
second does not (both share the machine's cores). The floor is measured again right before each
page, in each of `--rounds` rounds, and each ratio is the median of the rounds' ratios (their
spread is printed): measured once at the start, a drift of the shared machine's speed moved every
ratio by up to a third. Goals: public pages ≤ 3 ×, signed-in pages ≤ 5 ×.

Data: a database of its own on that server (dropped afterwards), migrated, with the demo data
(`load_demo_data`: the demo applicant has several cases and a draft, the demo caseworker a queue).
Each client thread of a signed-in page has its own session, created server-side for the demo user
with a confirmed authenticator (as tests/conftest.sign_in_with_second_factor does), so every
request goes through the real session, OTP, session-lifetime and CSRF middleware. The client:
`--threads` threads, each with its own http.client connection (gunicorn's sync workers close it
after each response, so each request reconnects, as a browser behind a proxy never sees), for
`--seconds` per page after a warm-up. The client shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._support import database_url, drop_database, ensure_database, free_port  # noqa: E402

SETTINGS_MODULE = """
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_pages_urls"
MIDDLEWARE = ["bench_pages_urls.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
"""
URLS_MODULE = """
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns as site


def floor(request):
    return HttpResponse("ok")


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count[0])
        return response


urlpatterns = [path("bench/floor/", floor), *site]
"""
GOALS = {"floor": 1.0, "public": 3.0, "signed in": 5.0}
CHECK_TEXT = (
    "Your parcel is waiting. Pay the customs fee of 2,99 EUR at https://posti-track.example/pay"
)


@dataclass
class Page:
    name: str
    audience: str  # "floor", "public" or "signed in"
    path: str
    user: str = ""  # the demo account whose session each thread uses
    post: dict | None = None  # form fields of a POST (a CSRF token is added)
    expected_status: int = 200


@dataclass
class Result:
    page: Page
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    database_cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_seconds / len(self.latencies) if self.latencies else 0.0

    @property
    def database_cpu_ms(self) -> float:
        return 1000 * self.database_cpu_seconds / len(self.latencies) if self.latencies else 0.0


def server_environment(url: str, site_dir: str, var_dir: str) -> dict[str, str]:
    """Production settings for the server; the set-up in this process reads the same secrets."""
    return {
        **os.environ,
        "PERMITSAFE_MODE": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KEY_ENCRYPTION_KEYS": "bench1:" + secrets.token_urlsafe(32),
        "DATABASE_URL": url,
        "PERMITSAFE_VAR_DIR": var_dir,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXIES": "127.0.0.1",
        "PUBLIC_BASE_URL": "https://permitsafe.example",
        "RATE_LIMITS": "trust.check=100000000/60",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "bench_pages_settings",
        "PYTHONPATH": os.pathsep.join([site_dir, str(ROOT)]),
        "LOG_LEVEL": "WARNING",
    }


def prepare_database(env: dict[str, str]) -> dict[str, int]:
    """Migrate, load the demo data and return the ids of the pages' rows. Runs in this process in
    development mode (load_demo_data refuses production), with the server's secrets."""
    # The manifest of hashed static names, as production's deployment makes it.
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    os.environ.update({**env, "PERMITSAFE_MODE": "development"})
    sys.path.insert(0, env["PYTHONPATH"].split(os.pathsep)[0])
    import io

    import django

    django.setup()
    from django.core.management import call_command

    from applications.models import Application, Status

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", stdout=io.StringIO())
    mine = Application.objects.filter(applicant__email="applicant@demo.invalid")
    submitted = mine.exclude(status=Status.DRAFT).order_by("pk").first()
    draft = mine.filter(status=Status.DRAFT).order_by("pk").first()
    return {
        "cases": mine.count(),
        "case": submitted.pk,
        "draft": draft.pk,
        "section": draft_section(draft),
    }


def draft_section(draft) -> str:
    from applications.schema import sections

    return sections(draft.schema)[0]["key"]


def session_cookies(email: str, count: int) -> list[str]:
    """`count` signed-in sessions (password and TOTP passed) of the demo user, server-side."""
    from django.test import Client

    from accounts.models import User
    from tests.conftest import sign_in_with_second_factor

    user = User.objects.get(email=email)
    return [sign_in_with_second_factor(Client(), user).session.session_key for _ in range(count)]


def pages(ids: dict) -> list[Page]:
    applicant, caseworker = "applicant@demo.invalid", "caseworker@demo.invalid"
    check = {"mode": "text", "text-text": CHECK_TEXT, "text-channel": "sms", "text-sender": ""}
    return [
        Page("floor (bare view)", "floor", "/bench/floor/"),
        Page("check GET", "public", "/trust/check/"),
        Page("check POST (short message)", "public", "/trust/check/", post=check),
        Page("home", "public", "/"),
        Page("sign-in", "public", "/accounts/login/"),
        Page("Securemail start", "public", "/securemail/"),
        Page("trust center", "public", "/trust/"),
        Page("official channels", "public", "/trust/channels/"),
        Page("verify a code", "public", "/trust/verify/"),
        Page("report a message", "public", "/trust/report/"),
        # The floor with a signed-in session: what every signed-in page pays before its own work
        # (the session, then the user with the authenticator in one statement, read by the
        # middleware).
        Page("floor, signed in", "signed in", "/bench/floor/", applicant),
        Page(f"applicant home ({ids['cases']} cases)", "signed in", "/applications/", applicant),
        Page("applicant case", "signed in", f"/cases/{ids['case']}/", applicant),
        Page(
            "application form",
            "signed in",
            f"/applications/{ids['draft']}/section/{ids['section']}/",
            applicant,
        ),
        Page("caseworker queue", "signed in", "/casework/", caseworker),
        Page("caseworker case", "signed in", f"/casework/{ids['case']}/", caseworker),
    ]


class Browser:
    """One client thread's connection and cookies (a jar that ignores Secure: TLS is the proxy's)."""

    def __init__(self, port: int, session_key: str = ""):
        self.port = port
        self.cookies: dict[str, str] = {}
        if session_key:
            self.cookies["__Host-sessionid"] = session_key
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        if response.will_close:
            self.connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, int(response.headers.get("X-Bench-Queries", -1)), content, elapsed

    def csrf_token(self, path: str) -> str:
        _status, _queries, content, _elapsed = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if match is None:
            raise SystemExit(f"no CSRF token on {path}")
        return match.group(1).decode()


def worker_cpu_seconds(master_pid: int) -> float:
    import psutil

    total = 0.0
    for child in psutil.Process(master_pid).children():
        times = child.cpu_times()
        total += times.user + times.system
    return total


def database_cpu_seconds() -> dict[int, float]:
    """CPU seconds of each process of the PostgreSQL server on this machine (none elsewhere):
    the database's share of a request, which the web processes' CPU leaves out."""
    import psutil

    seconds = {}
    for process in psutil.process_iter(["name"]):
        if (process.info["name"] or "").startswith("postgres"):
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            seconds[process.pid] = times.user + times.system
    return seconds


def measure(page: Page, port: int, sessions: list[str], threads: int, seconds: float, master):
    result = Result(page)
    lock = threading.Lock()
    browsers = [Browser(port, sessions[i] if page.user else "") for i in range(threads)]
    tokens = [browser.csrf_token(page.path) if page.post else "" for browser in browsers]

    def one(browser: Browser, token: str):
        body = {**page.post, "csrfmiddlewaretoken": token} if page.post else None
        return browser.request("POST" if page.post else "GET", page.path, body)

    for browser, token in zip(browsers, tokens, strict=True):  # warm-up
        for _ in range(3):
            one(browser, token)
    stop = threading.Event()

    def run(browser: Browser, token: str) -> None:
        latencies, queries, failures = [], [], 0
        while not stop.is_set():
            status, count, _content, elapsed = one(browser, token)
            if status == page.expected_status:
                latencies.append(elapsed)
                queries.append(count)
            else:
                failures += 1
        with lock:
            result.latencies.extend(latencies)
            result.queries.extend(queries)
            result.failures += failures

    workers = [
        threading.Thread(target=run, args=pair) for pair in zip(browsers, tokens, strict=True)
    ]
    cpu_before = worker_cpu_seconds(master.pid)
    database_before = database_cpu_seconds()
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = worker_cpu_seconds(master.pid) - cpu_before
    # A process that ended meanwhile drops out (its seconds are not counted at all).
    result.database_cpu_seconds = sum(
        seconds - database_before.get(pid, 0.0) for pid, seconds in database_cpu_seconds().items()
    )
    return result


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            Browser(port).request("GET", "/bench/floor/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


@dataclass
class Paired:
    """A page's measurements, each taken right after the floor's: one pair a round. A ratio is
    each round's page against the floor measured next to it, then the median of the rounds: the
    speed of a shared machine drifts by tens of per cent within a minute."""

    page: Page
    pairs: list[tuple[Result, Result]] = field(default_factory=list)

    def median(self, value) -> float:
        return statistics.median(value(floor, page) for floor, page in self.pairs)


def report(measured: list[Paired]) -> int:
    print(
        f"{'page':<34} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} "
        f"{'CPU ms':>7} {'DB ms':>6} {'ratio':>6} {'CPU×':>6} {'CPU× range':>11}  goal"
    )
    missed = 0
    for paired in measured:
        results = [page for _floor, page in paired.pairs]
        failures = sum(result.failures for result in results)
        if not all(page.latencies and floor.latencies for floor, page in paired.pairs):
            print(f"{paired.page.name:<34} no successful request ({failures} failed)")
            missed += 1
            continue
        latencies = sorted(latency for result in results for latency in result.latencies)
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        ratio = paired.median(lambda floor, page: floor.rate / page.rate)
        cpu_ratios = [
            page.cpu_ms / floor.cpu_ms if floor.cpu_ms else 0.0 for floor, page in paired.pairs
        ]
        goal = GOALS[paired.page.audience]
        met = ratio <= goal
        missed += not met and paired.page.audience != "floor"
        queries = statistics.median(count for result in results for count in result.queries)
        failed = f", {failures} failed" if failures else ""
        verdict = "" if paired.page.audience == "floor" else ("met" if met else "MISSED")
        spread = f"{min(cpu_ratios):.1f}–{max(cpu_ratios):.1f}×"
        print(
            f"{paired.page.name:<34} {paired.median(lambda _floor, page: page.rate):>7.0f} "
            f"{statistics.median(latencies) * 1000:>7.1f} {p95 * 1000:>7.1f} {queries:>7.0f} "
            f"{paired.median(lambda _floor, page: page.cpu_ms):>7.2f} "
            f"{paired.median(lambda _floor, page: page.database_cpu_ms):>6.2f} {ratio:>5.1f}× "
            f"{statistics.median(cpu_ratios):>5.1f}× {spread:>11}  {verdict}"
            + (f" (≤ {goal:g}× {paired.page.audience})" if verdict else "")
            + failed
        )
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="measured seconds per page and round"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of (floor, page) pairs; medians reported"
    )
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--web-processes", type=int, default=2)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/postgres", help="server"
    )
    parser.add_argument("--only", default="", help="comma-separated words of page names")
    args = parser.parse_args()

    name = f"bench_pages_{uuid.uuid4().hex[:8]}"
    url = database_url(args.database_url, name)
    ensure_database(url)
    server = None
    try:
        with tempfile.TemporaryDirectory() as site_dir, tempfile.TemporaryDirectory() as var_dir:
            Path(site_dir, "bench_pages_settings.py").write_text(SETTINGS_MODULE)
            Path(site_dir, "bench_pages_urls.py").write_text(URLS_MODULE)
            env = server_environment(url, site_dir, var_dir)
            ids = prepare_database(env)
            sessions = {
                email: session_cookies(email, args.threads)
                for email in ("applicant@demo.invalid", "caseworker@demo.invalid")
            }
            from django.db import connections

            connections.close_all()
            port = free_port()
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
            wait_for(port, server)
            selected = [
                page
                for page in pages(ids)
                if page.audience == "floor"
                or not args.only
                or any(word in page.name for word in args.only.split(","))
            ]
            floor_page = next(page for page in selected if page.audience == "floor")
            measured = [Paired(page) for page in selected]

            def measured_once(page: Page) -> Result:
                return measure(
                    page, port, sessions.get(page.user, []), args.threads, args.seconds, server
                )

            for _round in range(args.rounds):
                for paired in measured:
                    floor = measured_once(floor_page)
                    page = floor if paired.page is floor_page else measured_once(paired.page)
                    paired.pairs.append((floor, page))
            print(
                f"gunicorn, {args.web_processes} sync web processes, production settings behind a "
                f"trusted TLS proxy, PostgreSQL; {args.threads} client threads, {args.seconds:g} s "
                f"a page and round, {args.rounds} round(s), the floor measured before each page "
                f"in each; ratio = floor req/s ÷ page req/s, CPU× = server CPU per request ÷ the "
                f"floor's, each the median of the rounds' ({os.cpu_count()} cores, load "
                f"{os.getloadavg()[0]:.1f})"
            )
            missed = report(measured)
            print(f"{missed} page(s) miss the goal" if missed else "every page meets its goal")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
