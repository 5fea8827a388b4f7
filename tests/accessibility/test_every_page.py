"""Every page each role can reach, in fi, sv and en, checked with axe-core (WCAG 2.1 A and AA) in
Debian's Chromium against the live server; the pages found are matched against the URLconf
(tests/accessibility/site_map.py), so a page no test visits fails here.

Each role's pages are found by following the links on its pages from its starting points (one
browser, one context per role and language), after the journeys that make the pages exist (a
Securemail conversation, a check with a verdict, a report). Needs /usr/bin/chromium; see
tests/accessibility/test_axe.py for the skip and CI's rule that it never skips there."""

from __future__ import annotations

import functools
import io
import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from applications.models import Application, PermitType
from applications.services import (
    application_attach_document,
    application_pay,
    application_save_section,
    application_start,
)
from tests.accessibility.key_pages import SUSPICIOUS_MESSAGE
from tests.accessibility.site_map import EXCLUDED, named_patterns
from tests.accessibility.test_axe import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    _missing_browser,
    _violations,
)
from tests.conftest import sign_in_with_second_factor
from tests.e2e import flow
from tests.site_crawl import DEMO_EMAIL, STARTS, Visit, crawl, view_name
from tests.trust.reports.grouping import submit_grouped
from tests.trust.reports.texts import publishable
from tests.trust.web.helpers import SCAM_TEXT, scam_result
from trust.models import Campaign
from trust.services import campaign_publish, campaign_update

pytestmark = [
    pytest.mark.skipif(bool(_missing_browser()), reason=_missing_browser() or "ready"),
    pytest.mark.django_db(transaction=True),
]

LANGUAGES = ("fi", "sv", "en")


