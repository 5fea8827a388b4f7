"""The caseworker's pages read through statements compiled once per process
(core.prepared_queries): the case, its lists, the queue as it opens, the case's secure mail and
the colleagues. Each gives what the ORM's queryset it replaced gives, in the caseworker's reach
as read at each request."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from casework.forms import AssignForm
from casework.models import CaseFile, CaseworkerScope, SupplementRequest
from casework.securemail_selectors import CASE_MAIL_OF_CASEWORKER
from casework.selectors import (
    case_for_caseworker,
    case_queue,
    cases_for_caseworker,
    caseworker_reach,
    colleagues_for_case,
    colleagues_listed_read,
    queue_as_opened,
)
from core.prepared_queries import all_together
from securemail.selectors_backoffice import conversations_linked_to_case, messages_linked_to_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(submit_case, applicant, permit_types, unit, caseworker):
    """A work-permit case (the unit's permit type), a study case handled by the unit, a study
    case no one of the unit handles, and a decided-like closed status left out of the queue."""
    work = submit_case(applicant)
    handled = submit_case(applicant)
    Application.objects.filter(pk=handled.pk).update(permit_type=permit_types["studies"])
    CaseFile.objects.update_or_create(application=handled, defaults={"unit": unit})
    elsewhere = submit_case(applicant)
    Application.objects.filter(pk=elsewhere.pk).update(permit_type=permit_types["studies"])
    closed = submit_case(applicant)
    Application.objects.filter(pk=closed.pk).update(status="closed")
    return [work, handled, elsewhere, closed]


def _queue(user) -> list[tuple]:
    return [(case.pk, case.open_request_deadline) for case in case_queue(user=user)]


def test_the_case_and_the_queue_are_read_in_the_reach_the_orm_reads(
    cases, caseworker, outsider, make_user, unit, permit_types
):
    both = make_user(role="caseworker")
    CaseworkerScope.objects.create(caseworker=both, permit_type=permit_types["studies"])
    CaseworkerScope.objects.create(caseworker=both, unit=unit)
    for user in (caseworker, outsider, both):
        reachable = set(cases_for_caseworker(user).values_list("pk", flat=True))
        for case in cases:
            if case.pk in reachable:
                assert case_for_caseworker(user=user, application_id=case.pk).pk == case.pk
            else:
                with pytest.raises(Http404):
                    case_for_caseworker(user=user, application_id=case.pk)
        opened = [(case.pk, case.open_request_deadline) for case in queue_as_opened(user=user)]
        assert opened == _queue(user)
    assert len(queue_as_opened(user=caseworker)) == 2
    assert len(queue_as_opened(user=outsider)) == 2  # both study cases
    assert len(queue_as_opened(user=both)) == 3


def test_a_scope_left_behind_by_a_former_caseworker_reaches_nothing(cases, caseworker):
    caseworker.role = "applicant"
    caseworker.save(update_fields=["role"])

    assert caseworker_reach(caseworker).unit_ids == frozenset()
    with pytest.raises(Http404):
        case_for_caseworker(user=caseworker, application_id=cases[0].pk)
    assert queue_as_opened(user=caseworker) == []


def test_only_an_open_request_past_its_deadline_marks_the_row(caseworker_client, waiting):
    queue = reverse("casework:queue")
    today = timezone.localdate()
    request = SupplementRequest.objects.get(application=waiting)

    SupplementRequest.objects.filter(pk=request.pk).update(deadline=today)
    assert "Request overdue" not in caseworker_client.get(queue).text

    # A closed request past its deadline does not count; the open one does.
    SupplementRequest.objects.filter(pk=request.pk).update(
        deadline=today - datetime.timedelta(days=1), closed_at=timezone.now()
    )
    request.pk = None
    request.closed_at = None
    request.deadline = today + datetime.timedelta(days=7)
    request.save()
    assert "Request overdue" not in caseworker_client.get(queue).text

    SupplementRequest.objects.filter(pk=request.pk).update(
        deadline=today - datetime.timedelta(days=2)
    )
    assert "Request overdue" in caseworker_client.get(queue).text


def test_the_listed_assign_form_renders_as_the_form_with_the_queryset(
    in_processing, caseworker, colleague, make_user, unit
):
    colleague.full_name = "Bertta Kollega"
    colleague.save(update_fields=["full_name"])
    inactive = make_user(role="caseworker", is_active=False)
    CaseworkerScope.objects.create(caseworker=inactive, unit=unit)
    initial = {"assignee": caseworker.pk}

    listed = AssignForm.listed(
        initial=initial,
        colleagues=all_together(colleagues_listed_read(application=in_processing))[0],
    )
    queried = AssignForm(initial=initial, colleagues=colleagues_for_case(application=in_processing))

    assert str(listed["assignee"]) == str(queried["assignee"])
    assert "Bertta Kollega" in str(listed["assignee"]) and inactive.email not in str(listed)


def test_the_case_mail_is_the_caseworkers_units_as_the_orm_reads_it(
    in_processing, caseworker, start_secure_conversation, other_unit_topic
):
    ours = start_secure_conversation(case_id=in_processing.pk)
    start_secure_conversation(case_id=in_processing.pk, topic=other_unit_topic)
    unit_ids = sorted(caseworker_reach(caseworker).unit_ids)
    mail = {"case_id": in_processing.pk, "reader_id": caseworker.pk}

    messages = CASE_MAIL_OF_CASEWORKER.messages(**mail)
    conversations = CASE_MAIL_OF_CASEWORKER.conversations(**mail)

    expected = list(messages_linked_to_case(case_id=in_processing.pk, unit_ids=unit_ids))
    assert [(m.pk, m.conversation.topic.name_en) for m in messages] == [
        (m.pk, m.conversation.topic.name_en) for m in expected
    ]
    assert len(messages) == 1
    assert [(c.pk, c.unread_count, c.case_number, c.topic.code) for c in conversations] == [
        (ours.pk, 1, in_processing.case_number, "work-permits")
    ]
    assert [
        c.pk
        for c in conversations_linked_to_case(**{"case_id": in_processing.pk, "unit_ids": unit_ids})
    ] == [ours.pk]
