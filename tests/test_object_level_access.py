"""Every URL that takes an object id answers 404 when a signed-in applicant asks for another user's.

The test walks the whole URL configuration, so URLs added by later apps are covered automatically.
Each URL kwarg must be known here: OBJECT_OF_ANOTHER_USER says, per kwarg name, how to make
another user's object and give its id; a kwarg name that means different things on different URLs
is given per URL in PER_URL. A URL with an unknown kwarg fails the test, so nobody forgets it.

A view may answer 403 instead when it refuses the applicant's role for every id alike (the same 403
for an id that does not exist tells nothing about the object), and 405 for a method it does not take.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.applications.conftest import pdf_upload

pytestmark = pytest.mark.django_db


@dataclass
class OtherUsersObjects:
    """Objects that belong to `other`, created when a URL first needs them."""

    other: object

    @cached_property
    def application(self):
        from applications.catalogue import permit_types_load_directory
        from applications.models import PermitType
        from applications.services import application_start

        permit_types_load_directory()
        return application_start(
            applicant=self.other, permit_type=PermitType.objects.get(code="work-employed")
        )

    @cached_property
    def attachment(self):
        from applications.services import application_attach_document

        return application_attach_document(
            application=self.application, kind="passport_copy", uploaded_file=pdf_upload()
        )

    @cached_property
    def document(self):
        from documents.models import ScanStatus

        document = self.attachment.document
        # Clean, so that only ownership (not the scan state) can refuse the download.
        type(document).objects.filter(pk=document.pk).update(scan_status=ScanStatus.CLEAN)
        return document

    @cached_property
    def payment(self):
        # An attempt of the other user's application with the embedded provider (the default).
        import datetime

        from django.utils import timezone

        from payments.selectors import fee_in_force
        from payments.services import fee_create, payment_start

        permit_type = self.application.permit_type
        fee_create(
            permit_type=permit_type, amount_cents=48_000, valid_from=datetime.date(2020, 1, 1)
        )
        return payment_start(
            application_id=self.application.pk,
            payer=self.other,
            fee=fee_in_force(permit_type=permit_type, on_date=timezone.localdate()),
        )

    @cached_property
    def scam_report(self):
        # Reported in another browser session: the report pages belong to the reporting session.
        from trust.services.reports import scam_report_submit

        return scam_report_submit(
            source="web",
            channel="sms",
            content_kind="text",
            content=b"Your permit is cancelled. Pay the fee at http://migri-payments.example",
        )

    @cached_property
    def securemail_conversation(self):
        # Started by the other user while signed in, with a clean attachment.
        from django.core.files.uploadedfile import SimpleUploadedFile

        from casework.models import Unit
        from documents.models import ScanStatus
        from securemail.models import Attachment, Topic
        from securemail.services import Correspondent, conversation_start

        unit = Unit.objects.create(code="securemail-other", name="Other unit")
        topic = Topic.objects.create(
            code="other-topic", name_fi="Muu", name_sv="Annat", name_en="Other", unit=unit
        )
        conversation = conversation_start(
            correspondent=Correspondent(email=self.other.email, user=self.other),
            topic=topic,
            subject="Question",
            body="Body",
            uploads=[SimpleUploadedFile("a.pdf", pdf_upload().read())],
        )
        documents = Attachment.objects.filter(message__conversation=conversation)
        type(documents.first().document).objects.filter(
            pk__in=documents.values("document_id")
        ).update(scan_status=ScanStatus.CLEAN)
        return conversation

    @cached_property
    def securemail_attachment(self):
        from securemail.models import Attachment

        return Attachment.objects.get(message__conversation=self.securemail_conversation)


Factory = Callable[[OtherUsersObjects], object]

OBJECT_OF_ANOTHER_USER: dict[str, Factory] = {
    "application_id": lambda objects: objects.application.pk,
    "attachment_id": lambda objects: objects.attachment.pk,
    "document_id": lambda objects: objects.document.pk,
    # Not an id but a part of the application; a real section key, so only ownership can refuse.
    "section_key": lambda objects: "personal",
}


def _no_owner(objects: OtherUsersObjects) -> uuid.UUID:
    # Staff-only pages about objects no applicant owns: the role check must refuse any id.
    return uuid.uuid4()


PER_URL: dict[str, dict[str, Factory]] = {
    "trust:report_result": {"public_id": lambda objects: objects.scam_report.public_id},
    "trust:report_evidence": {"public_id": lambda objects: objects.scam_report.public_id},
    "trust:campaign": {"public_id": _no_owner},
    "trust:campaign_publish": {"public_id": _no_owner},
    "trust:campaign_unpublish": {"public_id": _no_owner},
    "trust:campaign_json": {"public_id": _no_owner},
    "trust:campaign_stix": {"public_id": _no_owner},
    "trust:team_evidence": {"public_id": _no_owner},
    "trust:channel_active": {"pk": lambda objects: 1},
    "securemail:conversation": {"conversation_id": lambda o: o.securemail_conversation.pk},
    "securemail:sent": {"conversation_id": lambda o: o.securemail_conversation.pk},
    "securemail:attachment": {
        "conversation_id": lambda o: o.securemail_conversation.pk,
        "attachment_id": lambda o: o.securemail_attachment.pk,
    },
    "payments:detail": {"public_id": lambda objects: objects.payment.public_id},
    "payments:resume": {"public_id": lambda objects: objects.payment.public_id},
    "payments:embedded_pay": {"public_id": lambda objects: objects.payment.public_id},
    "payments:fee_edit": {"fee_id": lambda objects: 1},
    # Administrators only: any id is refused by role.
    "securemail:topic_edit": {"topic_id": lambda objects: 1},
    # The back office's secure inbox: an applicant is refused by role, for any id alike.
    **{
        f"casework:securemail_{name}": {"conversation_id": lambda o: o.securemail_conversation.pk}
        for name in ("conversation", "assign", "link_case", "close", "reopen")
    },
    "casework:securemail_attachment": {
        "conversation_id": lambda o: o.securemail_conversation.pk,
        "attachment_id": lambda o: o.securemail_attachment.pk,
    },
    "payments:receipt": {"public_id": lambda objects: objects.payment.public_id},
    "payments:receipt_pdf": {"public_id": lambda objects: objects.payment.public_id},
    "payments:admin_refund": {"public_id": lambda objects: objects.payment.public_id},
}

# URLs whose objects belong to no user, and why they are outside this test.
NOT_USER_OBJECTS: dict[str, str] = {
    "trust:warning": "published scam warnings are public pages for everyone",
    "accounts:dev_mailbox_message": "a file of the development mailbox, not a user's row; "
    "the view answers 404 outside development mode",
    "payments:return": "signed messages of the payment provider: the signature, not a user, "
    "names the payment (tests/payments/providers/)",
    "payments:callback": "signed messages of the payment provider: the signature, not a user, "
    "names the payment (tests/payments/providers/)",
}

MISSING_VALUES = {"int": 2_000_000_000, "uuid": uuid.UUID(int=1), "str": "does-not-exist"}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: dict[str, str]  # kwarg name -> converter kind ("int", "uuid", "str")


def _converter_kind(converter) -> str:
    name = type(converter).__name__
    return {"IntConverter": "int", "UUIDConverter": "uuid"}.get(name, "str")


def _walk(patterns, namespace: str = "", inherited: dict | None = None) -> Iterator[Route]:
    inherited = inherited or {}
    for pattern in patterns:
        converters = {
            key: _converter_kind(value)
            for key, value in getattr(pattern.pattern, "converters", {}).items()
        }
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace or ""
            yield from _walk(
                pattern.url_patterns,
                inner if pattern.namespace else namespace,
                {**inherited, **converters},
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = {**inherited, **converters}
            if kwargs:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield Route(name, kwargs)


def routes_with_object_ids() -> list[Route]:
    unique = {route.name: route for route in _walk(get_resolver().url_patterns)}
    return sorted(unique.values(), key=lambda route: route.name)


def test_the_walk_finds_the_applications_urls():
    names = {route.name for route in routes_with_object_ids()}
    assert {"applications:case", "applications:remove_attachment", "documents:download"} <= names


def test_every_object_url_kwarg_is_known():
    unknown = []
    for route in routes_with_object_ids():
        if route.name in NOT_USER_OBJECTS:
            continue
        for kwarg in route.kwargs:
            if kwarg not in PER_URL.get(route.name, {}) and kwarg not in OBJECT_OF_ANOTHER_USER:
                unknown.append(f"{route.name}: {kwarg}")
    assert not unknown, (
        "Add these URL kwargs to OBJECT_OF_ANOTHER_USER or PER_URL in "
        f"tests/test_object_level_access.py: {unknown}"
    )


def _status(client, method: str, url: str) -> int:
    return getattr(client, method)(url).status_code


@pytest.mark.parametrize(
    "route",
    [route for route in routes_with_object_ids() if route.name not in NOT_USER_OBJECTS],
    ids=lambda route: route.name,
)
def test_another_users_object_answers_404(route, applicant_client, other_applicant):
    objects = OtherUsersObjects(other=other_applicant)
    factories = {**OBJECT_OF_ANOTHER_USER, **PER_URL.get(route.name, {})}
    if any(kwarg not in factories for kwarg in route.kwargs):
        pytest.fail(f"{route.name} has a kwarg unknown to this test: {sorted(route.kwargs)}")
    url = reverse(route.name, kwargs={k: factories[k](objects) for k in route.kwargs})
    missing_url = reverse(
        route.name, kwargs={k: MISSING_VALUES[kind] for k, kind in route.kwargs.items()}
    )
    answered_404 = False
    for method in ("get", "post"):
        status = _status(applicant_client, method, url)
        if status == 404:
            answered_404 = True
            continue
        refused_for_every_id = status in (403, 405) and status == _status(
            applicant_client, method, missing_url
        )
        assert refused_for_every_id, f"{method.upper()} {url} answered {status}, not 404"
    if not answered_404:
        # Refused by role or method for every id: fine, as long as it never leaks existence.
        assert _status(applicant_client, "get", url) in (403, 405)
