"""The signed-in user and the second factor that verified them, read together in one query
(accounts.middleware.SignedInUserMiddleware), with every check Django's and django-otp's
middlewares make, and nothing kept between requests."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.authenticators import AuthenticatorDevice
from accounts.models import User
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PAGE = "/applications/"


def _get(client, path: str = PAGE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [query["sql"] for query in queries.captured_queries]


def _touching(statements: list[str], table: str) -> list[str]:
    return [sql for sql in statements if f'"{table}"' in sql]


def _device_of(user) -> AuthenticatorDevice:
    return AuthenticatorDevice.objects.get(user=user)


def _session_names_device(client, device) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _asked_for_the_second_factor(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")


def test_the_user_and_the_authenticator_are_read_with_the_session_in_one_query(applicant_client):
    applicant_client.get(PAGE)  # the first request records the session's activity

    response, statements = _get(applicant_client)

    assert response.status_code == 200
    (session_read,) = _touching(statements, "accounts_session")
    user_reads = [sql for sql in _touching(statements, "accounts_user") if sql.startswith("SELECT")]
    assert user_reads == [session_read]
    assert _touching(statements, "accounts_authenticatordevice") == [session_read]
    user = response.wsgi_request.user
    assert user.is_verified() and user.otp_device == _device_of(user)
    assert user.otp_device.user is user._wrapped


def test_a_session_signed_in_with_a_recovery_code_reads_its_device_with_its_user_in_one_query(
    applicant_client, applicant
):
    recovery = StaticDevice.objects.create(user=applicant, name="Recovery codes", confirmed=True)
    _session_names_device(applicant_client, recovery)
    applicant_client.get(PAGE)

    response, statements = _get(applicant_client)

    assert response.status_code == 200
    assert response.wsgi_request.user.otp_device == recovery
    # Only authenticators are joined to the session's read (accounts.sessions): a recovery code
    # device is read as before, with its user.
    (device_read,) = _touching(statements, "otp_static_staticdevice")
    assert '"accounts_user"' in device_read


def test_a_removed_authenticator_asks_for_the_second_factor_at_the_next_request(
    applicant_client, applicant
):
    assert applicant_client.get(PAGE).status_code == 200
    _device_of(applicant).delete()

    response = applicant_client.get(PAGE)

    assert response["Location"].startswith("/accounts/two-factor/setup/")
    assert DEVICE_ID_SESSION_KEY not in applicant_client.session
    assert response.wsgi_request.user.is_authenticated
    assert not response.wsgi_request.user.is_verified()


def test_an_authenticator_no_longer_confirmed_does_not_count(applicant_client, applicant):
    assert applicant_client.get(PAGE).status_code == 200
    AuthenticatorDevice.objects.filter(user=applicant).update(confirmed=False)

    response = applicant_client.get(PAGE)

    assert response["Location"].startswith("/accounts/two-factor/setup/")
    assert DEVICE_ID_SESSION_KEY not in applicant_client.session


def test_another_users_authenticator_named_in_the_session_does_not_count(
    applicant_client, other_applicant
):
    theirs = AuthenticatorDevice.objects.create(user=other_applicant, name="app", confirmed=True)
    _session_names_device(applicant_client, theirs)

    response = applicant_client.get(PAGE)

    assert _asked_for_the_second_factor(response)
    assert response.wsgi_request.user.is_authenticated
    assert DEVICE_ID_SESSION_KEY not in applicant_client.session


@pytest.mark.parametrize(
    "device_id",
    [
        "nonsense",
        "accounts.nosuchdevice/1",
        "accounts.authenticatordevice/x",
        "accounts.authenticatordevice/99999999999999999999",
        "accounts.user/1",
    ],
)
def test_a_device_id_that_names_no_device_does_not_count(applicant_client, device_id):
    session = applicant_client.session
    session[DEVICE_ID_SESSION_KEY] = device_id
    session.save()

    response = applicant_client.get(PAGE)

    assert _asked_for_the_second_factor(response)
    assert DEVICE_ID_SESSION_KEY not in applicant_client.session


def test_a_device_id_in_django_otps_legacy_form_is_still_read(applicant_client, applicant):
    device = _device_of(applicant)
    session = applicant_client.session
    session[DEVICE_ID_SESSION_KEY] = f"accounts.authenticators.AuthenticatorDevice/{device.pk}"
    session.save()

    response = applicant_client.get(PAGE)

    assert response.status_code == 200
    assert response.wsgi_request.user.otp_device == device


def test_a_changed_password_ends_the_session(applicant_client, applicant):
    assert applicant_client.get(PAGE).status_code == 200
    user = User.objects.get(pk=applicant.pk)
    user.set_password("another long passphrase here")
    user.save()

    response = applicant_client.get(PAGE)

    assert response["Location"].startswith("/accounts/login/")
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in applicant_client.session


def test_signing_out_everywhere_elsewhere_ends_this_session_at_its_next_request(
    applicant_client, applicant
):
    assert applicant_client.get(PAGE).status_code == 200
    User.objects.filter(pk=applicant.pk).update(session_generation=1)

    assert applicant_client.get(PAGE)["Location"].startswith("/accounts/login/")


def test_a_deactivated_account_is_signed_out_at_the_next_request(applicant_client, applicant):
    assert applicant_client.get(PAGE).status_code == 200
    User.objects.filter(pk=applicant.pk).update(is_active=False)

    response = applicant_client.get(PAGE)

    assert response["Location"].startswith("/accounts/login/")
    assert not response.wsgi_request.user.is_authenticated


def test_a_session_of_a_backend_not_in_the_settings_is_not_signed_in(applicant_client):
    session = applicant_client.session
    session["_auth_user_backend"] = "django.contrib.auth.backends.RemoteUserBackend"
    session.save()

    response = applicant_client.get(PAGE)

    assert response["Location"].startswith("/accounts/login/")


def test_a_user_signed_in_with_the_password_only_is_not_verified(client, applicant):
    client.force_login(applicant)

    response = client.get(PAGE)

    assert _asked_for_the_second_factor(response)
    assert response.wsgi_request.user.is_authenticated
    assert not response.wsgi_request.user.is_verified()


def test_an_anonymous_visitor_is_anonymous_and_unverified(client):
    response, statements = _get(client, "/")

    user = response.wsgi_request.user
    assert not user.is_authenticated and user.otp_device is None and not user.is_verified()
    assert not statements


def test_the_async_user_is_the_same_verified_user(applicant):
    response = sign_in_with_second_factor(Client(), applicant).get(PAGE)
    request = response.wsgi_request

    user = async_to_sync(request.auser)()

    assert user is request.user._wrapped
    assert user.is_verified()


def _values(instance) -> list:
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


@pytest.mark.parametrize("device_model", [AuthenticatorDevice, StaticDevice])
def test_the_plain_read_gives_the_instances_the_orm_gives(applicant, device_model):
    from accounts.middleware import _device_with_user

    device = device_model.objects.create(user=applicant, name="second factor", confirmed=True)
    User.objects.filter(pk=applicant.pk).update(preferred_language="sv")
    expected = device_model.objects.select_related("user").get(pk=device.pk)

    with CaptureQueriesContext(connection) as queries:
        read = _device_with_user(device_model, device.pk, applicant.pk)
        user = read.user
    assert len(queries) == 1
    assert _values(read) == _values(expected) and _values(user) == _values(expected.user)
    assert not read._state.adding and read._state.db == expected._state.db
    assert user.last_login == expected.user.last_login and user.date_joined.tzinfo is not None
    # Through the backend's converters: SQLite's 0 and 1 are booleans again.
    assert read.confirmed is True and user.is_active is True and user.is_staff is False
    assert _device_with_user(device_model, device.pk, applicant.pk + 1) is None


def test_the_backend_checked_once_per_process_is_the_one_the_session_names():
    from django.contrib.auth import load_backend

    from accounts.middleware import _MODEL_BACKEND, MODEL_BACKEND

    assert type(_MODEL_BACKEND) is type(load_backend(MODEL_BACKEND))
