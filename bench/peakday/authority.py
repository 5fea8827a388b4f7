"""The authority's side and the anonymous public of the peak day: caseworkers working the queue
(CaseworkerUser), people writing through public Securemail (SecuremailUser) and the scam wave at
the check page and the API (ScamWaveUser)."""

from __future__ import annotations

import datetime
import re

import gevent
from client import find_form, jpeg_bytes, random_address, sha256
from locust import between, task
from shared import (
    _CASE_LINK,
    _DOCUMENT_LINK,
    ACCOUNTS,
    ANSWERED,
    ATTACHMENT_BYTES,
    AWAITING_ANSWER,
    CASE_OWNERS,
    CLAIMED_CASES,
    COUNTS,
    JOURNAL,
    MAIL,
    PLAN,
    QUOTAS,
    RNG,
    RUN,
    SCAM_TEXTS,
    STAFF_AUTHENTICATORS,
    Flow,
    PeakDayUser,
)


class CaseworkerUser(PeakDayUser):
    fixed_count = len(PLAN["caseworkers"])
    wait_time = between(0.2, 1.0)
    _next = 0

    def on_start(self):
        super().on_start()
        self.email = PLAN["caseworkers"][CaseworkerUser._next % len(PLAN["caseworkers"])]
        CaseworkerUser._next += 1
        self.signed_in = False

    def _ensure_signed_in(self):
        if self.signed_in:
            return
        authenticator = STAFF_AUTHENTICATORS.get(self.email)
        _page, authenticator = self.sign_in(self.email, authenticator)
        STAFF_AUTHENTICATORS[self.email] = authenticator
        self.signed_in = True

    @task
    def work(self):
        try:
            self._ensure_signed_in()
        except Flow:
            gevent.sleep(2)
            return
        answered = next((i for i in ANSWERED if CASE_OWNERS.get(i) == self.email), None)
        if answered is not None:
            ANSWERED.remove(answered)
            if self.run_unit("decisions", lambda: self._decide(answered)):
                return
        application_id = self._next_case()
        if application_id is None:
            gevent.sleep(1)
            return
        wants_supplement = QUOTAS.left.get("supplements", 0) > 0 and RNG.random() < 0.5
        if wants_supplement and self.run_unit(
            "supplements", lambda: self._request_supplement(application_id)
        ):
            return
        if not self.run_unit("decisions", lambda: self._take_and_decide(application_id)):
            CLAIMED_CASES.discard(application_id)
            gevent.sleep(1)

    def _next_case(self) -> int | None:
        if QUOTAS.spent("supplements") and QUOTAS.spent("decisions"):
            return None
        page = self.go("GET", "/casework/?status=submitted&assigned=unassigned")
        for found in _CASE_LINK.findall(page.text):
            application_id = int(found)
            if application_id not in CLAIMED_CASES:
                CLAIMED_CASES.add(application_id)
                return application_id
        return None

    def _take(self, application_id: int):
        page = self.go("GET", f"/casework/{application_id}/")
        page = self.submit(page, {}, step="take", action=f"/casework/{application_id}/take/")
        self.expect(page, f"/casework/{application_id}/", "take", exact=True)
        CASE_OWNERS[application_id] = self.email
        document = _DOCUMENT_LINK.search(page.text)
        if document:
            self.go("GET", document.group(1))
        return page

    def _request_supplement(self, application_id: int) -> None:
        self._take(application_id)
        page = self.go("GET", f"/casework/{application_id}/request-supplement/")
        deadline = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
        form = find_form(page.text, field="message")
        kinds = [] if form is None else [k for k in form.values.get("requested_kinds", [])]
        page = self.submit(
            page,
            {
                "message": "Please send a clearer copy of your employment contract.",
                "requested_kinds": kinds or ["employment_contract"],
                "deadline": deadline,
            },
            step="request supplement",
            field="message",
        )
        self.expect(page, f"/casework/{application_id}/", "request supplement", exact=True)
        owner = next((a for a in ACCOUNTS if application_id in a.application_ids), None)
        if owner is not None:
            AWAITING_ANSWER[application_id] = owner
        JOURNAL.write("supplement_request", application_id=application_id)

    def _take_and_decide(self, application_id: int) -> None:
        self._take(application_id)
        self._decide(application_id)

    def _decide(self, application_id: int) -> None:
        page = self.go("GET", f"/casework/{application_id}/decide/")
        valid_until = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
        page = self.submit(
            page,
            {
                "outcome": "positive",
                "reasoning": "The applicant meets the requirements for a work-based permit.",
                "valid_until": valid_until,
                "decision_maker_name": "Peak Day Caseworker",
            },
            step="decision preview",
            field="reasoning",
        )
        page = self.submit(page, {}, step="decision confirm", button=("step", "send"))
        self.expect(page, f"/casework/{application_id}/", "decision", exact=True)
        JOURNAL.write("decision", application_id=application_id)


class SecuremailUser(PeakDayUser):
    fixed_count = PLAN["users"]["securemail"]

    @task
    def write(self):
        if not self.run_unit("securemail", self._write):
            gevent.sleep(1)

    def _write(self) -> None:
        self.client.cookies.clear()
        self.client.headers["X-Forwarded-For"] = random_address(RNG)
        number = COUNTS["securemail"] = COUNTS["securemail"] + 1
        email = f"sender{number}.{RUN}@peakday.example"
        page = self.go("GET", "/securemail/")
        page = self.submit(page, {"email": email}, step="securemail address", field="email")
        self.expect(page, "/securemail/code/", "securemail address")
        code = MAIL.wait_for_code(email)
        if code is None:
            self.fail("securemail: no code in the mail sink", page)
        page = self.submit(page, {"code": code}, step="securemail code", field="code")
        self.expect(page, "/securemail/messages/", "securemail code")
        page = self.go("GET", "/securemail/messages/new/")
        attachment = jpeg_bytes(ATTACHMENT_BYTES // 4)
        form = find_form(page.text, field="body")
        topic = form.first_choice("topic") if form else ""
        page = self.submit(
            page,
            {
                "topic": topic,
                "subject": "A question about my permit",
                "body": "Hello, I have a question.",
            },
            step="securemail message",
            files={"attachments": ("photo.jpg", attachment, "image/jpeg")},
            field="body",
        )
        if not re.match(r"^/securemail/messages/[0-9a-f-]{36}/sent/", page.path):
            self.fail("securemail message: not sent", page)
        JOURNAL.write(
            "securemail",
            conversation_id=page.path.split("/")[3],
            email=email,
            sha256=sha256(attachment),
        )


class ScamWaveUser(PeakDayUser):
    fixed_count = PLAN["users"]["check"]
    # The wave comes all at once (a closed loop); with --think-time its people pause as the
    # others do, so that the run stays below saturation.
    wait_time = between(*PLAN.get("think_seconds", (0.0, 0.1)))

    @task
    def check(self):
        if not self.run_unit("checks", self._check):
            gevent.sleep(1)

    def _check(self) -> None:
        # Many people: each check from one of many addresses (a few repeat and meet the limit).
        self.client.headers["X-Forwarded-For"] = random_address(RNG)
        text = RNG.choice(SCAM_TEXTS)
        if RNG.random() < 0.5:
            response = self.request("POST", "/api/v1/check", json={"text": text, "channel": "sms"})
            if response.status_code == 200 and "verdict" not in response.text:
                self.fail("api check: no verdict", response)
            return
        self.client.cookies.clear()
        page = self.go("GET", "/trust/check/")
        self.submit(page, {"text-text": text}, step="check page", hidden={"mode": "text"})


# --- stopping when the work is done, and what the runner reads afterwards ------------------------