def _anonymous_journeys(page, base: str, check, smtp_server) -> None:
    """The pages only a form leads to: the check's verdict, a report's answer, Securemail; and
    the page a mistyped address shows, which no pattern names."""
    response = page.goto(f"{base}/no-such-page/")
    assert response.status == 404
    check(page)

    page.goto(f"{base}/trust/check/")
    page.locator("form:has(input[name=mode][value=text]) button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check(page)
    form = page.locator("form:has(input[name=mode][value=text])")
    form.locator("textarea[name='text-text']").fill(SUSPICIOUS_MESSAGE)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#verdict-title")
    check(page)

    smtp_server.clear()
    page.goto(f"{base}/securemail/")
    page.fill("input[name=email]", "sender@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("input[name=code]")
    check(page)
    for _ in range(50):
        if smtp_server.outbox:
            break
        time.sleep(0.1)
    code = re.search(r"\b(\d{4} \d{4})\b", smtp_server.outbox[-1].text).group(1)
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/securemail/messages/")
    check(page)
    page.goto(f"{base}/securemail/messages/new/")
    check(page)
    page.select_option("select[name=topic]", index=1)
    page.fill("input[name=subject]", "Residence permit question")
    page.fill("textarea[name=body]", "When will my application be decided?")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/sent/")
    check(page)
    conversation = re.search(r"/securemail/messages/([0-9a-f-]+)/", page.url).group(1)
    page.goto(f"{base}/securemail/messages/{conversation}/")
    check(page)


def complete_application(applicant: User) -> Application:
    """A complete draft, ready to pay and send, made through services (as test_axe makes one)."""
    ready = application_start(
        applicant=applicant, permit_type=PermitType.objects.get(code=flow.PERMIT_TYPE)
    )
    answers = flow.valid_answers("en")
    answers["employment"]["contract_type"] = "permanent"
    for key in ("personal", "contact", "employment", "background"):
        typed = {name: value for name, value in answers[key].items() if value}
        application_save_section(application=ready, section_key=key, data=typed)
    for kind, content in flow.real_pdfs().items():
        application_attach_document(
            application=ready, kind=kind, uploaded_file=flow.pdf_upload(f"{kind}.pdf", content)
        )
    return ready


@pytest.fixture
def demo_site(db, smtp_server):
    """What `make run` loads (demo accounts, applications in several states, back-office cases),
    plus what only a journey makes: a payment at the embedded provider, a published campaign and
    the paths that reach them (formatted into STARTS)."""
    call_command("load_demo_data", stdout=io.StringIO())
    users = {role: User.objects.get(email=email) for role, email in DEMO_EMAIL.items()}
    drafts = Application.objects.filter(applicant=users["applicant"], status="draft")
    ready = complete_application(users["applicant"])
    payment = application_pay(
        application=ready,
        declaration_confirmed=True,
        actor=users["applicant"],
        language="fi",
        provider_name="embedded",
    )
    reports = [
        submit_grouped(
            source="web",
            channel="email",
            content_kind="text",
            content=text.encode(),
            result=scam_result(domains=("migri-fi.com",), urls=("https://migri-fi.com/login",)),
        )
        for text in (SCAM_TEXT, SCAM_TEXT.replace("24 hours", "2 days"))
    ]
    campaign = campaign_update(
        campaign=Campaign.objects.get(),
        **publishable(title_en="Fake residence permit emails", summary_en="They ask for a fee."),
    )
    campaign_publish(campaign=campaign)
    return {
        "users": users,
        "paths": {
            "applicant": [
                f"/applications/{drafts.order_by('pk').first().pk}/missing/",
                f"/payments/{payment.public_id}/",
                f"/payments/embedded/{payment.public_id}/",
            ],
            "anonymous": [
                f"/trust/report/{reports[0].public_id}/",
                f"/trust/warnings/{campaign.public_id}/",
            ],
            "administrator": [f"/trust/campaigns/{campaign.public_id}/"],
        },
    }


def _sign_in_journeys(page, base: str, check, smtp_server) -> None:
    """Registration's pending page, the second step, the authenticator set-up, password reset."""
    page.goto(f"{base}/accounts/register/")
    page.fill("input[name=email]", f"new.{time.monotonic_ns()}@example.org")
    page.fill("input[name=new_password1]", "a long new password 42")
    page.fill("input[name=new_password2]", "a long new password 42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/verify-email/**")
    check(page)

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "applicant2@demo.invalid")
    page.fill("#id_password", "second demo applicant password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/two-factor/**")
    check(page)

    page.context.clear_cookies()
    User.objects.create_user(
        email=f"no.device.{time.monotonic_ns()}@example.org",
        password="a long new password 42",
        role="applicant",
        email_verified_at=timezone.now(),
    )
    newest = User.objects.order_by("-pk").first()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", newest.email)
    page.fill("#id_password", "a long new password 42")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/two-factor/setup/**")
    check(page)

    page.context.clear_cookies()
    smtp_server.clear()
    page.goto(f"{base}/accounts/password-reset/")
    page.fill("input[name=email]", newest.email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/password-reset/code/**")
    check(page)
    for _ in range(50):
        if smtp_server.outbox:
            break
        time.sleep(0.1)
    code = re.search(r"\b(\d{4}[ -]?\d{4})\b", smtp_server.outbox[-1].text).group(1)
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/password-reset/new/**")
    check(page)


def test_every_page_each_role_reaches_has_no_wcag_21_aa_violations_in_fi_sv_en(
    live_server, demo_site, smtp_server, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = live_server.url
    found: dict[str, list] = {}
    counts: dict[str, int] = {}
    visited: set[str] = set()
    started = time.monotonic()

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            for language in LANGUAGES:
                for role in ("anonymous", "applicant", "caseworker", "administrator"):
                    user = demo_site["users"].get(role)
                    if user is not None:
                        user.preferred_language = language
                        user.save(update_fields=["preferred_language"])
                    context = _context(chromium, base, user, language)
                    page = context.new_page()

                    def check(page, role=role, language=language):
                        path = urlsplit(page.url).path
                        lang = page.evaluate("document.documentElement.lang")
                        assert lang == language, f"{role} {path}: lang={lang}"
                        name = view_name(path)
                        visited.add(name)
                        violations = _violations(page, role)
                        key = f"{role} {language} {name} {path} #{len(counts) + 1}"
                        counts[key] = len(violations)
                        if violations:
                            found[key] = violations

                    if role == "anonymous":
                        _anonymous_journeys(page, base, check, smtp_server)
                    starts = STARTS[role] + demo_site["paths"].get(role, [])
                    crawl(starts, functools.partial(_visit, page, base, check), base=base)
                    if role == "anonymous":
                        _sign_in_journeys(page, base, check, smtp_server)
                    context.close()
        finally:
            chromium.close()
    elapsed = time.monotonic() - started

    print(f"\n{len(counts)} page loads checked with axe in {elapsed:.1f} s")
    for key, count in sorted(counts.items()):
        print(f"  {count} violations  {key}")
    forgotten = named_patterns() - visited - set(EXCLUDED)
    assert forgotten == set(), f"named URL patterns neither visited nor excluded: {forgotten}"
    assert found == {}, found


def _visit(page, base: str, check, path: str) -> Visit | None:
    """The page at `path` in the browser, checked with `check`; None for what is not a page."""
    response = page.goto(base + path)
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return None
    check(page)
    return Visit(page.url, page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"))


def _context(chromium, base: str, user: User | None, language: str):
    context = chromium.new_context(bypass_csp=True, locale=language)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    if user is not None:
        client = Client()
        sign_in_with_second_factor(client, user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base})
    context.add_cookies(cookies)
    return context
