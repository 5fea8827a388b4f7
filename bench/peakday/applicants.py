"""The applicants of the peak day: newcomers who register and apply (ApplicantUser) and people who
come back to their case and answer requests for supplementary information (ReturningUser)."""

from __future__ import annotations

import datetime
import time

import gevent
from client import PASSWORD, find_form, jpeg_bytes, pdf_bytes, random_address, sha256
from locust import task
from shared import (
    _APPLICATION,
    ACCOUNTS,
    ANSWERED,
    ATTACHMENT_BYTES,
    AWAITING_ANSWER,
    COUNTS,
    JOURNAL,
    MAIL,
    PLAN,
    QUOTAS,
    RNG,
    RUN,
    Account,
    Flow,
    PeakDayUser,
)


def _valid_answers() -> dict[str, dict[str, str]]:
    today = datetime.date.today()

    def in_days(days: int) -> str:
        return (today + datetime.timedelta(days=days)).isoformat()

    return {
        "personal": {
            "family_name": "Nguyen",
            "given_names": "Thi Lan",
            "date_of_birth": "1991-04-17",
            "place_of_birth": "Hanoi",
            "nationality": "VN",
            "marital_status": "single",
            "passport_number": f"C{RNG.randrange(10**6, 10**7)}",
            "passport_issuing_country": "VN",
            "passport_expiry": in_days(5 * 365),
        },
        "contact": {
            "email": "applicant@example.org",
            "phone": "+358 40 1234567",
            "country_of_residence": "VN",
            "address": "12 Tran Hung Dao\nHanoi",
        },
        "employment": {
            "employer_name": "Pohjolan Ohjelmisto Oy",
            "employer_business_id": "1234567-8",
            "job_title": "Software developer",
            "monthly_salary": "4200.50",
            "weekly_hours": "37.5",
            "contract_type": "permanent",
            "start_date": in_days(60),
        },
        "background": {"previous_finnish_permit": "no"},
    }


