"""Steps of the applicant's journey, each done through the pages as a person would do it."""

from __future__ import annotations

import datetime
import re
import time
from base64 import b32decode
from functools import cache
from html import unescape
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.oath import TOTP

from tests.e2e.browser import Browser, Page

PASSWORD = "purple elephants dance quietly"
PERMIT_TYPE = "work-employed"
LOCALE_DIRECTORY = Path(settings.BASE_DIR) / "locale"

_HTML_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]*)\"")
_SECRET = re.compile(r'<code class="qr-secret">([^<]+)</code>')
_RECOVERY_LIST = re.compile(r'<ul class="recovery-codes">(.*?)</ul>', re.S)
_CODE_ITEM = re.compile(r"<li><code>([^<]+)</code></li>")
_EMAIL_CODE = re.compile(r"\b(\d{8})\b")
_APPLICATION_URL = re.compile(r"^/applications/(\d+)/")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def html_lang(page: Page) -> str:
    match = _HTML_LANG.search(page.html)
    return match.group(1) if match else ""


def first_heading(page: Page) -> str:
    match = _H1.search(page.html)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def has_catalogue(language: str) -> bool:
    """Whether the project's compiled messages exist for the language (they are being written)."""
    return (LOCALE_DIRECTORY / language / "LC_MESSAGES" / "django.mo").is_file()


def set_language(browser: Browser, language: str) -> Page:
    """Choose the language in the header's form, as on any page."""
    page = browser.page or browser.open("/")
    form = page.form(action="/i18n/setlang/")
    assert form.hidden("next") == page.url
    # One button per language in the header (no select): press the language's own button.
    return browser.submit(form, button=("language", language))


def localized_number(value: str, language: str) -> str:
    """A decimal as a person writing in that language types it."""
    return value.replace(".", ",") if language in ("fi", "sv") else value


def valid_answers(language: str) -> dict[str, dict[str, str]]:
    """Valid answers for every section of the work-based permit, dates relative to today."""
    today = datetime.date.today()
    in_days = lambda days: (today + datetime.timedelta(days=days)).isoformat()  # noqa: E731
    return {
        "personal": {
            "family_name": "Nguyen",
            "given_names": "Thi Lan",
            "previous_names": "",
            "date_of_birth": "1991-04-17",
            "place_of_birth": "Hanoi",
            "nationality": "VN",
            "marital_status": "single",
            "passport_number": "C1234567",
            "passport_issuing_country": "VN",
            "passport_expiry": in_days(5 * 365),
        },
        "contact": {
            "email": "lan.nguyen@example.org",
            "phone": "+358 40 1234567",
            "country_of_residence": "VN",
            "address": "12 Tran Hung Dao\nHanoi",
        },
        "employment": {
            "employer_name": "Pohjolan Ohjelmisto Oy",
            "employer_business_id": "1234567-8",
            "job_title": "Software developer",
            "monthly_salary": localized_number("4200.50", language),
            "weekly_hours": localized_number("37.5", language),
            "contract_type": "fixed_term",
            "start_date": in_days(60),
        },
        # Revealed on the employment page once the contract is fixed-term.
        "employment_revealed": {"contract_end_date": in_days(2 * 365)},
        "background": {"previous_finnish_permit": "no"},
    }


def mail_code(mail) -> str:
    match = _EMAIL_CODE.search(mail.text)
    assert match, "no 8-digit code in the message"
    return match.group(1)


