"""The peak day's shared state and the base of its load users: the plan, the quotas, the accounts
made in the run, and HTTP helpers (forms, redirects followed by hand, failures recorded as locust
failures). See locustfile.py for the scenario."""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from client import (
    PASSWORD,
    Authenticator,
    Journal,
    MailSink,
    endpoint,
    find_form,
    random_address,
    secret_on_page,
    send_cookies_as_over_https,
)
from locust import HttpUser, between, events

PLAN = json.loads(Path(os.environ["PEAKDAY_PLAN"]).read_text(encoding="utf-8"))
RUN = PLAN["run_id"]
MAIL = MailSink(PLAN["mail_dir"])
JOURNAL = Journal(PLAN["journal"])
ATTACHMENT_BYTES = int(PLAN.get("attachment_bytes", 48_000))
RNG = random.Random(PLAN.get("seed", 12))

_APPLICATION = re.compile(r"^/applications/(\d+)/")
_ERRORS = re.compile(r'class="error-message"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]+)<')
_CASE_LINK = re.compile(r'href="/casework/(\d+)/"')
_DOCUMENT_LINK = re.compile(r'href="(/casework/\d+/documents/[0-9a-f-]{36}/)"')
REDIRECTS = (301, 302, 303, 307, 308)

SCAM_TEXTS = [
    "Migri: oleskelulupasi peruutetaan. Vahvista henkilotietosi 24 h kuluessa: "
    "https://migri-fi.com/vahvista",
    "Finnish Immigration Service: your residence permit card is on hold. Pay the 48 EUR fee "
    "at https://migri-permit.info/pay or reply with your passport number.",
    "Migrin asiakaspalvelu: hakemuksesi puuttuu liite. Laheta passikuva WhatsAppiin +358401112223.",
    "Your permit decision is ready. Log in with your bank details at http://migri.fi.secure-id.co",
]


# --- shared state of the run ---------------------------------------------------------------------
class Quotas:
    """Units of work left, and units taken but not finished (in flight)."""

    def __init__(self, totals: dict[str, int]):
        self.left = dict(totals)
        self.in_flight = Counter()
        self.done = Counter()

    def take(self, name: str) -> bool:
        if self.left.get(name, 0) <= 0:
            return False
        self.left[name] -= 1
        self.in_flight[name] += 1
        return True

    def finish(self, name: str, *, ok: bool = True) -> None:
        self.in_flight[name] -= 1
        if ok:
            self.done[name] += 1

    def spent(self, name: str) -> bool:
        return self.left.get(name, 0) <= 0 and self.in_flight[name] <= 0


@dataclass
class Account:
    email: str
    authenticator: Authenticator
    application_ids: list[int] = field(default_factory=list)
    busy: bool = False


QUOTAS = Quotas(PLAN["quotas"])
ACCOUNTS: list[Account] = []
STAFF_SECRETS: dict[str, str] = {}
STAFF_AUTHENTICATORS: dict[str, Authenticator] = {}
# Cases waiting for the applicant's answer (application id -> account), and answered ones.
AWAITING_ANSWER: dict[int, Account] = {}
ANSWERED: deque[int] = deque()
# Which caseworker took each case (only the assignee may decide it).
CASE_OWNERS: dict[int, str] = {}
CLAIMED_CASES: set[int] = set()
RATE_LIMITED: Counter = Counter()
COUNTS: Counter = Counter()


def payment_page_url(location: str) -> str | None:
    """The address to fetch for a Location on the payment provider's pages (the Paytrail
    stand-in): they are named https, as a proxy publishes them, and served at plain http here."""
    pages = PLAN.get("payment_pages")
    if not pages or not location.startswith(pages["public"] + "/"):
        return None
    return pages["served_at"] + location.removeprefix(pages["public"])


class Flow(Exception):
    """A step did not lead where a person would have got (already recorded as a failure)."""


