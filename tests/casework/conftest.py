"""Fixtures for casework: submitted cases, a unit with its caseworkers, signed-in clients."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.applications.conftest import attach_required, fill_sections, pdf_upload  # noqa: F401
from tests.conftest import sign_in_with_second_factor


@pytest.fixture(autouse=True)
def _english(settings):
    # Django ships Finnish texts for its own messages; these tests read the English ones.
    settings.LANGUAGE_CODE = "en"
    settings.SMS_BACKEND = "memory"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    from notifications.sms.console import MemorySMSBackend

    MemorySMSBackend.outbox.clear()
    yield
    MemorySMSBackend.outbox.clear()


@pytest.fixture
def permit_types(db):
    from applications.catalogue import permit_types_load_directory
    from applications.models import PermitType

    permit_types_load_directory()
    return {permit_type.code: permit_type for permit_type in PermitType.objects.all()}


@pytest.fixture
def work_type(permit_types):
    return permit_types["work-employed"]


@pytest.fixture
def unit(work_type):
    from casework.models import Unit

    unit = Unit.objects.create(code="work", name="Work permits")
    unit.permit_types.add(work_type)
    return unit


@pytest.fixture
def caseworker(make_user, unit):
    """A caseworker of the work-permit unit."""
    from casework.models import CaseworkerScope

    user = make_user(role="caseworker")
    CaseworkerScope.objects.create(caseworker=user, unit=unit)
    return user


@pytest.fixture
def colleague(make_user, unit):
    from casework.models import CaseworkerScope

    user = make_user(role="caseworker")
    CaseworkerScope.objects.create(caseworker=user, unit=unit)
    return user


@pytest.fixture
def outsider(make_user, permit_types):
    """A caseworker who handles only study permits."""
    from casework.models import CaseworkerScope

    user = make_user(role="caseworker")
    CaseworkerScope.objects.create(caseworker=user, permit_type=permit_types["studies"])
    return user


@pytest.fixture
def submit_case(work_type, django_capture_on_commit_callbacks):
    """submit_case(applicant, language="en") -> a submitted work-permit application whose
    attachments have been scanned (the on-commit callbacks run, as after a real commit)."""
    from applications.services import application_start, application_submit

    def _submit(applicant, language: str = "en"):
        with django_capture_on_commit_callbacks(execute=True):
            draft = application_start(applicant=applicant, permit_type=work_type)
            attach_required(fill_sections(draft))
            return application_submit(
                application=draft, declaration_confirmed=True, actor=applicant, language=language
            )

    return _submit


@pytest.fixture
def submitted(submit_case, applicant):
    return submit_case(applicant)


@pytest.fixture
def in_processing(submitted, caseworker):
    from casework.services import case_take

    return case_take(application=submitted, actor=caseworker)


def tomorrow_plus(days: int = 14) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def waiting(in_processing, caseworker):
    from casework.services import supplement_request_create

    supplement_request_create(
        application=in_processing,
        actor=caseworker,
        message="Please send the signed employment contract.",
        requested_kinds=["employment_contract"],
        deadline=tomorrow_plus(),
    )
    in_processing.refresh_from_db()
    return in_processing


@pytest.fixture
def caseworker_client(client, caseworker):
    return sign_in_with_second_factor(client, caseworker)


@pytest.fixture
def applicant_browser(applicant):
    from django.test import Client

    return sign_in_with_second_factor(Client(), applicant)


# Securemail in the back office: topics of the work-permit unit and of another unit.


@pytest.fixture
def work_topic(unit):
    from securemail.models import Topic

    return Topic.objects.create(
        code="work-permits",
        name_fi="Työluvat",
        name_sv="Arbetstillstånd",
        name_en="Work permits",
        unit=unit,
    )


@pytest.fixture
def other_unit_topic(db):
    from casework.models import Unit
    from securemail.models import Topic

    other_unit = Unit.objects.create(code="citizenship", name="Citizenship")
    return Topic.objects.create(
        code="citizenship",
        name_fi="Kansalaisuus",
        name_sv="Medborgarskap",
        name_en="Citizenship",
        unit=other_unit,
        ordering=1,
    )


@pytest.fixture
def start_secure_conversation(work_topic, django_capture_on_commit_callbacks):
    """Start a conversation from the public's side through Securemail's service, running the
    on-commit work (virus scan, receipt email) as after a real commit."""
    from securemail.services import Correspondent, conversation_start

    def _start(email="sender@example.org", body="A question", uploads=(), topic=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return conversation_start(
                correspondent=Correspondent(email=email, user=extra.pop("user", None)),
                topic=topic or work_topic,
                subject=extra.pop("subject", "My question"),
                body=body,
                uploads=list(uploads),
                language=extra.pop("language", "en"),
                **extra,
            )

    return _start
