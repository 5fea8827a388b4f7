"""The back office's and the applicant's casework services: what they write, what they refuse."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.models import AddedDuring, Attachment, CaseEvent, CaseEventKind, Status
from casework import applicant_services, services
from casework.applicant_services import AlreadyAnswered, UploadedAttachment
from casework.models import (
    AdditionalInformation,
    CaseFile,
    Decision,
    InternalNote,
    SupplementRequest,
)
from casework.state_machine import TransitionRefused
from documents.models import Document
from documents.services import DocumentRejected, document_open_stream
from notifications.models import OutboundEmail
from tests.casework.conftest import pdf_upload, tomorrow_plus

pytestmark = pytest.mark.django_db


def test_taking_a_submitted_case_assigns_it_and_starts_processing(submitted, caseworker):
    application = services.case_take(application=submitted, actor=caseworker)

    assert application.status == Status.IN_PROCESSING
    assert CaseFile.objects.get(application=application).assignee == caseworker
    assert application.events.filter(kind=CaseEventKind.PROCESSING_STARTED).exists()


def test_a_caseworker_cannot_take_a_case_outside_their_scope(submitted, outsider):
    with pytest.raises(ValidationError):
        services.case_take(application=submitted, actor=outsider)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_case_is_assigned_only_to_a_colleague_who_may_see_it(
    in_processing, caseworker, colleague, outsider
):
    services.case_assign(application=in_processing, assignee=colleague, actor=caseworker)
    assert CaseFile.objects.get(application=in_processing).assignee == colleague

    with pytest.raises(ValidationError):
        services.case_assign(application=in_processing, assignee=outsider, actor=colleague)
    assert CaseFile.objects.get(application=in_processing).assignee == colleague


def test_a_caseworker_acting_on_a_case_not_assigned_to_them_is_refused(in_processing, colleague):
    with pytest.raises(services.NotAssigned):
        services.supplement_request_create(
            application=in_processing,
            actor=colleague,
            message="Missing",
            requested_kinds=[],
            deadline=tomorrow_plus(),
        )
    with pytest.raises(services.NotAssigned):
        services.case_decide(
            application=in_processing,
            actor=colleague,
            outcome="positive",
            reasoning="Fine.",
            decision_maker_name="Aino Virtanen",
            valid_until=date(2099, 12, 31),
        )
    in_processing.refresh_from_db()
    assert in_processing.status == Status.IN_PROCESSING
    assert not SupplementRequest.objects.exists() and not Decision.objects.exists()


def test_internal_notes_are_sealed_at_rest(in_processing, caseworker):
    note = services.internal_note_add(
        application=in_processing, author=caseworker, text="Employer checked by phone."
    )
    stored = InternalNote.objects.get(pk=note.pk)
    assert b"Employer" not in bytes(stored.text_sealed)
    assert stored.text == "Employer checked by phone."


def test_a_request_pauses_the_case_and_notifies_the_applicant(
    in_processing, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.supplement_request_create(
            application=in_processing,
            actor=caseworker,
            message="Please send the signed contract.",
            requested_kinds=["employment_contract"],
            deadline=tomorrow_plus(),
        )
    in_processing.refresh_from_db()
    assert in_processing.status == Status.WAITING_FOR_SUPPLEMENT
    assert request.message == "Please send the signed contract."
    assert b"signed contract" not in bytes(SupplementRequest.objects.get().message_sealed)
    assert CaseFile.objects.get(application=in_processing).is_paused
    assert OutboundEmail.objects.filter(kind="case.supplement_requested").count() == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"deadline": timezone.localdate()}, "deadline"),
        ({"message": "   "}, "required"),
        ({"requested_kinds": ["not_a_kind"]}, "kind"),
    ],
)
def test_a_request_with_bad_input_is_refused_and_nothing_is_saved(
    changes, code, in_processing, caseworker
):
    arguments = {
        "application": in_processing,
        "actor": caseworker,
        "message": "Missing the contract.",
        "requested_kinds": ["employment_contract"],
        "deadline": tomorrow_plus(),
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.supplement_request_create(**arguments)
    assert refused.value.code == code
    in_processing.refresh_from_db()
    assert in_processing.status == Status.IN_PROCESSING
    assert not SupplementRequest.objects.exists()


def test_the_answer_returns_the_case_to_the_caseworker_marked_as_answered(waiting, applicant):
    request = applicant_services.supplement_answer(
        application=waiting,
        applicant=applicant,
        text="Here is the signed contract.",
        uploads=[UploadedAttachment("employment_contract", pdf_upload("signed.pdf"))],
    )
    waiting.refresh_from_db()
    case_file = CaseFile.objects.get(application=waiting)
    assert waiting.status == Status.IN_PROCESSING
    assert case_file.supplement_answered and case_file.is_in_processing_again
    assert not case_file.is_paused
    assert request.answer == "Here is the signed contract." and not request.answered_late
    added = Attachment.objects.get(application=waiting, added_during=AddedDuring.SUPPLEMENT)
    assert added.kind == "employment_contract"
    assert waiting.events.filter(kind=CaseEventKind.SUPPLEMENT_RECEIVED).exists()


def test_an_answer_after_the_deadline_is_accepted_and_marked_late(waiting, applicant):
    SupplementRequest.objects.update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    request = applicant_services.supplement_answer(
        application=waiting, applicant=applicant, text="Sorry, late."
    )
    assert request.answered_late
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_PROCESSING


def test_a_second_answer_to_the_same_request_is_refused(waiting, applicant):
    applicant_services.supplement_answer(application=waiting, applicant=applicant, text="First.")
    with pytest.raises(AlreadyAnswered):
        applicant_services.supplement_answer(
            application=waiting, applicant=applicant, text="Again."
        )
    assert SupplementRequest.objects.get().answer == "First."


def test_an_answer_with_a_refused_file_saves_nothing(waiting, applicant):
    bad = SimpleUploadedFile(
        "notes.exe", b"MZ\x90\x00 not a document", content_type="application/pdf"
    )
    documents_before = Document.objects.count()
    with pytest.raises(DocumentRejected):
        applicant_services.supplement_answer(
            application=waiting,
            applicant=applicant,
            text="Two files.",
            uploads=[
                UploadedAttachment("employment_contract", pdf_upload("good.pdf")),
                UploadedAttachment("other", bad),
            ],
        )
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING_FOR_SUPPLEMENT
    assert Document.objects.count() == documents_before
    assert SupplementRequest.objects.get().answered_at is None


def test_an_empty_answer_is_refused(waiting, applicant):
    with pytest.raises(ValidationError) as refused:
        applicant_services.supplement_answer(application=waiting, applicant=applicant, text=" ")
    assert refused.value.code == "empty_answer"


def test_an_answer_without_an_open_request_is_refused(in_processing, applicant):
    with pytest.raises(TransitionRefused):
        applicant_services.supplement_answer(
            application=in_processing, applicant=applicant, text="Unasked."
        )


def test_additional_information_is_recorded_and_shown_as_new(in_processing, applicant):
    applicant_services.additional_information_add(
        application=in_processing,
        applicant=applicant,
        text="My employer changed its address.",
        uploads=[UploadedAttachment("other", pdf_upload("letter.pdf"))],
    )
    assert AdditionalInformation.objects.get().text == "My employer changed its address."
    assert CaseFile.objects.get(application=in_processing).new_information
    assert in_processing.events.filter(kind=CaseEventKind.ADDITIONAL_INFORMATION_RECEIVED).exists()
    assert Attachment.objects.filter(added_during=AddedDuring.ADDITIONAL).count() == 1


def test_additional_information_on_a_submitted_case_needs_no_caseworker(submitted, applicant):
    applicant_services.additional_information_add(
        application=submitted, applicant=applicant, text="One more thing."
    )
    assert CaseFile.objects.get(application=submitted).new_information


def test_the_applicant_withdraws_before_the_decision_and_the_request_closes(waiting, applicant):
    applicant_services.application_withdraw(application=waiting, applicant=applicant)
    waiting.refresh_from_db()
    assert waiting.status == Status.WITHDRAWN
    assert SupplementRequest.objects.get().closed_at is not None
    with pytest.raises(ValidationError):
        applicant_services.additional_information_add(
            application=waiting, applicant=applicant, text="Too late."
        )


def test_another_user_cannot_answer_or_withdraw(waiting, other_applicant):
    with pytest.raises(ValidationError):
        applicant_services.application_withdraw(application=waiting, applicant=other_applicant)
    with pytest.raises(ValidationError):
        applicant_services.supplement_answer(
            application=waiting, applicant=other_applicant, text="Not mine."
        )
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING_FOR_SUPPLEMENT


def test_the_caseworker_may_resume_without_an_answer(waiting, caseworker):
    services.case_resume_processing(application=waiting, actor=caseworker)
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_PROCESSING
    assert SupplementRequest.objects.get().closed_at is not None


def test_the_decision_is_a_pdf_in_the_applicants_language_stored_encrypted(
    submit_case, applicant, caseworker, django_capture_on_commit_callbacks
):
    application = submit_case(applicant, language="sv")
    services.case_take(application=application, actor=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.case_decide(
            application=application,
            actor=caseworker,
            outcome="positive",
            reasoning="The conditions are met.",
            decision_maker_name="Aino Virtanen",
            valid_until=date(2099, 12, 31),
        )
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert decision.language == "sv"
    document = Document.objects.get(pk=decision.document_id)
    assert document.owner == applicant and document.content_type == "application/pdf"
    pdf = b"".join(document_open_stream(document=document))
    assert pdf.startswith(b"%PDF-")
    assert decision.reasoning == "The conditions are met."
    assert OutboundEmail.objects.filter(kind="case.decision_made").count() == 1
    assert application.events.filter(kind=CaseEventKind.DECIDED).exists()


def test_deciding_twice_is_refused(in_processing, caseworker):
    services.case_decide(
        application=in_processing,
        actor=caseworker,
        outcome="negative",
        reasoning="Not met.",
        decision_maker_name="Aino Virtanen",
    )
    with pytest.raises(TransitionRefused):
        services.case_decide(
            application=in_processing,
            actor=caseworker,
            outcome="positive",
            reasoning="Again.",
            decision_maker_name="Aino Virtanen",
            valid_until=date(2099, 12, 31),
        )
    assert Decision.objects.count() == 1


def test_a_decided_case_is_closed_by_its_assignee(in_processing, caseworker):
    services.case_decide(
        application=in_processing,
        actor=caseworker,
        outcome="positive",
        reasoning="Met.",
        decision_maker_name="Aino Virtanen",
        valid_until=date(2099, 12, 31),
    )
    services.case_close(application=in_processing, actor=caseworker)
    in_processing.refresh_from_db()
    assert in_processing.status == Status.CLOSED
    assert CaseEvent.objects.filter(application=in_processing, kind="closed").exists()
