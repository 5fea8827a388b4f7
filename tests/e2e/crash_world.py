"""Builds the crash tests' world in their own database, in a process of its own:
`python -m tests.e2e.crash_world` migrates, loads the demo data and prints, as JSON, what the test
needs (a draft to attach a file to, a case to decide, signed-in sessions of the two people)."""

from __future__ import annotations

import json
import os


def _signed_in_session(user) -> str:
    """A session past both factors, as the sign-in pages leave it (sign-in is not under test)."""
    from django.test import Client

    from accounts.authenticators import AuthenticatorDevice

    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = AuthenticatorDevice.objects.get(user=user).persistent_id
    session.save()
    return session.session_key


def build() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from applications.demo import load_demo_data
    from applications.models import Application, Status
    from applications.schema import attachment_kinds
    from casework.demo import DEMO_CASEWORKER, load_casework_demo

    load_demo_data()
    load_casework_demo()
    applicant = User.objects.get(email="applicant@demo.invalid")
    draft = Application.objects.filter(applicant=applicant, status=Status.DRAFT).first()
    kind = attachment_kinds(draft.schema, draft.answers)[0]["code"]
    case = Application.objects.get(
        applicant=applicant, permit_type__code="studies", status=Status.IN_PROCESSING
    )
    from django.conf import settings

    return {
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "draft_id": draft.pk,
        "upload_kind": kind,
        "case_id": case.pk,
        "applicant_session": _signed_in_session(applicant),
        "caseworker_session": _signed_in_session(User.objects.get(email=DEMO_CASEWORKER)),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.e2e.crash_settings")
    import django

    django.setup()
    print("CRASH-WORLD " + json.dumps(build()))
