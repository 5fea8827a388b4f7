"""Where a page's CPU goes: the pages of bench/page_floor.py served in process through Django's
WSGI handler with the same production settings, middleware and demo data, without a server.

Run: .venv/bin/python bench/_profile_pages.py [--only case,queue] [--requests 40] [--sample]
     [--top 30] [--sort tottime|cumulative] [--callers REGEX] [--sql] [--callgrind]
     [--pyinstrument] [--database-url postgres://...]

For each page: CPU ms per request (time.process_time over --requests after a warm-up) and queries
per request, then one of: a CPU-time sampling profile (--sample: SIGPROF samples, little overhead,
a summary by kind of work (database driver, ORM, templates, forms, translation, ...) and the
functions most often on the stack); a cProfile run timed in CPU time (the default; its overhead
inflates code that makes many small calls); a pyinstrument call tree (wall time). --sql prints one
request's queries. --callgrind also runs each page under valgrind's callgrind in a process of its
own, collecting only while --callgrind-requests requests run (inside a libc qsort callback: valgrind
is told --toggle-collect=qsort_r): instructions per request, deterministic on a busy machine where
CPU time is not (minutes a page). Not run by `make bench` (its name starts with an underscore).
"""

from __future__ import annotations

import argparse
import ctypes
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import page_floor  # noqa: E402


