"""Account changes are audited by the services, so that a command or a task that calls them is
audited like the page: each service is called here directly, with no request."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.codes import code_issue
from accounts.models import CodePurpose, User
from accounts.services import (
    email_verify,
    password_change,
    password_reset_confirm,
    recovery_codes_generate,
    sessions_sign_out_everywhere,
    user_register,
)
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a new and long enough passphrase"


def _events(user, action: str):
    return AuditEvent.objects.filter(
        action=action, object_type="accounts.user", object_id=str(user.pk)
    )


def test_registration_and_email_verification_are_audited_as_the_new_user():
    user = user_register(
        email="new.person@example.org", password=NEW_PASSWORD, preferred_language="en"
    )
    assert _events(user, "account.registered").get().actor_id == user.pk
    code = code_issue(user=user, purpose=CodePurpose.EMAIL_VERIFICATION)
    assert email_verify(user=user, code=code)
    assert _events(user, "account.email_verified").get().actor_id == user.pk


def test_registering_an_existing_address_records_no_registration(applicant):
    assert (
        user_register(email=applicant.email, password=NEW_PASSWORD, preferred_language="en") is None
    )
    assert not AuditEvent.objects.filter(action="account.registered").exists()


def test_a_wrong_email_code_changes_nothing_and_records_nothing():
    user = user_register(email="late@example.org", password=NEW_PASSWORD, preferred_language="en")
    assert not email_verify(user=user, code="000000x")
    assert not _events(user, "account.email_verified").exists()


@pytest.mark.parametrize(
    ("change", "action"),
    [
        (
            lambda user: password_change(user=user, new_password=NEW_PASSWORD),
            "account.password_changed",
        ),
        (
            lambda user: password_reset_confirm(user=user, new_password=NEW_PASSWORD),
            "account.password_reset",
        ),
        (lambda user: sessions_sign_out_everywhere(user=user), "account.signed_out_everywhere"),
        (lambda user: recovery_codes_generate(user=user), "account.recovery_codes_regenerated"),
    ],
)
def test_each_change_of_an_account_is_audited_without_a_request(applicant, change, action):
    change(applicant)
    event = _events(applicant, action).get()
    assert (event.actor_id, event.ip_address, event.request_id) == (applicant.pk, None, "")


def test_the_staff_user_command_is_audited(tmp_path):
    secret = tmp_path / "password"
    secret.write_text(NEW_PASSWORD + "\n", encoding="utf-8")
    call_command(
        "create_staff_user",
        email="officer@example.org",
        role="caseworker",
        password_file=str(secret),
        stdout=io.StringIO(),
    )
    user = User.objects.get(email="officer@example.org")
    event = _events(user, "account.staff_created").get()
    assert event.details == {"role": "caseworker"}
    # An operator's command: nobody signed in is the actor.
    assert event.actor_id is None
