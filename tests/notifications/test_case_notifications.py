"""Case notifications carry no personal data, no case details and no link: only that there is new
information, the address to type in, the verification code and the authority's name."""

from __future__ import annotations

import re

import pytest

from core.authority import authority
from notifications.case_notifications import KINDS, case_notify
from notifications.sms.console import MemorySMSBackend
from tests.applications.conftest import WORK_SECTIONS, attach_required, fill_sections

pytestmark = pytest.mark.django_db

CODE_PATTERN = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")
LINK_MARKERS = ("http", "href", "<a ", "<a>", "www.", "://", "[link", "url(")


@pytest.fixture
def demo_case(make_user, settings):
    """A submitted case of a demo applicant, with a phone number so SMS goes out too."""
    from applications.catalogue import permit_types_load_directory
    from applications.models import PermitType
    from applications.services import application_start, application_submit

    settings.SMS_BACKEND = "memory"
    MemorySMSBackend.outbox.clear()
    permit_types_load_directory()
    applicant = make_user(role="applicant", email="lan.nguyen@example.org")
    draft = application_start(
        applicant=applicant, permit_type=PermitType.objects.get(code="work-employed")
    )
    attach_required(fill_sections(draft))
    return application_submit(
        application=draft, declaration_confirmed=True, actor=applicant, language="en"
    )


def _forbidden_values(application) -> list[str]:
    personal = WORK_SECTIONS["personal"]
    contact = WORK_SECTIONS["contact"]
    employment = WORK_SECTIONS["employment"]
    return [
        personal["family_name"],
        personal["given_names"],
        personal["date_of_birth"],
        "17.4.1991",
        "1991",
        personal["passport_number"],
        contact["address"],
        "Tran Hung Dao",
        contact["phone"],
        "40 1234567",
        contact["email"],
        "lan.nguyen",
        employment["employer_name"],
        application.case_number,
        application.permit_type.name_en,
        application.permit_type.name_fi,
        application.permit_type.name_sv,
        "decision",
        "päätös",
        "beslut",
        "supplementary",
        "positive",
        "negative",
    ]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_notification_carries_personal_data_case_details_or_a_link(
    kind, language, demo_case, smtp_server, django_capture_on_commit_callbacks
):
    from applications.models import Application

    Application.objects.filter(pk=demo_case.pk).update(submitted_language=language)
    demo_case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        case_notify(application=demo_case, kind=kind)

    [mail] = smtp_server.outbox
    [sms] = MemorySMSBackend.outbox
    parts = {
        "subject": str(mail.message["Subject"]),
        "text": mail.text,
        "html": mail.html,
        "sms": sms.text,
    }
    for part_name, content in parts.items():
        lowered = content.lower()
        for value in _forbidden_values(demo_case):
            assert value.lower() not in lowered, f"{kind}/{language} {part_name} holds {value!r}"
        for marker in LINK_MARKERS:
            assert marker not in lowered, f"{kind}/{language} {part_name} has a link ({marker})"
    # What it must hold: the address to type in, a verification code, the authority's name.
    for part_name in ("text", "html", "sms"):
        assert authority().eservice_address in parts[part_name]
        assert CODE_PATTERN.search(parts[part_name]), part_name
        assert authority().name(language) in parts[part_name]
    assert mail.message["Content-Language"] == language
    assert mail.message.get_body(preferencelist=("plain",)) is not None
    assert mail.message.get_body(preferencelist=("html",)) is not None


def test_each_channel_gets_its_own_verification_code_that_the_trust_center_confirms(
    demo_case, smtp_server, django_capture_on_commit_callbacks
):
    from notifications.verification import verification_code_check

    with django_capture_on_commit_callbacks(execute=True):
        case_notify(application=demo_case, kind="decision_made")
    email_code = CODE_PATTERN.search(smtp_server.outbox[0].text).group(0)
    sms_code = CODE_PATTERN.search(MemorySMSBackend.outbox[0].text).group(0)

    assert email_code != sms_code
    assert verification_code_check(code=email_code, recipient="lan.nguyen@example.org")
    assert verification_code_check(code=sms_code, recipient="+358401234567")
    assert not verification_code_check(code=email_code, recipient="someone@example.org")


def test_an_sms_that_fails_is_retried_until_it_goes_through(
    settings, django_capture_on_commit_callbacks
):
    from notifications.models import OutboundSMS, OutboundSMSStatus
    from notifications.sms import SMSSendFailed, sms_backends, sms_send
    from notifications.sms.base import SMSBackend

    attempts = []

    class FlakyGateway(SMSBackend):
        """A stand-in for a gateway (none can run here): fails twice, then accepts."""

        def send(self, message):
            attempts.append(message)
            if len(attempts) < 3:
                raise SMSSendFailed("gateway busy")

    sms_backends.register("flaky-test", FlakyGateway)
    settings.SMS_BACKEND = "flaky-test"
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to="+358401234567", text="Hello", kind="test")
    assert len(attempts) == 3
    assert attempts[-1].sender == authority().sms_sender_names[0]
    outbound = OutboundSMS.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundSMSStatus.SENT, 3)


def test_the_console_backend_writes_the_message_out():
    import io

    from notifications.sms import SMSMessage
    from notifications.sms.console import ConsoleSMSBackend

    stream = io.StringIO()
    ConsoleSMSBackend(stream).send(SMSMessage(to="+358401234567", sender="Migri", text="Hello"))
    assert "Hello" in stream.getvalue() and "Migri" in stream.getvalue()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("040 123 4567", "+358401234567"),
        ("+358 40 1234567", "+358401234567"),
        ("00358401234567", "+358401234567"),
        ("not a number", ""),
        (None, ""),
    ],
)
def test_the_applicants_number_is_read_in_e164_form(given, expected):
    from types import SimpleNamespace

    from notifications.case_notifications import _phone_number

    application = SimpleNamespace(
        submitted_answers_sealed=b"sealed", submitted_answers={"phone": given}
    )
    assert _phone_number(application) == expected


def test_the_sms_code_is_confirmed_for_the_number_in_national_form(
    demo_case, smtp_server, django_capture_on_commit_callbacks
):
    from notifications.verification import verification_code_check

    with django_capture_on_commit_callbacks(execute=True):
        case_notify(application=demo_case, kind="decision_made")
    [sms] = MemorySMSBackend.outbox
    assert sms.to == "+358401234567"  # the applicant wrote "+358 40 1234567"
    sms_code = CODE_PATTERN.search(sms.text).group(0)
    for typed in ("040 123 4567", "0401234567", "+358 40 123 4567"):
        assert verification_code_check(code=sms_code, recipient=typed)
