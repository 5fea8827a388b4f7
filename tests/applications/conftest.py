"""Fixtures for the applications tests: the shipped permit types, drafts, valid answers, files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

# Valid input for every section of the work-based permit, as a browser would post it.
WORK_SECTIONS = {
    "personal": {
        "family_name": "Nguyen",
        "given_names": "Thi Lan",
        "date_of_birth": "1991-04-17",
        "place_of_birth": "Hanoi",
        "nationality": "VN",
        "marital_status": "single",
        "passport_number": "C1234567",
        "passport_issuing_country": "VN",
        "passport_expiry": "2031-06-30",
    },
    "contact": {
        "email": "lan.nguyen@example.org",
        "phone": "+358 40 1234567",
        "country_of_residence": "VN",
        "address": "12 Tran Hung Dao, Hanoi",
    },
    "employment": {
        "employer_name": "Pohjolan Ohjelmisto Oy",
        "employer_business_id": "1234567-8",
        "job_title": "Software developer",
        "monthly_salary": "4200.50",
        "weekly_hours": "37.5",
        "contract_type": "permanent",
        "start_date": "2030-09-01",
    },
    "background": {"previous_finnish_permit": "no"},
}


def pdf_upload(name: str = "passport.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def permit_types(db):
    from applications.catalogue import permit_types_load_directory

    permit_types_load_directory()
    from applications.models import PermitType

    return {permit_type.code: permit_type for permit_type in PermitType.objects.all()}


@pytest.fixture
def work_type(permit_types):
    return permit_types["work-employed"]


@pytest.fixture
def start_draft(work_type):
    from applications.services import application_start

    def _start(applicant, permit_type=None):
        return application_start(applicant=applicant, permit_type=permit_type or work_type)

    return _start


@pytest.fixture
def draft(start_draft, applicant):
    return start_draft(applicant)


def fill_sections(application, sections: dict | None = None):
    from applications.services import application_save_section

    for key, data in (sections or WORK_SECTIONS).items():
        application = application_save_section(
            application=application, section_key=key, data=data
        ).application
    return application


def attach_required(application):
    from applications.services import application_attach_document

    for kind in ("passport_copy", "employment_contract"):
        application_attach_document(
            application=application, kind=kind, uploaded_file=pdf_upload(f"{kind}.pdf")
        )
    return application


@pytest.fixture
def complete_draft(draft):
    return attach_required(fill_sections(draft))


@pytest.fixture
def submit():
    """Send an application as its applicant does: pay the fee in force first, if there is one
    (through the embedded provider's signed callback), otherwise at once."""
    from applications.services import application_fee, application_pay, application_submit
    from payments.models import EventSource
    from payments.providers import get_provider
    from payments.providers.embedded.provider import Choice
    from payments.services import payment_handle_provider_message

    def _submit(application):
        fee = application_fee(application=application)
        if fee is None or fee.is_exempt:
            return application_submit(
                application=application, declaration_confirmed=True, actor=application.applicant
            )
        payment = application_pay(
            application=application,
            declaration_confirmed=True,
            actor=application.applicant,
            language="en",
            provider_name="embedded",
        )
        params, kind = get_provider("embedded").signed_parameters(
            payment=payment, choice=Choice.SUCCESS
        )
        payment_handle_provider_message(
            provider_name="embedded", params=params, kind=kind, source=EventSource.CALLBACK
        )
        application.refresh_from_db()
        return application

    return _submit
