"""Issue 10, "done when", over real HTTP: on a checkout after `make run` (the development server
and its task worker, SQLite, the demo data), the demo applicant signs in with the password and
TOTP key `make run` prints, fills in and sends an application, pays through the embedded payment
provider, and finds the case with its number and a receipt (page and PDF).

The pages are driven by the e2e browser (tests.e2e.browser) over a `requests` session instead of
Django's test client: nothing runs in the test process, as a person's browser would see it."""

from __future__ import annotations

import re
import time
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from applications.demo import DEMO_ACCOUNTS
from tests.e2e import flow
from tests.e2e.browser import Browser
from tests.test_readme_commands import Checkout, _free_port, _http_answers, _stop, _wait_until

DEMO_APPLICANT = next(
    account for account in DEMO_ACCOUNTS if account.email.startswith("applicant@")
)
# "<prefix>-<year>-<6 digits>" (applications.case_numbers)
_CASE_NUMBER = re.compile(r"\b[A-Z]+-\d{4}-\d{6}\b")
_RECEIPT_LINK = re.compile(r'href="(/payments/[0-9a-f-]+/receipt/)"')


class _Response:
    """The parts of a Django test response the e2e browser reads, from a requests response."""

    def __init__(self, response: requests.Response):
        self._response = response
        parts = urlsplit(response.url)
        self.request = {"PATH_INFO": parts.path, "QUERY_STRING": parts.query}
        self.status_code = response.status_code
        self.content = response.content
        self.redirect_chain = [
            (urlsplit(hop.headers["Location"]).path, hop.status_code) for hop in response.history
        ]

    def get(self, name: str, default: str = "") -> str:
        return self._response.headers.get(name, default)

    def __getitem__(self, name: str) -> str:
        return self._response.headers[name]


class HttpClient:
    """What the e2e browser calls on Django's test client (get, post, cookies), over HTTP."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.cookies = self.session.cookies

    def get(self, url: str, follow: bool = True) -> _Response:
        response = self.session.get(urljoin(self.base_url, url), allow_redirects=follow, timeout=60)
        return _Response(response)

    def post(self, url: str, data: dict, follow: bool = True) -> _Response:
        fields, files = {}, {}
        for name, value in data.items():
            if hasattr(value, "read"):  # an uploaded file (SimpleUploadedFile)
                value.seek(0)
                files[name] = (value.name, value.read(), value.content_type)
            else:
                fields[name] = value
        response = self.session.post(
            urljoin(self.base_url, url),
            data=fields,
            files=files or None,
            allow_redirects=follow,
            timeout=60,
        )
        return _Response(response)


@pytest.fixture(scope="module")
def running_make_run(tmp_path_factory):
    """`make run` on a checkout, left running for the test; stopped (as by Ctrl+C) afterwards."""
    checkout = Checkout(tmp_path_factory.mktemp("issue10"))
    port = _free_port()
    # The test cannot install packages: `-o` marks the install step as done.
    process = checkout.start("make -o .venv/.installed run", PORT=str(port))
    _wait_until(_http_answers(port), process, "make run")
    try:
        yield f"http://localhost:{port}"
    finally:
        _stop(process)


def _wait_for_case(browser: Browser, application_id: int, seconds: float = 60) -> str:
    """The case page once the payment's confirmation has sent the application."""
    deadline = time.monotonic() + seconds
    while True:
        page = browser.open(f"/applications/{application_id}/")
        if page.path == f"/cases/{application_id}/" and _RECEIPT_LINK.search(page.html):
            return page.html
        assert time.monotonic() < deadline, f"the case was not sent: {page.url}"
        time.sleep(1)


def test_the_demo_applicant_sends_pays_through_the_embedded_provider_and_gets_case_and_receipt(
    running_make_run,
):
    browser = Browser(HttpClient(running_make_run))
    page = flow.sign_in_password(
        browser, email=DEMO_APPLICANT.email, password=DEMO_APPLICANT.password
    )
    page = flow.second_factor(browser, DEMO_APPLICANT.totp_key_base32)
    assert page.path == "/applications/", page.url

    application_id, _page = flow.start_application(browser)
    flow.complete_application(browser, application_id)
    page = browser.open(f"/applications/{application_id}/review/")
    assert "error-summary" not in page.html
    review_in_another_tab = page

    # "Pay and send": the embedded provider's page (the default of `make run`), no card asked.
    page = browser.submit(page.form(), {"declaration": "on"})
    assert page.path.startswith("/payments/embedded/"), page.url
    assert not re.search(r'name="[^"]*(card|cvv|iban)', page.html, re.I)
    page = browser.submit(page.form(), {"choice": "success"})
    # Paid already: the confirmation panel on the case; still waiting for the callback: the
    # payment's own page, which says so.
    assert page.status == 200, page.url
    assert page.path.startswith("/payments/") or page.path == f"/cases/{application_id}/", page.url

    case = _wait_for_case(browser, application_id)
    receipt_path = _RECEIPT_LINK.search(case).group(1)
    receipt = browser.open(receipt_path)
    assert receipt.status == 200
    # The case number on the case page is the one on the receipt.
    case_numbers = set(_CASE_NUMBER.findall(case))
    assert len(case_numbers) == 1, case_numbers
    assert case_numbers == set(_CASE_NUMBER.findall(unescape(receipt.html)))
    pdf_link = re.search(r'href="(/payments/[0-9a-f-]+/receipt\.pdf)"', receipt.html)
    assert pdf_link, "the receipt page offers its PDF"
    pdf = browser.client.session.get(urljoin(running_make_run, pdf_link.group(1)), timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    # Sent once: the "Pay and send" of a second tab, opened before paying, leads back to the one
    # (paid) payment, never to a second payment; the case keeps its one number.
    browser.page = review_in_another_tab
    page = browser.submit(review_in_another_tab.form(), {"declaration": "on"})
    assert page.path == receipt_path.removesuffix("receipt/"), page.url
    case = browser.open(f"/applications/{application_id}/").html
    assert set(_CASE_NUMBER.findall(case)) == case_numbers