def environ(path: str, cookies: dict[str, str], method: str = "GET", body: bytes = b"") -> dict:
    """The WSGI environ gunicorn builds behind the trusted TLS proxy (as page_floor's client)."""
    headers = {
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_LANGUAGE": "en",
    }
    if cookies:
        headers["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body:
        headers["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        headers["HTTP_REFERER"] = f"https://127.0.0.1{path}"
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }


class Caller:
    """Requests of one page through the WSGI handler, with its cookies and CSRF token."""

    def __init__(self, handler, page: dict, session: str):
        import urllib.parse

        self.handler, self.page = handler, page
        self.cookies = {"__Host-sessionid": session} if session else {}
        self.body = b""
        if page["post"]:
            _status, content = self.call("GET", b"")
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
            fields = {**page["post"], "csrfmiddlewaretoken": token.decode()}
            self.body = urllib.parse.urlencode(fields).encode()

    def call(self, method: str, body: bytes) -> tuple[int, bytes]:
        from http.cookies import SimpleCookie

        reply = {}

        def start_response(status, headers, exc_info=None):
            reply["status"], reply["headers"] = int(status.split()[0]), headers

        response = self.handler(
            environ(self.page["path"], self.cookies, method, body), start_response
        )
        content = b"".join(response)
        if hasattr(response, "close"):
            response.close()
        for name, value in reply["headers"]:
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value
        return reply["status"], content

    def __call__(self) -> int:
        status, _content = self.call("POST" if self.page["post"] else "GET", self.body)
        if status != self.page["expected_status"]:
            raise SystemExit(f"{self.page['name']}: status {status}")
        return status


def sampled(caller, requests: int, top: int, interval: float = 0.0005) -> None:
    """A CPU-time sampling profile (SIGPROF counts only this process's CPU time, not waits on
    PostgreSQL): the share of samples in which each function is on the stack (inclusive) and on
    top (exclusive, time in C code counted to its Python caller). Little overhead, so the shares
    are the unprofiled request's."""
    import signal
    from collections import Counter

    inclusive, exclusive, categories, total = Counter(), Counter(), Counter(), [0]

    def on_sample(_signum, frame):
        total[0] += 1
        categories[_category(frame)] += 1
        seen = set()
        exclusive[_where(frame)] += 1
        while frame is not None:
            key = _where(frame)
            if key not in seen:
                inclusive[key] += 1
                seen.add(key)
            frame = frame.f_back

    previous = signal.signal(signal.SIGPROF, on_sample)
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    try:
        for _ in range(requests):
            caller()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
    print(f"--- where the CPU goes, {total[0]} samples")
    for name, count in categories.most_common():
        print(f"{100 * count / total[0]:6.1f} %  {name}")
    for title, counter in (("inclusive", inclusive), ("exclusive", exclusive)):
        print(f"--- {title}, {total[0]} samples of {interval * 1000:g} ms CPU")
        for key, count in counter.most_common(top):
            print(f"{100 * count / total[0]:6.1f} %  {key}")


# (a part of a path or function, the category a sample with it on its stack counts to), the first
# that matches wins: a query a template runs counts to the database, a translation in a template to
# translation.
CATEGORIES = (
    ("psycopg/", "database: driver (psycopg, Django's cursor)"),
    ("django/db/backends/", "database: driver (psycopg, Django's cursor)"),
    ("django/db/models/sql/compiler.py", "database: ORM compiling SQL, reading rows"),
    ("django/db/models/", "database: ORM building querysets, models"),
    ("django/contrib/sessions/", "sessions (decoding)"),
    ("django/utils/translation/", "translation (gettext)"),
    ("django/urls/base.py", "url reversing"),
    ("django/forms/", "forms and widgets"),
    ("core/form_rendering.py", "forms and widgets"),
    ("core/field_rendering.py", "forms and widgets"),
    ("django/template/", "templates"),
    ("django/templatetags/", "templates"),
    ("/templatetags/", "templates"),
)


def _category(frame) -> str:
    stack = []
    while frame is not None:
        stack.append(frame.f_code.co_filename)
        frame = frame.f_back
    for marker, name in CATEGORIES:
        if any(marker in path for path in stack):
            return name
    return "middleware, views, other"


def _where(frame) -> str:
    code = frame.f_code
    path = code.co_filename
    for marker in ("site-packages/", "/lib/python3", str(BENCH_DIR.parent) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{code.co_firstlineno}({code.co_name})"


def child(state_path: str) -> None:
    """Runs with the production environment: django.setup(), then each page."""
    state = json.loads(Path(state_path).read_text())
    import django

    django.setup()
    import cProfile
    import pstats

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    for page in state["pages"]:
        caller = Caller(handler, page, state["sessions"].get(page["user"], [""])[0])
        for _ in range(5):
            caller()
        if state["callgrind"]:
            # Only the measured requests are collected: they run inside qsort's comparison callback.
            compare = ctypes.CFUNCTYPE(
                ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)
            )

            def measured(_a, _b, caller=caller):
                for _ in range(state["requests"]):
                    caller()
                return 0

            pair = (ctypes.c_int * 2)(0, 1)
            libc = ctypes.CDLL(None)
            libc.qsort(pair, 2, ctypes.sizeof(ctypes.c_int), compare(measured))
            continue
        statements = []

        def counted(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            caller()
        count = [len(statements)]
        if state["sql"]:
            print(f"\n=== {page['name']}: the queries of one request")
            for sql in statements:
                print("  ", sql[:300])
        started = time.process_time()
        for _ in range(state["requests"]):
            caller()
        cpu_ms = 1000 * (time.process_time() - started) / state["requests"]
        print(f"\n=== {page['name']}: {cpu_ms:.2f} CPU ms a request, {count[0]} queries")
        if state["sample"]:
            sampled(caller, state["requests"], state["top"])
            continue
        if state["pyinstrument"]:
            from pyinstrument import Profiler

            sampler = Profiler(interval=0.0002)
            sampler.start()
            for _ in range(state["requests"]):
                caller()
            sampler.stop()
            print(sampler.output_text(color=False, show_all=False, short_mode=False))
            continue
        profile = cProfile.Profile(time.process_time)  # CPU, not waits on PostgreSQL
        profile.enable()
        for _ in range(state["requests"]):
            caller()
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats(state["sort"]).print_stats(state["top"])
        if state["callers"]:
            stats.print_callers(state["callers"])


def callgrind_instructions(command: list[str], env: dict, out: Path) -> int:
    subprocess.run(  # noqa: S603
        [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=qsort_r",
            f"--callgrind-out-file={out}",
            *command,
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
    return int(totals.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated words of page names")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument(
        "--pyinstrument", action="store_true", help="a sampled call tree (pyinstrument installed)"
    )
    parser.add_argument(
        "--sample", action="store_true", help="a CPU-time sampling profile instead of cProfile"
    )
    parser.add_argument("--callers", default="", help="print who calls functions matching this")
    parser.add_argument("--sql", action="store_true", help="print one request's queries")
    parser.add_argument("--callgrind", action="store_true", help="instructions per request")
    parser.add_argument("--callgrind-requests", type=int, default=10)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0

    name = f"bench_profile_{uuid.uuid4().hex[:8]}"
    url = page_floor.database_url(args.database_url, name)
    page_floor.ensure_database(url)
    try:
        with tempfile.TemporaryDirectory() as site_dir, tempfile.TemporaryDirectory() as var_dir:
            Path(site_dir, "bench_pages_settings.py").write_text(page_floor.SETTINGS_MODULE)
            Path(site_dir, "bench_pages_urls.py").write_text(page_floor.URLS_MODULE)
            env = page_floor.server_environment(url, site_dir, var_dir)
            env["PYTHONHASHSEED"] = "0"
            # Under callgrind a page takes minutes: the signed-in pages' sessions must outlive
            # the pages profiled before them (the idle timeout would redirect them to sign-in).
            env.setdefault("SESSION_IDLE_TIMEOUT_SECONDS", "86400")
            if os.environ.get("PYTHONPATH"):  # where pyinstrument may be
                env["PYTHONPATH"] += os.pathsep + os.environ["PYTHONPATH"]
            ids = page_floor.prepare_database(env)
            sessions = {
                email: page_floor.session_cookies(email, 1)
                for email in ("applicant@demo.invalid", "caseworker@demo.invalid")
            }
            from django.db import connections

            connections.close_all()
            selected = [
                page
                for page in page_floor.pages(ids)
                if not args.only or any(word in page.name for word in args.only.split(","))
            ]
            state = {
                "pages": [vars(page) for page in selected],
                "sessions": sessions,
                "requests": args.requests,
                "top": args.top,
                "sort": args.sort,
                "callgrind": False,
                "pyinstrument": args.pyinstrument,
                "sql": args.sql,
                "sample": args.sample,
                "callers": args.callers,
            }
            state_path = Path(var_dir, "state.json")
            state_path.write_text(json.dumps(state))
            command = [sys.executable, __file__, "--child", str(state_path)]
            subprocess.run(command, env=env, check=True)  # noqa: S603
            if args.callgrind:
                print(f"\ncallgrind, {args.callgrind_requests} requests a page after 5 warm-up:")
                for page in selected:
                    one = {**state, "pages": [vars(page)], "callgrind": True}
                    one["requests"] = args.callgrind_requests
                    state_path.write_text(json.dumps(one))
                    started = time.monotonic()
                    total = callgrind_instructions(command, env, Path(var_dir, "callgrind.out"))
                    print(
                        f"{page.name:<34} {total / args.callgrind_requests / 1e6:>8.1f} M "
                        f"instructions a request ({time.monotonic() - started:.0f} s)",
                        flush=True,
                    )
    finally:
        from django.db import connections

        connections.close_all()
        page_floor.drop_database(url)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