def register(browser: Browser, *, email: str, language: str) -> Page:
    page = browser.open("/accounts/register/")
    form = page.form(action="/accounts/register/")
    # The language for messages starts as the language the person chose for the pages.
    assert form.fields["preferred_language"].default == [language]
    return browser.submit(
        form, {"email": email, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )


def verify_email(browser: Browser, code: str) -> Page:
    form = browser.page.form(where={"action": "verify"})
    return browser.submit(form, {"code": code})


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in by hand (steps_ahead: a later code,
    because a code once used is not accepted again)."""
    generator = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    generator.time = time.time() + 30 * steps_ahead
    return f"{generator.token():06d}"


def sign_in_password(browser: Browser, *, email: str, password: str = PASSWORD) -> Page:
    page = browser.open("/accounts/login/")
    form = page.form(action="/accounts/login/")
    return browser.submit(form, {"username": email, "password": password})


def set_up_authenticator(browser: Browser) -> tuple[str, list[str], Page]:
    """On the set-up page: read the key shown for typing by hand, type the app's code, and read
    the recovery codes. Returns (key, recovery codes, the recovery codes page)."""
    page = browser.page
    assert page.path == "/accounts/two-factor/setup/", page.url
    match = _SECRET.search(page.html)
    assert match, "no key for manual entry on the set-up page"
    secret = unescape(match.group(1)).strip()
    page = browser.submit(
        page.form(action="/accounts/two-factor/setup/"), {"token": totp_code(secret)}
    )
    listing = _RECOVERY_LIST.search(page.html)
    assert listing, "no recovery codes shown after setting up the authenticator"
    codes = [unescape(code) for code in _CODE_ITEM.findall(listing.group(1))]
    return secret, codes, page


def continue_link(page: Page) -> str:
    match = re.search(r'<a class="button" href="([^"]+)"', page.html)
    assert match, "no continue link"
    return unescape(match.group(1))


def second_factor(browser: Browser, secret: str, *, steps_ahead: int = 1) -> Page:
    page = browser.page
    assert page.path == "/accounts/two-factor/", page.url
    form = page.form(action="/accounts/two-factor/")
    return browser.submit(form, {"token": totp_code(secret, steps_ahead=steps_ahead)})


def sign_out(browser: Browser) -> Page:
    form = browser.page.form(action="/accounts/logout/")
    return browser.submit(form)


def start_application(browser: Browser) -> tuple[int, Page]:
    page = browser.open("/applications/start/")
    page = browser.submit(page.form(), {"permit_type": PERMIT_TYPE})
    match = _APPLICATION_URL.match(page.path)
    assert match and "/section/" in page.path, page.url
    return int(match.group(1)), page


def save_section(browser: Browser, answers: dict[str, str], *, button: str = "continue") -> Page:
    form = browser.page.form()
    typed = {name: value for name, value in answers.items() if value != ""}
    return browser.submit(form, typed, button=("action", button))


@cache
def real_pdfs() -> dict[str, bytes]:
    """Two small valid PDF files rendered by WeasyPrint, as a scanner or a word processor makes."""
    from weasyprint import HTML

    def render(title: str, body: str) -> bytes:
        return HTML(string=f"<h1>{title}</h1><p>{body}</p>").write_pdf()

    return {
        "passport_copy": render("Passi – Pass – Passport", "C1234567, Nguyen Thi Lan, åäö"),
        "employment_contract": render("Työsopimus", "Pohjolan Ohjelmisto Oy, 1234567-8"),
    }


def pdf_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(browser: Browser, kind: str, uploaded_file) -> Page:
    form = browser.page.form(where={"upload_kind": kind})
    return browser.submit(form, {f"{kind}-file": uploaded_file})


_MISSING_LINK = re.compile(r'href="[^"]*#(kind-[a-z0-9_]+|id_[a-z0-9_]+)"')


def missing_targets(page: Page) -> list[str]:
    """The fields and attachment kinds the "what is missing" list links to."""
    return _MISSING_LINK.findall(page.html)


def complete_application(browser: Browser, application_id: int) -> Page:
    """Answer every section (a permanent contract) and upload both required files."""
    answers = valid_answers("en")
    answers["employment"]["contract_type"] = "permanent"
    for key in ("personal", "contact", "employment", "background"):
        browser.open(f"/applications/{application_id}/section/{key}/")
        page = save_section(browser, answers[key])
        assert "error-summary" not in page.html, key
    browser.open(f"/applications/{application_id}/attachments/")
    for kind, content in real_pdfs().items():
        page = upload(browser, kind, pdf_upload(f"{kind}.pdf", content))
        assert "error-message" not in page.html, kind
    return page
