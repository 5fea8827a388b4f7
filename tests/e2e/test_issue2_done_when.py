"""Issue 2, "done when", end to end through the pages: register, verify the address by the code
mailed through a real SMTP server, set up TOTP, apply for a work-based permit with real PDF files,
send it, and find the case again after signing out and in. In Finnish, Swedish and English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from applications.models import Application, Attachment, CaseEvent
from tests.e2e import flow

pytestmark = pytest.mark.django_db

SECTIONS = ["personal", "contact", "employment", "background"]


def _assert_language(browser, language: str) -> None:
    page = browser.page
    assert flow.html_lang(page) == language, page.url
    assert browser.client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def _assert_translated_heading(page, english: str, language: str) -> None:
    """Where the project's catalogue for the language exists, the heading is in that language."""
    if not flow.has_catalogue(language):
        return
    with translation.override(language):
        expected = translation.gettext(english)
    assert flow.first_heading(page) == expected


def _answer_every_section(browser, application_id: int, language: str) -> None:
    answers = flow.valid_answers(language)
    for key in SECTIONS:
        page = browser.page
        assert page.path == f"/applications/{application_id}/section/{key}/", page.url
        # The page asks exactly the questions of the schema that apply so far.
        assert sorted(page.form().typed_names()) == sorted(answers[key]), key
        page = flow.save_section(browser, answers[key])
        assert page.status == 200
        if key == "employment":
            # A fixed-term contract brings up its end date on the same page.
            assert page.path == f"/applications/{application_id}/section/employment/"
            form = page.form()
            assert "contract_end_date" in form.typed_names()
            assert form.fields["job_title"].value == answers["employment"]["job_title"]
            page = flow.save_section(browser, answers["employment_revealed"])
    assert browser.page.path == f"/applications/{application_id}/attachments/"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_new_applicant_applies_for_a_work_permit_and_finds_the_case_again(
    language, browser, smtp_server, permit_types, real_pdfs
):
    email = f"lan.nguyen.{language}@example.org"

    # The language is chosen in the header, as a visitor would.
    browser.open("/")
    page = flow.set_language(browser, language)
    assert page.path == "/"
    _assert_language(browser, language)
    _assert_translated_heading(page, "Use the e-services safely", language)

    # Register; the code arrives through the SMTP server, in the chosen language, with no link.
    page = flow.register(browser, email=email, language=language)
    assert page.path == "/accounts/verify-email/"
    _assert_language(browser, language)
    [mail] = smtp_server.outbox
    assert mail.envelope_to == [email]
    assert mail.message["Content-Language"] == language
    assert "http://" not in mail.text and "https://" not in mail.text
    page = flow.verify_email(browser, flow.mail_code(mail))
    assert page.path == "/accounts/login/"

    # Sign in with the password; the second step must be set up first.
    page = flow.sign_in_password(browser, email=email)
    assert page.path == "/accounts/two-factor/setup/"
    _assert_translated_heading(page, "Set up the second step of signing in", language)
    secret, recovery_codes, page = flow.set_up_authenticator(browser)
    assert len(recovery_codes) >= 8 and len(set(recovery_codes)) == len(recovery_codes)

    # The recovery codes are shown once: not on the set-up page again, nor on the security page.
    home = flow.continue_link(page)
    for revisit in ("/accounts/two-factor/setup/", "/accounts/security/"):
        page = browser.open(revisit)
        assert page.status == 200
        assert not any(code in page.html for code in recovery_codes), revisit
    page = browser.open(home)
    assert page.path == "/applications/"
    _assert_language(browser, language)

    # Apply: every section, then the two required attachments as real PDF files.
    application_id, page = flow.start_application(browser)
    _answer_every_section(browser, application_id, language)
    page = browser.open(f"/applications/{application_id}/missing/")
    assert sorted(flow.missing_targets(page)) == ["kind-employment_contract", "kind-passport_copy"]

    browser.open(f"/applications/{application_id}/attachments/")
    for kind in ("passport_copy", "employment_contract"):
        page = flow.upload(browser, kind, flow.pdf_upload(f"{kind}.pdf", real_pdfs[kind]))
        assert page.path == f"/applications/{application_id}/attachments/"
        assert "error-message" not in page.html
    assert Attachment.objects.filter(application_id=application_id).count() == 2

    page = browser.open(f"/applications/{application_id}/missing/")
    assert page.status == 200
    assert flow.missing_targets(page) == []

    # Review, confirm the declaration, pay the fee (the embedded provider) and so send.
    page = browser.open(f"/applications/{application_id}/review/")
    assert "error-summary" not in page.html
    assert "Pohjolan Ohjelmisto Oy" in page.html and "C1234567" in page.html
    page = browser.submit(page.form(), {"declaration": "on"})
    assert page.path.startswith("/payments/embedded/")
    assert Application.objects.get(pk=application_id).is_draft
    page = browser.submit(page.form(), {"choice": "success"})
    page = browser.open(f"/applications/{application_id}/")
    assert page.path == f"/cases/{application_id}/"  # the old address leads to the one case page
    application = Application.objects.get(pk=application_id)
    assert application.case_number and not application.is_draft
    assert application.submitted_language == language
    assert application.case_number in page.html
    assert CaseEvent.objects.filter(application=application).exists()

    # The case, with its number, is on the applicant's home page.
    page = browser.open("/applications/")
    assert application.case_number in page.html

    # Sign out; signing in again needs the password and a code from the app.
    page = flow.sign_out(browser)
    assert page.path == "/"
    page = browser.open("/applications/")
    assert page.path == "/accounts/login/"
    assert application.case_number not in page.html
    page = flow.sign_in_password(browser, email=email)
    assert page.path == "/accounts/two-factor/"
    assert application.case_number not in page.html
    page = flow.second_factor(browser, secret)
    assert page.path == "/applications/"
    assert re.search(rf">\s*{re.escape(application.case_number)}\s*<", page.html)
    _assert_language(browser, language)
