"""axe-core in headless Chromium against the live server: the key pages have no WCAG 2.1 A or AA
violations. Needs Debian's /usr/bin/chromium and the playwright package; skips without them."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from accounts.authenticators import AuthenticatorDevice
from applications.models import PermitType
from applications.services import (
    application_attach_document,
    application_pay,
    application_save_section,
    application_start,
)
from payments.models import EventSource
from payments.providers import get_provider
from payments.services import payment_handle_provider_message
from tests.accessibility import axe_report
from tests.accessibility.key_pages import MAKE_USER_PASSWORD, SUSPICIOUS_MESSAGE
from tests.e2e import flow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STYLE_RULES = "[...document.styleSheets].reduce((count, sheet) => count + sheet.cssRules.length, 0)"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_A_AA}, "resultTypes": ["violations"]}


def _missing_browser() -> str:
    """Why the browser tests cannot run here, or "". With Chromium present they always run (a
    missing package then fails rather than skips), and CI (PERMITSAFE_REQUIRE_BROWSER=1, set by
    .ci/run) never skips them."""
    if os.environ.get("PERMITSAFE_REQUIRE_BROWSER") == "1" or CHROMIUM.exists():
        return ""
    return _why_missing()


def _why_missing() -> str:
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is not installed"
    if importlib.util.find_spec("axe_playwright_python") is None:
        return "the Python package axe-playwright-python is not installed"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return ""


pytestmark = [
    pytest.mark.skipif(bool(_missing_browser()), reason=_missing_browser() or "ready"),
    # The live server is another thread: the data it serves must be committed.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def applicant_with_a_case(make_user, permit_types):
    """An applicant with an authenticator, one sent case and one draft, made through services."""
    user = make_user(role="applicant")
    device = AuthenticatorDevice.objects.create(user=user, name="phone", confirmed=True)
    permit_type = PermitType.objects.get(code=flow.PERMIT_TYPE)
    answers = flow.valid_answers("en")
    answers["employment"]["contract_type"] = "permanent"
    case = application_start(applicant=user, permit_type=permit_type)
    for key in ("personal", "contact", "employment", "background"):
        typed = {name: value for name, value in answers[key].items() if value}
        application_save_section(application=case, section_key=key, data=typed)
    for kind, content in flow.real_pdfs().items():
        application_attach_document(
            application=case, kind=kind, uploaded_file=flow.pdf_upload(f"{kind}.pdf", content)
        )
    # The fee is paid through the embedded provider; its signed callback sends the case.
    payment = application_pay(
        application=case,
        declaration_confirmed=True,
        actor=user,
        language="fi",
        provider_name="embedded",
    )
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice="success")
    payment_handle_provider_message(
        provider_name="embedded", params=params, kind=kind, source=EventSource.CALLBACK
    )
    draft = application_start(applicant=user, permit_type=permit_type)
    return user, device.bin_key, draft.pk, payment.public_id


def _violations(page, role: str) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page now shown, recorded for the coverage list
    (tests/accessibility/axe_report.py) under the role that reached it."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    violations = [
        {
            "rule": violation["id"],
            "impact": violation.get("impact"),
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results.response["violations"]
    ]
    axe_report.record(page, violations, role)
    return violations


def test_the_key_pages_have_no_wcag_21_aa_violations_in_chromium(
    live_server, applicant_with_a_case, monkeypatch
):
    from playwright.sync_api import sync_playwright

    user, totp_key, draft_id, payment_id = applicant_with_a_case
    # Playwright's sync API runs an event loop in this thread; the ORM is not used while it runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    found: dict[str, list[dict]] = {}
    checked: list[str] = []

    def check(name: str, page, role: str) -> None:
        assert page.locator("h1").count() == 1, name
        checked.append(name)
        violations = _violations(page, role)
        if violations:
            found[f"{name} ({page.url})"] = violations

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            # The site's CSP forbids every script, axe's too: only the test's injection bypasses it.
            context = chromium.new_context(bypass_csp=True, locale="fi-FI")
            page = context.new_page()
            base = live_server.url

            page.goto(f"{base}/")
            # Contrast is judged with the site's own stylesheet, so it must have loaded.
            assert page.evaluate(STYLE_RULES) > 0
            check("front page", page, "anonymous")
            page.goto(f"{base}/accounts/register/")
            check("registration", page, "anonymous")

            page.goto(f"{base}/trust/check/")
            # An empty message reaches the server (novalidate): its error, not the browser's
            # bubble, and the focus on the summary.
            page.locator("form:has(input[name=mode][value=text]) button[type=submit]").click()
            page.wait_for_selector(".error-summary")
            assert page.evaluate("document.activeElement.id") == "error-summary"
            text_form = page.locator("form:has(input[name=mode][value=text])")
            text_form.locator("textarea[name='text-text']").fill(SUSPICIOUS_MESSAGE)
            text_form.locator("button[type=submit]").click()
            page.wait_for_selector("#verdict-title")
            check("check with a result", page, "anonymous")

            page.goto(f"{base}/accounts/login/")
            check("sign-in", page, "anonymous")
            page.fill("#id_username", user.email)
            page.fill("#id_password", MAKE_USER_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/accounts/two-factor/**")
            code = TOTP(totp_key, step=30, t0=0, digits=6, drift=0).token()
            page.fill("#id_token", f"{code:06d}")
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/applications/")
            check("applicant home", page, "applicant")
            page.goto(f"{base}/payments/{payment_id}/receipt/")
            check("receipt", page, "applicant")

            page.goto(f"{base}/applications/{draft_id}/section/personal/")
            page.fill("#id_passport_number", "c 123")
            page.locator("main form button[value=continue]").click()
            page.wait_for_selector(".error-summary")
            # Without a script: the summary's autofocus takes the focus as the page loads.
            assert page.evaluate("document.activeElement.id") == "error-summary"
            check("section with errors", page, "applicant")
        finally:
            chromium.close()

    assert len(checked) == 7
    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
