"""The applicant's pages on a phone (375 x 667 CSS px) in headless Chromium: nothing scrolls
sideways, the signed-in header stays small, the language links and radio buttons are big enough
to hit, and the footer's new pages have no axe violations. Skips without the browser."""

from __future__ import annotations

import json

from django_otp.oath import TOTP

from tests.accessibility.key_pages import MAKE_USER_PASSWORD
from tests.accessibility.test_axe import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    STYLE_RULES,
    _violations,
    applicant_with_a_case,  # noqa: F401 (a fixture, imported to be found here)
    pytestmark,  # noqa: F401 (the same skip and database marks)
)

PHONE = {"width": 375, "height": 667}
# The header's share of the screen: it took 180 px (27 %) before the compact header.
MAX_HEADER_SHARE = 0.15
# WCAG 2.5.8 (target size, minimum).
MIN_TARGET_PX = 24
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _sign_in(page, base: str, user, totp_key: bytes) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", MAKE_USER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/two-factor/**")
    code = TOTP(totp_key, step=30, t0=0, digits=6, drift=0).token()
    page.fill("#id_token", f"{code:06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/applications/")


def test_the_applicants_pages_fit_a_phone_and_the_footer_pages_pass_axe(
    live_server, monkeypatch, request
):
    from playwright.sync_api import sync_playwright

    user, totp_key, draft_id, _payment_id = request.getfixturevalue("applicant_with_a_case")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = live_server.url
    overflow: dict[str, int] = {}
    found: dict[str, list[dict]] = {}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            context = chromium.new_context(
                bypass_csp=True, locale="fi-FI", viewport=PHONE, device_scale_factor=2
            )
            page = context.new_page()
            _sign_in(page, base, user, totp_key)
            assert page.evaluate(STYLE_RULES) > 0
            # The home page with a draft and a sent case: the drafts table is cards now.
            assert page.locator("table.responsive-table tbody tr").count() == 1
            overflow["applicant home"] = page.evaluate(SIDEWAYS)
            header = page.locator("header.site-header").bounding_box()
            assert header["height"] <= PHONE["height"] * MAX_HEADER_SHARE, header
            # Each language is a button of its own, big enough to hit; the current one is marked.
            assert page.locator(".current-language[aria-current=true][lang=fi]").count() == 1
            for code in ("sv", "en"):
                box = page.locator(f".language-links button[lang={code}]").bounding_box()
                assert box["height"] >= MIN_TARGET_PX and box["width"] >= MIN_TARGET_PX, box
            # A draft card labels its cells (the table's header row is hidden on a phone).
            label = page.evaluate(
                "getComputedStyle(document.querySelector('.responsive-table td[data-label]'),"
                " '::before').content"
            )
            assert label.strip('"') == "Hakemus"

            for name, path in [
                ("application section", f"/applications/{draft_id}/section/personal/"),
                ("attachments", f"/applications/{draft_id}/attachments/"),
                ("review", f"/applications/{draft_id}/review/"),
                ("accessibility statement", "/accessibility/"),
                ("privacy notice", "/privacy/"),
            ]:
                page.goto(f"{base}{path}")
                overflow[name] = page.evaluate(SIDEWAYS)
            page.goto(f"{base}/applications/{draft_id}/section/employment/")
            radios = page.locator("input[type=radio]").all()
            assert radios
            for radio in radios:
                box = radio.bounding_box()
                assert box["width"] >= MIN_TARGET_PX and box["height"] >= MIN_TARGET_PX, box

            # Switching the language keeps the page and marks the new one.
            page.goto(f"{base}/accessibility/")
            page.locator(".language-links button[lang=sv]").click()
            page.wait_for_selector(".current-language[lang=sv]")
            assert page.url.endswith("/accessibility/")

            for language in ("sv", "en", "fi"):
                for path in ("/accessibility/", "/privacy/"):
                    page.goto(f"{base}{path}")
                    if page.locator(f".language-links button[lang={language}]").count():
                        page.locator(f".language-links button[lang={language}]").click()
                        page.wait_for_selector(f".current-language[lang={language}]")
                    assert page.locator("html").get_attribute("lang") == language
                    violations = _violations(page)
                    if violations:
                        found[f"{path} ({language})"] = violations
        finally:
            chromium.close()

    assert {name: pixels for name, pixels in overflow.items() if pixels > 0} == {}
    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
