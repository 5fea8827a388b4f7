"""The application services: start, save a section, attach, what is missing, submit, delete."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from applications.models import Application, Attachment, CaseEvent, PermitType, Status
from applications.services import (
    AlreadySubmitted,
    SectionInvalid,
    application_attach_document,
    application_delete_draft,
    application_missing_items,
    application_remove_attachment,
    application_save_section,
    application_start,
    application_submit,
)
from documents.models import Document
from documents.services import DocumentRejected
from tests.applications.conftest import WORK_SECTIONS, attach_required, fill_sections, pdf_upload

pytestmark = pytest.mark.django_db


def test_starting_an_application_creates_an_empty_sealed_draft_with_an_event(draft, applicant):
    assert draft.status == Status.DRAFT
    assert draft.case_number is None
    assert draft.answers == {}
    assert list(draft.events.values_list("kind", flat=True)) == ["created"]


def test_an_inactive_permit_type_cannot_be_started(applicant, work_type):
    PermitType.objects.filter(pk=work_type.pk).update(active=False)
    work_type.refresh_from_db()
    with pytest.raises(ValidationError):
        application_start(applicant=applicant, permit_type=work_type)
    assert not Application.objects.exists()


def test_a_valid_section_is_saved_sealed_and_typed(draft):
    application = application_save_section(
        application=draft, section_key="employment", data=WORK_SECTIONS["employment"]
    ).application
    answers = Application.objects.get(pk=draft.pk).answers
    assert answers["employer_name"] == "Pohjolan Ohjelmisto Oy"
    assert answers["monthly_salary"] == "4200.50"
    assert answers["start_date"] == "2030-09-01"
    assert b"Pohjolan" not in bytes(Application.objects.get(pk=application.pk).answers_sealed)


def test_the_sealed_answers_do_not_open_under_another_rows_binding(draft, start_draft, applicant):
    from core.crypto import DecryptionError

    fill_sections(draft, {"personal": WORK_SECTIONS["personal"]})
    other = start_draft(applicant)
    other.answers_sealed = Application.objects.get(pk=draft.pk).answers_sealed
    with pytest.raises(DecryptionError):
        other.answers  # noqa: B018


def test_an_invalid_section_saves_nothing_of_it_and_keeps_what_was_typed(draft):
    fill_sections(draft, {"personal": WORK_SECTIONS["personal"]})
    data = {**WORK_SECTIONS["personal"], "family_name": "Tran", "passport_number": "c 12"}
    with pytest.raises(SectionInvalid) as caught:
        application_save_section(application=draft, section_key="personal", data=data)
    form = caught.value.form
    assert "passport_number" in form.errors
    assert form["family_name"].value() == "Tran"
    assert Application.objects.get(pk=draft.pk).answers["family_name"] == "Nguyen"


def test_a_required_field_left_empty_is_refused(draft):
    data = {**WORK_SECTIONS["contact"], "email": ""}
    with pytest.raises(SectionInvalid) as caught:
        application_save_section(application=draft, section_key="contact", data=data)
    assert "email" in caught.value.form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("passport_expiry", "2001-01-01"),  # expired: the schema says min "today"
        ("date_of_birth", "2999-01-01"),  # in the future: max "today"
        ("nationality", "XX"),  # not a country
        ("marital_status", "complicated"),  # not a choice
    ],
)
def test_values_outside_the_schema_rules_are_refused(draft, field, value):
    data = {**WORK_SECTIONS["personal"], field: value}
    with pytest.raises(SectionInvalid) as caught:
        application_save_section(application=draft, section_key="personal", data=data)
    assert field in caught.value.form.errors


def test_a_number_out_of_range_is_refused(draft):
    data = {**WORK_SECTIONS["employment"], "weekly_hours": "120"}
    with pytest.raises(SectionInvalid):
        application_save_section(application=draft, section_key="employment", data=data)


def test_a_conditional_field_appears_once_its_controlling_answer_is_saved(draft):
    result = application_save_section(
        application=draft, section_key="background", data={"previous_finnish_permit": "yes"}
    )
    assert result.revealed_fields == ["previous_permit_number"]
    missing = application_missing_items(application=result.application)
    assert "previous_permit_number" in [item.code for item in missing]
    again = application_save_section(
        application=result.application,
        section_key="background",
        data={"previous_finnish_permit": "yes", "previous_permit_number": "12345678"},
    )
    assert again.revealed_fields == []
    assert again.application.answers["previous_permit_number"] == "12345678"


def test_changing_the_controlling_answer_drops_the_hidden_answer(draft):
    fill_sections(
        draft,
        {"background": {"previous_finnish_permit": "yes"}},
    )
    application_save_section(
        application=draft,
        section_key="background",
        data={"previous_finnish_permit": "yes", "previous_permit_number": "12345678"},
    )
    # The dependent field is shown but left empty: answering "no" must not require it.
    result = application_save_section(
        application=draft,
        section_key="background",
        data={"previous_finnish_permit": "no", "previous_permit_number": ""},
    )
    assert result.application.answers == {"previous_finnish_permit": False}


def test_missing_items_list_unanswered_required_fields_and_attachments(draft):
    items = application_missing_items(application=draft)
    codes = {item.code for item in items}
    assert {
        "family_name",
        "email",
        "employer_name",
        "passport_copy",
        "employment_contract",
    } <= codes
    assert "previous_names" not in codes  # optional
    assert "contract_end_date" not in codes  # conditional, and its condition does not hold
    assert "degree_certificate" not in codes  # an optional attachment kind
    passport = next(item for item in items if item.code == "passport_copy")
    assert (passport.kind, passport.count_missing) == ("attachment", 1)


def test_nothing_is_missing_from_a_complete_draft(complete_draft):
    assert application_missing_items(application=complete_draft) == []


def test_attaching_a_document_stores_it_encrypted_and_links_it(draft):
    attachment = application_attach_document(
        application=draft, kind="passport_copy", uploaded_file=pdf_upload()
    )
    assert attachment.document.owner == draft.applicant
    assert attachment.added_during == "draft"
    assert attachment.document.original_filename == "passport.pdf"


def test_a_rejected_file_is_refused_with_a_message_and_attaches_nothing(draft):
    with pytest.raises(DocumentRejected) as caught:
        application_attach_document(
            application=draft,
            kind="passport_copy",
            uploaded_file=pdf_upload("virus.exe", b"MZ" + bytes(400)),
        )
    assert caught.value.messages[0]
    assert not Attachment.objects.exists()
    assert not Document.objects.exists()


def test_an_attachment_kind_the_schema_does_not_ask_for_is_refused(draft):
    with pytest.raises(ValidationError):
        application_attach_document(application=draft, kind="selfie", uploaded_file=pdf_upload())
    assert not Document.objects.exists()


def test_a_draft_attachment_can_be_removed_with_its_document(draft):
    attachment = application_attach_document(
        application=draft, kind="passport_copy", uploaded_file=pdf_upload()
    )
    application_remove_attachment(application=draft, attachment=attachment)
    assert not Attachment.objects.exists()
    assert not Document.objects.exists()


def test_attachments_of_a_submitted_case_cannot_be_removed(complete_draft, submit):
    case = submit(complete_draft)
    with pytest.raises(ValidationError):
        application_remove_attachment(application=case, attachment=case.attachments.first())
    assert case.attachments.count() == 2


def test_submitting_makes_a_case_with_a_number_and_a_timeline_event(complete_draft, submit):
    case = submit(complete_draft)
    assert case.status == Status.SUBMITTED
    assert re.fullmatch(r"PS-\d{4}-000001", case.case_number)
    assert case.submitted_at is not None and case.declaration_confirmed_at is not None
    event = CaseEvent.objects.get(application=case, kind="submitted")
    assert event.details == {"case_number": case.case_number, "schema_version": 1}


def test_submitting_without_the_declaration_is_refused(complete_draft):
    with pytest.raises(ValidationError):
        application_submit(application=complete_draft, declaration_confirmed=False)
    assert Application.objects.get(pk=complete_draft.pk).status == Status.DRAFT


def test_submitting_an_incomplete_application_is_refused(draft):
    fill_sections(draft)
    with pytest.raises(ValidationError) as caught:
        application_submit(application=draft, declaration_confirmed=True)
    assert caught.value.code == "incomplete"
    assert Application.objects.get(pk=draft.pk).case_number is None


def test_a_second_submit_does_not_submit_twice_and_names_the_case_number(complete_draft, submit):
    case = submit(complete_draft)
    with pytest.raises(AlreadySubmitted) as caught:
        submit(complete_draft)
    assert caught.value.case_number == case.case_number
    assert case.case_number in caught.value.messages[0]
    assert CaseEvent.objects.filter(kind="submitted").count() == 1


def test_the_submitted_record_is_frozen_against_later_schema_and_draft_changes(
    complete_draft, submit, work_type
):
    case = submit(complete_draft)
    schema = work_type.schema
    schema["sections"][0]["fields"][0]["label"]["en"] = "Surname (changed)"
    PermitType.objects.filter(pk=work_type.pk).update(schema=schema, version=2)
    case = Application.objects.get(pk=case.pk)
    assert case.submitted_schema_version == 1
    assert case.schema["sections"][0]["fields"][0]["label"]["en"] == "Family name"
    assert case.submitted_answers["family_name"] == "Nguyen"
    with pytest.raises(ValidationError):
        application_save_section(
            application=case, section_key="personal", data=WORK_SECTIONS["personal"]
        )


def test_case_numbers_are_unique_and_sequential(start_draft, submit, make_user):
    numbers = []
    for _index in range(3):
        application = start_draft(make_user())
        numbers.append(submit(attach_required(fill_sections(application))).case_number)
    assert len(set(numbers)) == 3
    assert [number[-6:] for number in numbers] == ["000001", "000002", "000003"]


def test_a_draft_can_be_deleted_with_its_documents(complete_draft):
    application_delete_draft(application=complete_draft)
    assert not Application.objects.exists()
    assert not Document.objects.exists()


def test_a_submitted_case_cannot_be_deleted(complete_draft, submit):
    case = submit(complete_draft)
    with pytest.raises(ValidationError):
        application_delete_draft(application=case)
    assert Application.objects.filter(pk=case.pk).exists()


def test_a_case_event_refuses_free_text_details(draft):
    event = CaseEvent(application=draft, kind="created", details={"note": "x" * 80})
    with pytest.raises(ValidationError):
        event.full_clean()
