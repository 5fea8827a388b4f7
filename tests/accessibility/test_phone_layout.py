"""The applicant's pages on a phone (375 x 667 CSS px) in headless Chromium: nothing scrolls
sideways, the signed-in header stays small, the language links and radio buttons are big enough
to hit, status tags do not look like buttons, the review's answers are a styled summary list, and
the footer's new pages have no axe violations. Skips without the browser."""

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
# The first status tag's look beside a submit button's, made for the comparison and removed.
STATUS_TAG_AGAINST_BUTTON = """() => {
  const tag = document.querySelector(".status");
  const button = document.createElement("button");
  button.type = "submit";
  document.querySelector("main").append(button);
  const t = getComputedStyle(tag);
  const result = {
    element: tag.tagName, cursor: t.cursor, border: t.borderTopWidth,
    radius: t.borderTopLeftRadius, background: t.backgroundColor,
    button_background: getComputedStyle(button).backgroundColor,
  };
  button.remove();
  return result;
}"""
SUMMARY_LIST_STYLE = """() => {
  const labels = [...document.querySelectorAll(".summary-list > dt")];
  const answers = [...document.querySelectorAll(".summary-list > dd")];
  return {
    labels: labels.length,
    bold_labels: labels.filter((dt) => Number(getComputedStyle(dt).fontWeight) >= 600).length,
    answers: answers.length,
    ruled_answers: answers.filter((dd) => getComputedStyle(dd).borderBottomWidth !== "0px").length,
  };
}"""


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
            # The draft's status tag reads as a label, not a button: flat, no hand cursor, not
            # the buttons' colour, and not a control.
            tag = page.evaluate(STATUS_TAG_AGAINST_BUTTON)
            assert tag["element"] in {"SPAN", "STRONG"}, tag
            assert (tag["cursor"], tag["border"], tag["radius"]) == ("default", "0px", "0px"), tag
            assert tag["background"] != tag["button_background"], tag

            for name, path in [
                ("application section", f"/applications/{draft_id}/section/personal/"),
                ("attachments", f"/applications/{draft_id}/attachments/"),
                ("review", f"/applications/{draft_id}/review/"),
                ("accessibility statement", "/accessibility/"),
                ("privacy notice", "/privacy/"),
            ]:
                page.goto(f"{base}{path}")
                overflow[name] = page.evaluate(SIDEWAYS)
            # The review page's answers are a styled summary list: each label bold, each row ruled.
            page.goto(f"{base}/applications/{draft_id}/review/")
            rows = page.evaluate(SUMMARY_LIST_STYLE)
            assert rows["labels"] > 0 and rows["bold_labels"] == rows["labels"], rows
            assert rows["ruled_answers"] == rows["answers"] > 0, rows
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
                    violations = _violations(page, "applicant")
                    if violations:
                        found[f"{path} ({language})"] = violations
        finally:
            chromium.close()

    assert {name: pixels for name, pixels in overflow.items() if pixels > 0} == {}
    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)


# The words of the drafts table's cells and visible headers that lie on more than one line: a
# word broken across two lines ("Contin/ue") does.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table.responsive-table th, table.responsive-table td")) {
    // On a phone the header row is there only for screen readers, clipped to one pixel.
    const head = cell.closest("thead");
    if (head && head.getBoundingClientRect().width <= 1) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".visually-hidden")) continue;
      const pattern = /\\S+/g;
      for (let match = pattern.exec(node.data); match; match = pattern.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def test_the_drafts_table_breaks_no_word_on_a_narrow_desktop_or_a_phone(
    live_server, monkeypatch, request
):
    """At 800 px the drafts table is a table whose columns are as wide as their longest word
    ("Continue" broke into "Contin/ue"); at 375 px it is cards, and nothing scrolls sideways."""
    from playwright.sync_api import sync_playwright

    user, totp_key, _draft_id, _payment_id = request.getfixturevalue("applicant_with_a_case")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    broken: dict[str, list[str]] = {}
    sideways: dict[str, int] = {}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            context = chromium.new_context(
                bypass_csp=True, locale="fi-FI", viewport={"width": 800, "height": 900}
            )
            page = context.new_page()
            # Once: a TOTP code is accepted only once.
            _sign_in(page, base=live_server.url, user=user, totp_key=totp_key)
            for language in ("fi", "sv", "en"):
                if language != "fi":
                    page.locator(f".language-links button[lang={language}]").click()
                    page.wait_for_selector(f".current-language[lang={language}]")
                for width in (800, 640, 375):
                    page.set_viewport_size({"width": width, "height": 900})
                    page.reload()
                    assert page.locator("table.responsive-table tbody tr").count() == 1
                    name = f"{language} at {width} px"
                    broken[name] = page.evaluate(BROKEN_WORDS)
                    sideways[name] = page.evaluate(SIDEWAYS)
        finally:
            chromium.close()

    assert {name: words for name, words in broken.items() if words} == {}
    assert {name: pixels for name, pixels in sideways.items() if pixels > 0} == {}
