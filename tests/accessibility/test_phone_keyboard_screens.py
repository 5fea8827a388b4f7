"""The applicant's and the check's pages on a phone (375×667: no sideways scrolling), the
keyboard-only journey (sign-in with TOTP, an application with errors, the check), and the README's
screenshots (docs/screenshots/), in Debian's Chromium against the live server."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP

from accounts.authenticators import AuthenticatorDevice
from accounts.models import User
from applications.models import Application
from tests.accessibility.key_pages import SUSPICIOUS_MESSAGE
from tests.accessibility.test_axe import CHROMIUM, CHROMIUM_FLAGS, _missing_browser
from tests.accessibility.test_every_page import complete_application
from tests.conftest import sign_in_with_second_factor

pytestmark = [
    pytest.mark.skipif(bool(_missing_browser()), reason=_missing_browser() or "ready"),
    pytest.mark.django_db(transaction=True),
]

# The README's screenshots; rewritten only with PERMITSAFE_WRITE_SCREENSHOTS=1, so that a
# test run leaves the working tree clean. Otherwise they go to a temporary folder.
README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def demo(db, smtp_server):
    call_command("load_demo_data", stdout=io.StringIO())
    applicant = User.objects.get(email="applicant@demo.invalid")
    cases = Application.objects.filter(applicant=applicant)
    return {
        "applicant": applicant,
        "caseworker": User.objects.get(email="caseworker@demo.invalid"),
        "sent": cases.exclude(status="draft").order_by("pk").first(),
        "draft": cases.filter(status="draft").order_by("pk").first(),
        "ready": complete_application(applicant),
    }


@pytest.fixture
def chromium(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM is not used while it runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _context(chromium, base, user=None, language="fi", **options):
    context = chromium.new_context(bypass_csp=True, locale=language, **options)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    if user is not None:
        client = sign_in_with_second_factor(Client(), user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base})
    context.add_cookies(cookies)
    return context


PHONE_PAGES = [
    # 506 px wide on 2026-11-30 (the drafts table).
    pytest.param("applicant", "/applications/", id="applicant home"),
    pytest.param("applicant", "/applications/start/", id="start"),
    # 641 px wide on 2026-11-30.
    pytest.param("applicant", "/applications/{sent}/", id="case"),
    pytest.param("applicant", "/cases/{sent}/", id="case actions"),
    pytest.param("applicant", "/applications/{draft}/section/personal/", id="section"),
    pytest.param("applicant", "/applications/{draft}/attachments/", id="attachments"),
    pytest.param("applicant", "/applications/{draft}/review/", id="review"),
    pytest.param("applicant", "/accounts/security/", id="account and security"),
    pytest.param(None, "/", id="front page"),
    pytest.param(None, "/accounts/login/", id="sign-in"),
    pytest.param(None, "/trust/", id="trust center"),
    pytest.param(None, "/trust/check/", id="check"),
    pytest.param(None, "/trust/check/#verdict", id="check with a verdict"),
    pytest.param(None, "/trust/verify/", id="did we send this"),
    pytest.param(None, "/trust/report/", id="report a message"),
    pytest.param(None, "/securemail/", id="securemail"),
]


@pytest.mark.parametrize("role,path", PHONE_PAGES)
def test_the_page_does_not_scroll_sideways_on_a_375_px_phone(
    live_server, demo, chromium, role, path
):
    base = live_server.url
    user = demo["applicant"] if role else None
    context = _context(chromium, base, user, viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(base + path.format(sent=demo["sent"].pk, draft=demo["draft"].pk))
    if path.endswith("#verdict"):
        form = page.locator("form:has(input[name=mode][value=text])")
        form.locator("textarea[name='text-text']").fill(SUSPICIOUS_MESSAGE)
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#verdict-title")
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"scrollWidth, clientWidth = {widths}"
    context.close()


def _press_until_focused(page, selector: str, limit: int = 80) -> None:
    """Tab forward until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _type_into(page, selector: str, text: str) -> None:
    _press_until_focused(page, selector)
    page.keyboard.type(text)


@pytest.fixture
def screenshots(tmp_path):
    if os.environ.get("PERMITSAFE_WRITE_SCREENSHOTS") == "1":
        return README_SCREENSHOTS
    return tmp_path


def test_sign_in_an_application_and_the_check_work_with_the_keyboard_alone(
    live_server, demo, chromium, screenshots
):
    base = live_server.url
    applicant = demo["applicant"]
    device = AuthenticatorDevice.objects.filter(user=applicant, confirmed=True).first()
    context = _context(chromium, base, language="en", viewport={"width": 800, "height": 900})
    page = context.new_page()

    # The check: an empty submit, then the focus is on the error summary.
    page.goto(f"{base}/trust/check/")
    _press_until_focused(page, "form:has(input[name=mode][value=text]) button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    _type_into(page, "textarea[name='text-text']", SUSPICIOUS_MESSAGE)
    _press_until_focused(page, "form:has(input[name=mode][value=text]) button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#verdict-title")
    screenshots.mkdir(parents=True, exist_ok=True)
    _screenshot(page, screenshots / "check-verdict-scam.png")

    # Sign-in: password, then the authenticator's code.
    page.goto(f"{base}/accounts/login/")
    _type_into(page, "#id_username", applicant.email)
    _type_into(page, "#id_password", "demo applicant password")
    _press_until_focused(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/two-factor/**")
    code = TOTP(device.bin_key, step=30, t0=0, digits=6, drift=0).token()
    _type_into(page, "#id_token", f"{code:06d}")
    _press_until_focused(page, "main form button[type=submit]")
    page.keyboard.press("Space")
    page.wait_for_url("**/applications/")
    _screenshot(page, screenshots / "applicant-home.png")

    # An application: a section with a wrong value, then the focus is on the error summary.
    page.goto(f"{base}/applications/{demo['draft'].pk}/section/personal/")
    _press_until_focused(page, "#id_passport_number")
    page.keyboard.press("Control+A")
    page.keyboard.type("c 123")
    _press_until_focused(page, "main form button[value=continue]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    _screenshot(page, screenshots / "application-error-summary.png")

    # Sending: the declaration ticked with Space, then the fee at the (embedded) provider.
    ready = demo["ready"]
    page.goto(f"{base}/applications/{ready.pk}/review/")
    _press_until_focused(page, "input[name=declaration]")
    page.keyboard.press("Space")
    _press_until_focused(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/payments/embedded/**")
    _press_until_focused(page, "input[name=choice]")
    # Inside one radio group the arrow keys move the choice, as in every browser.
    for _ in range(5):
        if page.evaluate("document.activeElement.value") == "success":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    _press_until_focused(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/payments/embedded/" not in url)
    page.wait_for_load_state()
    context.close()
    ready.refresh_from_db()
    assert ready.status != "draft" and ready.case_number

    context = _context(
        chromium, base, demo["caseworker"], language="en", viewport={"width": 800, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{base}/casework/")
    # Each case number on one line (at 800 px "PS-2026-" and "000001" were two).
    lines = page.eval_on_selector_all(
        "table a.case-number", "links => links.map(link => link.getClientRects().length)"
    )
    assert lines and set(lines) == {1}, lines
    _screenshot(page, screenshots / "caseworker-queue.png")
    context.close()


def _screenshot(page, path: Path) -> None:
    """An 800 px wide PNG of the top of the page, in a small palette (the README shows it)."""
    from PIL import Image

    page.screenshot(path=str(path), full_page=False)
    image = Image.open(path).convert("RGB").quantize(colors=64)
    image.save(path, optimize=True)
    assert image.size[0] == 800
