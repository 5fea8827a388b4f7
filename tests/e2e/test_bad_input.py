"""Bad input across the application flow: clear errors, typed values kept, nothing saved half-way,
never a 500."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from django.test import Client

from applications.models import Application, Attachment, CaseEvent, PermitType, Status
from applications.services import application_attach_document, application_start
from documents.models import Document
from tests.conftest import sign_in_with_second_factor
from tests.e2e import flow

pytestmark = pytest.mark.django_db

# The first bytes of a Windows program: the "MZ" header and the DOS stub's message.
WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 43 + b"\x80\x00"
    b"\x00\x00\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!This program cannot be run in DOS mode."
    + b"\x00"
    * 512
)


@pytest.fixture(autouse=True)
def _english(settings):
    # These tests read the English messages; the language itself is covered by the journey test.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def signed_in(browser, applicant, permit_types):
    """A browser signed in as an applicant who has passed both factors (accounts tests cover how)."""
    sign_in_with_second_factor(browser.client, applicant)
    browser.open("/applications/")
    return browser


@pytest.fixture
def draft_id(signed_in) -> int:
    application_id, _page = flow.start_application(signed_in)
    return application_id


def _input_value(page, field_id: str) -> str:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', page.html)
    assert match, f"no input #{field_id}"
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def _error_summary(page) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page.html, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def test_an_invalid_answer_keeps_what_was_typed_and_links_to_the_field(signed_in, draft_id):
    answers = flow.valid_answers("en")["personal"]
    typed = {**answers, "passport_number": "c 123", "family_name": "Nguyễn", "nationality": ""}

    page = flow.save_section(signed_in, typed)

    assert page.status == 200
    assert page.path == f"/applications/{draft_id}/section/personal/"
    assert "<title>Error:" in page.html
    summary = _error_summary(page)
    for field in ("passport_number", "nationality"):
        assert f'href="#id_{field}"' in summary
        assert f'id="id_{field}"' in page.html
        assert f'id="id_{field}_error"' in page.html
    assert "capital letters and digits" in unescape(summary)
    assert _input_value(page, "id_passport_number") == "c 123"
    assert _input_value(page, "id_family_name") == "Nguyễn"
    assert _input_value(page, "id_passport_expiry") == answers["passport_expiry"]
    # The choices made stay chosen.
    assert re.search(r'<input[^>]*value="single"[^>]*checked', page.html)
    # Nothing of the page was saved.
    assert Application.objects.get(pk=draft_id).answers == {}


def test_an_invalid_number_and_date_keep_their_text(signed_in, draft_id):
    signed_in.open(f"/applications/{draft_id}/section/employment/")
    answers = {
        **flow.valid_answers("en")["employment"],
        "monthly_salary": "lots",
        "start_date": "31.12.2030",
    }
    page = flow.save_section(signed_in, answers)

    summary = _error_summary(page)
    assert 'href="#id_monthly_salary"' in summary and 'href="#id_start_date"' in summary
    assert _input_value(page, "id_monthly_salary") == "lots"
    assert _input_value(page, "id_start_date") == "31.12.2030"
    assert Application.objects.get(pk=draft_id).answers == {}


def test_a_program_renamed_to_pdf_is_refused_naming_the_accepted_types(signed_in, draft_id):
    page = signed_in.open(f"/applications/{draft_id}/attachments/")
    disguised = flow.pdf_upload("passport.pdf", WINDOWS_PROGRAM)

    page = flow.upload(signed_in, "passport_copy", disguised)

    assert page.status == 200
    text = unescape(page.html)
    assert "PDF" in text and "JPEG" in text and "PNG" in text
    assert "not accepted" in text
    assert 'id="id_passport_copy-file_error"' in page.html
    assert Attachment.objects.count() == 0 and Document.objects.count() == 0


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(4_000, id="over-the-limit-while-reading"),
        # Content-Length alone already says it is too large.
        pytest.param(3_000_000, id="over-the-limit-by-content-length"),
    ],
)
def test_an_oversize_upload_is_refused_with_a_clear_error(
    signed_in, draft_id, settings, real_pdfs, size
):
    settings.UPLOAD_MAX_BYTES = 2_048
    pdf = real_pdfs["passport_copy"]
    padded = pdf + b"%" + b"x" * max(0, size - len(pdf) - 2) + b"\n"
    page = signed_in.open(f"/applications/{draft_id}/attachments/")

    page = flow.upload(signed_in, "passport_copy", flow.pdf_upload("passport.pdf", padded))

    assert page.status == 200
    assert "larger than" in unescape(page.html)
    assert "This field is required" not in page.html
    assert Attachment.objects.count() == 0 and Document.objects.count() == 0


def test_a_double_submit_makes_one_case(signed_in, draft_id):
    from payments.models import Payment

    flow.complete_application(signed_in, draft_id)
    review = signed_in.open(f"/applications/{draft_id}/review/")
    form = review.form()

    first = signed_in.submit(form, {"declaration": "on"})
    signed_in.page = review  # the second click on the same page
    second = signed_in.submit(form, {"declaration": "on"})

    # Both clicks lead to the one payment's page; one attempt was started.
    payment = Payment.objects.get(application_id=draft_id)
    assert first.status == second.status == 200
    assert first.path == second.path == f"/payments/embedded/{payment.public_id}/"
    assert "already been sent" in unescape(second.html)
    case = signed_in.submit(second.form(), {"choice": "success"})
    application = Application.objects.get(pk=draft_id)
    assert application.case_number
    signed_in.page = second  # and the payment page's button clicked twice
    again = signed_in.submit(second.form(), {"choice": "success"})
    assert again.status == 200 and case.status == 200
    assert Application.objects.exclude(status=Status.DRAFT).count() == 1
    assert CaseEvent.objects.filter(application=application, kind="submitted").count() == 1
    assert Payment.objects.filter(application_id=draft_id).count() == 1


def test_a_post_after_signing_out_goes_to_sign_in(signed_in, draft_id):
    page = signed_in.open(f"/applications/{draft_id}/section/personal/")
    form = page.form()
    flow.sign_out(signed_in)
    signed_in.page = page  # the page still open in another tab

    response = signed_in.submit(
        form, flow.valid_answers("en")["personal"], button=("action", "continue"), follow=False
    ).response

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert Application.objects.get(pk=draft_id).answers == {}


def test_a_post_after_the_session_went_idle_goes_to_sign_in(signed_in, draft_id, settings):
    page = signed_in.open(f"/applications/{draft_id}/section/contact/")
    form = page.form()
    session = signed_in.client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_SECONDS - 60
    session.save()

    page = signed_in.submit(
        form, flow.valid_answers("en")["contact"], button=("action", "continue")
    )

    assert page.status == 200
    assert page.path == "/accounts/login/"
    assert "inactive" in page.html
    assert Application.objects.get(pk=draft_id).answers == {}


def test_another_applicants_application_is_not_found(signed_in, draft_id, other_applicant):
    others = application_start(
        applicant=other_applicant, permit_type=PermitType.objects.get(code=flow.PERMIT_TYPE)
    )
    client: Client = signed_in.client
    urls = [
        f"/applications/{others.pk}/",
        f"/applications/{others.pk}/section/personal/",
        f"/applications/{others.pk}/attachments/",
        f"/applications/{others.pk}/missing/",
        f"/applications/{others.pk}/review/",
        f"/applications/{others.pk}/delete/",
        f"/applications/{draft_id + 1000}/review/",
        f"/applications/{draft_id}/section/no-such-section/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url

    # A tampered id in a form's address: the POST is refused the same way and changes nothing.
    page = signed_in.open(f"/applications/{draft_id}/section/personal/")
    form = page.form()
    form.action = f"/applications/{others.pk}/section/personal/"
    page = signed_in.submit(form, flow.valid_answers("en")["personal"], button=("action", "save"))
    assert page.status == 404
    assert "Traceback" not in page.html
    assert Application.objects.get(pk=others.pk).answers == {}

    page = signed_in.open(f"/applications/{draft_id}/delete/")
    form = page.form()
    form.action = f"/applications/{others.pk}/delete/"
    assert signed_in.submit(form).status == 404
    assert Application.objects.filter(pk=others.pk).exists()


def test_a_tampered_attachment_id_is_not_found(signed_in, draft_id, other_applicant, real_pdfs):
    others = application_start(
        applicant=other_applicant, permit_type=PermitType.objects.get(code=flow.PERMIT_TYPE)
    )
    theirs = application_attach_document(
        application=others,
        kind="passport_copy",
        uploaded_file=flow.pdf_upload("passport.pdf", real_pdfs["passport_copy"]),
    )
    page = signed_in.open(f"/applications/{draft_id}/attachments/")
    page = flow.upload(
        signed_in, "passport_copy", flow.pdf_upload("p.pdf", real_pdfs["passport_copy"])
    )
    mine = Attachment.objects.get(application_id=draft_id)
    form = page.form(action=f"/applications/{draft_id}/attachments/{mine.pk}/remove/")

    for action in (
        f"/applications/{draft_id}/attachments/{theirs.pk}/remove/",
        f"/applications/{others.pk}/attachments/{theirs.pk}/remove/",
    ):
        form.action = action
        assert signed_in.submit(form).status == 404, action
    assert Attachment.objects.filter(pk=theirs.pk).exists()