class ApplicantUser(PeakDayUser):
    fixed_count = PLAN["users"]["applicant"]

    @task
    def apply(self):
        if not self.run_unit("applications", self._apply):
            gevent.sleep(1)

    def _register(self, email: str) -> None:
        page = self.go("GET", "/accounts/register/")
        page = self.submit(
            page,
            {"email": email, "new_password1": PASSWORD, "new_password2": PASSWORD},
            step="register",
            field="new_password1",
        )
        self.expect(page, "/accounts/verify-email/", "register")
        code = MAIL.wait_for_code(email)
        if code is None:
            self.fail("register: no code in the mail sink", page)
        page = self.submit(page, {"code": code}, step="verify email", field="code")
        self.expect(page, "/accounts/login/", "verify email")

    def _apply(self) -> None:
        self.client.cookies.clear()
        number = COUNTS["applicants"] = COUNTS["applicants"] + 1
        email = f"applicant{number}.{RUN}@peakday.example"
        self._register(email)
        page, authenticator = self.sign_in(email, None)
        page = self.go("GET", "/applications/start/")
        page = self.submit(
            page, {"permit_type": "work-employed"}, step="start", field="permit_type"
        )
        match = _APPLICATION.match(page.path)
        if not match:
            self.fail("start: no draft", page)
        application_id = int(match.group(1))
        for key, answers in _valid_answers().items():
            page = self.go("GET", f"/applications/{application_id}/section/{key}/")
            page = self.submit(page, answers, step=f"section {key}", button=("action", "continue"))
            if "error-summary" in page.text:
                self.fail(f"section {key}: refused", page)
        files = {
            "passport_copy": ("passport.jpg", jpeg_bytes(ATTACHMENT_BYTES // 2), "image/jpeg"),
            "employment_contract": (
                "contract.pdf",
                pdf_bytes(f"Employment contract {email}", ATTACHMENT_BYTES),
                "application/pdf",
            ),
        }
        page = self.go("GET", f"/applications/{application_id}/attachments/")
        for kind, upload in files.items():
            page = self.submit(
                page,
                {},
                step=f"upload {kind}",
                files={f"{kind}-file": upload},
                hidden={"upload_kind": kind},
            )
            if "error-message" in page.text:
                self.fail(f"upload {kind}: refused", page)
        page = self.go("GET", f"/applications/{application_id}/review/")
        page = self.submit(page, {"declaration": "on"}, step="declaration", field="declaration")
        payment = ""
        if page.path.startswith("/payments/embedded/"):
            payment = page.path.split("/")[3]
            page = self.submit(page, {"choice": "success"}, step="pay", field="choice")
        elif "/pay/" in page.path and page.path.startswith("http"):
            # Paytrail's page (the cluster's stand-in): pay; it sends the browser back signed
            # and calls the server back by itself.
            payment = page.path.rsplit("/", 1)[1]
            page = self.submit(page, {}, step="pay at paytrail", button=("status", "ok"))
        # Paid: the return page confirms the payment and sends the application; its case page
        # opens once it is sent (the callback, a background task, may be the one that sends it).
        for _attempt in range(40):
            if page.path.startswith(f"/cases/{application_id}/"):
                break
            gevent.sleep(0.5)
            page = self.go("GET", f"/applications/{application_id}/")
        else:
            self.fail("submit: the case page never opened", page)
        JOURNAL.write(
            "application",
            application_id=application_id,
            email=email,
            payment=payment,
            attachments=[
                {"kind": kind, "sha256": sha256(content), "size": len(content)}
                for kind, (_name, content, _type) in files.items()
            ],
        )
        account = Account(email=email, authenticator=authenticator)
        account.application_ids.append(application_id)
        if self._writes_to_the_authority(application_id):
            page = self.go("GET", f"/cases/{application_id}/")
        ACCOUNTS.append(account)
        self.sign_out(page)

    def _writes_to_the_authority(self, application_id: int) -> bool:
        if not QUOTAS.take("case_messages"):
            return False
        ok = False
        try:
            page = self.go("GET", f"/cases/{application_id}/secure-message/")
            attachment = pdf_bytes(f"Question about case {application_id}", 8_000)
            form = find_form(page.text, field="body")
            topic = form.first_choice("topic") if form else ""
            page = self.submit(
                page,
                {
                    "topic": topic,
                    "subject": "A question about my application",
                    "body": "When is it decided?",
                },
                step="case message",
                files={"attachments": ("question.pdf", attachment, "application/pdf")},
                field="body",
            )
            if page.status_code != 200 or page.path.endswith("/secure-message/"):
                self.fail("case message: not sent", page)
            JOURNAL.write("case_message", application_id=application_id, sha256=sha256(attachment))
            ok = True
        except Flow:
            pass
        finally:
            QUOTAS.finish("case_messages", ok=ok)
        return True


class ReturningUser(PeakDayUser):
    fixed_count = PLAN["users"]["returning"]

    def _account(self) -> Account | None:
        """An account waiting to answer first; else any free one whose authenticator has a fresh
        time step (a second sign-in in the same 30 s step would wait for the next)."""
        for account in list(AWAITING_ANSWER.values()):
            if not account.busy:
                return account
        if QUOTAS.left.get("sign_ins", 0) <= 0:
            return None
        step = int(time.time() // 30)
        free = [a for a in ACCOUNTS if not a.busy and a.authenticator.last_step < step]
        return RNG.choice(free) if free else None

    @task
    def come_back(self):
        account = self._account()
        if account is None:
            gevent.sleep(1)
            return
        account.busy = True
        answering = any(a is account for a in AWAITING_ANSWER.values())
        quota = "answers" if answering else "sign_ins"
        try:
            if answering:
                QUOTAS.left["answers"] = QUOTAS.left.get("answers", 0) + 1
            self.run_unit(quota, lambda: self._visit(account))
        finally:
            account.busy = False

    def _visit(self, account: Account) -> None:
        self.client.cookies.clear()
        self.client.headers["X-Forwarded-For"] = random_address(RNG)
        page, _authenticator = self.sign_in(account.email, account.authenticator)
        for application_id in account.application_ids:
            page = self.go("GET", f"/cases/{application_id}/")
            self.expect(page, f"/cases/{application_id}/", "case page")
            if AWAITING_ANSWER.get(application_id) is account:
                self._answer(application_id)
                page = self.go("GET", f"/cases/{application_id}/")
        self.sign_out(page)

    def _answer(self, application_id: int) -> None:
        page = self.go("GET", f"/cases/{application_id}/answer/")
        content = pdf_bytes(f"Supplement for {application_id}", ATTACHMENT_BYTES // 2)
        page = self.submit(
            page,
            {"text": "Here is the document you asked for."},
            step="answer",
            files={"file_1": ("supplement.pdf", content, "application/pdf")},
            field="text",
        )
        if not page.path.startswith(f"/cases/{application_id}/") or "error-summary" in page.text:
            self.fail("answer: refused", page)
        AWAITING_ANSWER.pop(application_id, None)
        ANSWERED.append(application_id)
        JOURNAL.write("supplement_answer", application_id=application_id, sha256=sha256(content))