class PeakDayUser(HttpUser):
    abstract = True
    # Between steps: a moment (the run is compressed), or --think-time for a load below saturation.
    wait_time = between(*PLAN.get("think_seconds", (0.05, 0.3)))

    def on_start(self):
        send_cookies_as_over_https(self.client)
        self.client.headers.update(
            {
                "X-Forwarded-For": random_address(RNG),
                "X-Forwarded-Proto": "https",
                "Accept-Language": "en",
            }
        )
        self.page_path = "/"

    # -- HTTP with redirects followed by hand (absolute Location headers may name the public
    # address, which loopback stands in for) --
    def request(self, method: str, path: str, **kwargs):
        name = endpoint(method, path)
        if path.startswith("http"):
            # The payment provider's page (the Paytrail stand-in): counted apart from ours.
            name = f"paytrail {name}"
        if method == "POST":
            netloc = urlsplit(self.host).netloc
            kwargs.setdefault("headers", {})["Referer"] = f"https://{netloc}{self.page_path}"
        with self.client.request(
            method, path, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code == 429:
                RATE_LIMITED[name] += 1
                response.success()
            elif response.status_code >= 400 or response.status_code == 0:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
        return response

    def go(self, method: str, path: str, **kwargs):
        response = self.request(method, path, **kwargs)
        for _hop in range(6):
            if response.status_code not in REDIRECTS:
                break
            target = response.headers.get("Location", "/")
            location = urlsplit(target)
            path = payment_page_url(target) or (
                location.path + (f"?{location.query}" if location.query else "")
            )
            response = self.request("GET", path)
        if response.status_code < 400:
            self.page_path = path
        response.path = path
        return response

    def fail(self, step: str, response=None) -> None:
        """Record a step that went wrong as a failure of its own, then stop this journey."""
        status = getattr(response, "status_code", "")
        errors = _ERRORS.findall(getattr(response, "text", "") or "")
        if errors:
            step = f"{step} ({'; '.join(unescape(e).strip() for e in errors[:2])[:160]})"
        if status != 429:
            events.request.fire(
                request_type="FLOW",
                name=step,
                response_time=0,
                response_length=0,
                exception=Flow(f"{step}: ended at {getattr(response, 'path', '?')} ({status})"),
                context={},
            )
        raise Flow(step)

    def expect(self, response, prefix: str, step: str, *, exact: bool = False):
        """The page a person gets after the step: its address starts with `prefix` (is it, with
        `exact`: a refused form shows again at its own address under the case's)."""
        arrived = response.path == prefix if exact else response.path.startswith(prefix)
        if response.status_code != 200 or not arrived:
            self.fail(step, response)
        return response

    def submit(self, response, typed: dict, *, step: str, files=None, button=None, **find):
        form = find_form(response.text, **find)
        if form is None:
            self.fail(f"{step}: no form", response)
        action = form.action or response.path
        action = payment_page_url(action) or action
        return self.go("POST", action, data=form.data(typed, button), files=files)

    # -- accounts --
    def sign_in(self, email: str, authenticator: Authenticator | None):
        """Password, then the authenticator's code (or set it up on first sign-in). Returns the
        response of the page reached and the authenticator."""
        page = self.go("GET", "/accounts/login/")
        page = self.submit(
            page,
            {"username": email, "password": PASSWORD},
            step="sign-in",
            action="/accounts/login/",
        )
        if page.path.startswith("/accounts/two-factor/setup/"):
            secret = secret_on_page(page.text)
            if not secret:
                self.fail("sign-in: no TOTP key on the set-up page", page)
            authenticator = Authenticator(secret)
            code, _waited = authenticator.code()
            page = self.submit(page, {"token": code}, step="totp set-up", field="token")
            if "recovery-codes" not in page.text:
                self.fail("totp set-up: no recovery codes", page)
            link = re.search(r'<a class="button" href="([^"]+)"', page.text)
            page = self.go("GET", link.group(1) if link else "/")
        elif page.path.startswith("/accounts/two-factor/"):
            if authenticator is None:
                self.fail("sign-in: no authenticator for this account", page)
            code, _waited = authenticator.code()
            page = self.submit(
                page, {"token": code}, step="totp", action="/accounts/two-factor/", field="token"
            )
        else:
            self.fail("sign-in: password not accepted", page)
        if page.path.startswith("/accounts/"):
            self.fail("sign-in: still on an accounts page", page)
        COUNTS["sign_ins"] += 1
        return page, authenticator

    def sign_out(self, page):
        form = find_form(page.text, action="/accounts/logout/")
        if form is not None:
            self.go("POST", form.action, data=form.data({}))
        self.client.cookies.clear()

    def run_unit(self, quota: str, work) -> bool:
        if not QUOTAS.take(quota):
            return False
        ok = False
        try:
            work()
            ok = True
        except Flow:
            pass
        finally:
            QUOTAS.finish(quota, ok=ok)
        return True
