"""The key pages of the site in the states people meet them (empty, with errors, with a result),
reached through the test client with the e2e browser helper."""

from __future__ import annotations

import re

from accounts.authenticators import AuthenticatorDevice
from tests.conftest import sign_in_with_second_factor
from tests.e2e import flow
from tests.e2e.browser import Browser, Page

# The password tests.conftest.make_user gives its users.
MAKE_USER_PASSWORD = "correct horse battery staple"
SUSPICIOUS_MESSAGE = (
    "Your residence permit will be cancelled today. Pay the 95 EUR fee now at "
    "http://migri-payments.example.net/pay and confirm your passport number."
)


def public_pages() -> dict[str, Page]:
    browser = Browser()
    pages = {}
    for name, url in [
        ("front page", "/"),
        ("sign-in", "/accounts/login/"),
        ("registration", "/accounts/register/"),
        ("password reset", "/accounts/password-reset/"),
        ("trust center", "/trust/"),
        ("official channels", "/trust/channels/"),
        ("check", "/trust/check/"),
        ("did we send this", "/trust/verify/"),
        ("report a message", "/trust/report/"),
        ("not found", "/no-such-page/"),
    ]:
        pages[name] = browser.open(url)

    page = browser.open("/accounts/login/")
    pages["sign-in with errors"] = browser.submit(page.form(), {"username": "not an address"})
    page = browser.open("/accounts/register/")
    pages["registration with errors"] = browser.submit(
        page.form(), {"email": "x", "new_password1": "short", "new_password2": "other"}
    )
    page = browser.open("/trust/check/")
    pages["check with errors"] = browser.submit(page.form(where={"mode": "text"}), {})
    page = browser.open("/trust/check/")
    pages["check with a result"] = browser.submit(
        page.form(where={"mode": "text"}), {"text-text": SUSPICIOUS_MESSAGE}
    )
    page = browser.open("/trust/verify/")
    pages["did we send this with an answer"] = browser.submit(
        page.form(), {"code": "7K3M-Q9TX-2HDA", "address": "someone@example.org"}
    )
    # A new browser gets the site's default language (English in the test settings).
    page = flow.register(Browser(), email="new.person@example.org", language="en")
    pages["email verification"] = page
    return pages


def sign_in_pages(make_user) -> dict[str, Page]:
    without_device = make_user(role="applicant")
    browser = Browser()
    flow.sign_in_password(browser, email=without_device.email, password=MAKE_USER_PASSWORD)
    pages = {"authenticator set-up": browser.page}

    with_device = make_user(role="applicant")
    AuthenticatorDevice.objects.create(user=with_device, name="phone", confirmed=True)
    browser = Browser()
    pages["second step"] = flow.sign_in_password(
        browser, email=with_device.email, password=MAKE_USER_PASSWORD
    )
    return pages


def applicant_pages(make_user) -> dict[str, Page]:
    """The applicant's pages, with a sent case and a draft on the home page."""
    browser = Browser()
    sign_in_with_second_factor(browser.client, make_user(role="applicant"))
    pages = {"applicant home, empty": browser.open("/applications/")}
    pages["start"] = browser.open("/applications/start/")
    pages["start with errors"] = browser.submit(pages["start"].form(), {})

    case_id, pages["section"] = flow.start_application(browser)
    pages["section with errors"] = flow.save_section(
        browser, {"passport_number": "c 123", "date_of_birth": "31.12.1990"}
    )
    pages["attachments"] = browser.open(f"/applications/{case_id}/attachments/")
    pages["attachment with errors"] = flow.upload(
        browser, "passport_copy", flow.pdf_upload("passport.pdf", b"MZ not a pdf")
    )
    pages["missing"] = browser.open(f"/applications/{case_id}/missing/")
    pages["review with missing items"] = browser.open(f"/applications/{case_id}/review/")
    flow.complete_application(browser, case_id)
    page = browser.open(f"/applications/{case_id}/review/")
    pages["review"] = page
    pages["review with errors"] = browser.submit(page.form(), {})
    # The fee is paid on the (embedded) payment service's page; its confirmation sends the case.
    pages["payment service"] = browser.submit(browser.page.form(), {"declaration": "on"})
    pages["payment"] = browser.submit(pages["payment service"].form(), {"choice": "success"})
    pages["case"] = browser.open(f"/applications/{case_id}/")
    receipt = re.search(r'href="(/payments/[0-9a-f-]+/receipt/)"', pages["case"].html)
    assert receipt, "the sent case links to its receipt"
    pages["receipt"] = browser.open(receipt.group(1))

    draft_id, _page = flow.start_application(browser)
    pages["delete draft"] = browser.open(f"/applications/{draft_id}/delete/")
    pages["applicant home"] = browser.open("/applications/")
    pages["account and security"] = browser.open("/accounts/security/")
    pages["sign out"] = browser.open("/accounts/logout/")
    return pages
