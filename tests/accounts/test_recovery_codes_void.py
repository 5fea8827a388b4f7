"""After a leak of the recovery codes' key, an operator voids every unused code and each owner is
told, without content, to make new ones (`manage.py recovery_codes_void`)."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticToken

from accounts.authenticators import AuthenticatorDevice
from accounts.services import recovery_codes_generate, second_factor_verify
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _void(*arguments) -> str:
    out = StringIO()
    call_command("recovery_codes_void", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def holders(make_user):
    """Two users with recovery codes (one reading Finnish), one without, one closed account."""
    finnish = make_user(preferred_language="fi")
    english = make_user(preferred_language="en")
    without_codes = make_user()
    closed = make_user(is_active=False)
    codes = {user.pk: recovery_codes_generate(user=user) for user in (finnish, english, closed)}
    AuthenticatorDevice.objects.create(user=english, name="Phone", confirmed=True)
    mail.outbox.clear()
    return finnish, english, without_codes, closed, codes


def test_without_yes_it_only_counts(holders):
    assert "2 users hold unused recovery codes" in _void()
    assert StaticToken.objects.count() == 30
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="account.recovery_codes_voided").exists()


def test_it_voids_every_active_users_codes_tells_each_once_and_audits(
    holders, django_capture_on_commit_callbacks
):
    finnish, english, without_codes, closed, codes = holders

    with django_capture_on_commit_callbacks(execute=True):
        assert "Voided the recovery codes of 2 users" in _void("--yes")

    for user in (finnish, english):
        assert not StaticToken.objects.filter(device__user=user).exists()
        assert second_factor_verify(user=user, token=codes[user.pk][0]).device is None
    # A closed account cannot sign in or read mail from us; its codes are left as they are.
    assert StaticToken.objects.filter(device__user=closed).count() == 10
    # The authenticator app is not a recovery code: it still signs in.
    assert AuthenticatorDevice.objects.filter(user=english, confirmed=True).exists()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [finnish.email, english.email]
    )
    [finnish_mail] = [message for message in mail.outbox if message.to == [finnish.email]]
    assert "varakoodit eivät enää toimi" in finnish_mail.body
    [english_mail] = [message for message in mail.outbox if message.to == [english.email]]
    assert "recovery codes of your account no longer work" in english_mail.body
    # No code, old or new, travels by email.
    for code in codes[english.pk]:
        assert code not in english_mail.body

    events = AuditEvent.objects.filter(action="account.recovery_codes_voided")
    assert sorted(event.object_id for event in events) == sorted([str(finnish.pk), str(english.pk)])
    assert all(event.actor_id is None for event in events)


def test_a_second_run_finds_nothing_and_new_codes_work(holders, django_capture_on_commit_callbacks):
    finnish, *_rest = holders
    _void("--yes")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert "Voided the recovery codes of 0 users" in _void("--yes")
    assert mail.outbox == []

    new_codes = recovery_codes_generate(user=finnish)
    assert second_factor_verify(user=finnish, token=new_codes[0]).device is not None
