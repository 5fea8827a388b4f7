"""Database sessions in accounts_session (accounts.sessions): the same rows, expiry and decoding as
Django's database store, one statement that also reads the user and authenticator the row names,
and columns that follow the session's own data at every save."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.authenticators import AuthenticatorDevice
from accounts.sessions import Session, SessionStore

pytestmark = pytest.mark.django_db


class _DjangosStoreOfThisTable(DjangoSessionStore):
    """Django's own database store (ORM reads) over the same table: the reference."""

    # Django signs with the store class's name: this one's is not SessionStore.
    key_salt = "django.contrib.sessions.SessionStore"

    @classmethod
    def get_model_class(cls):
        return Session


def _stored(expires_in: timedelta = timedelta(minutes=5), **data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def _columns(key: str) -> tuple:
    return Session.objects.values_list("user_id", "authenticator_id").get(pk=key)


def _signed_in_data(user, device=None) -> dict:
    data = {
        "_auth_user_id": str(user.pk),
        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
        "_auth_user_hash": user.get_session_auth_hash(),
    }
    if device is not None:
        data[DEVICE_ID_SESSION_KEY] = device.persistent_id
    return data


def test_the_site_uses_this_store():
    assert settings.SESSION_ENGINE == "accounts.sessions"
    assert Session.get_session_store_class() is SessionStore


def test_a_live_session_is_read_as_django_reads_it():
    key = _stored(marker="x", number=7)

    assert dict(SessionStore(session_key=key).load()) == {"marker": "x", "number": 7}
    assert SessionStore(session_key=key).load() == _DjangosStoreOfThisTable(session_key=key).load()
    assert Session.objects.get(pk=key).get_decoded() == {"marker": "x", "number": 7}


def test_a_session_is_read_with_one_statement_and_no_queryset(monkeypatch):
    key = _stored(marker="x")

    def no_queryset(*args, **kwargs):
        raise AssertionError("the session was read through the ORM")

    monkeypatch.setattr(Session.objects, "get", no_queryset)
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(session_key=key)["marker"] == "x"
    assert len(queries) == 1


@pytest.mark.parametrize("expires_in", [timedelta(seconds=-1), timedelta(days=-3)])
def test_an_expired_session_is_empty_and_its_key_is_not_reused(expires_in):
    key = _stored(expires_in, marker="x")
    store = SessionStore(session_key=key)

    assert store.load() == {}
    assert store.session_key is None and store.row is None
    store["new"] = True
    store.save()
    assert store.session_key != key


def test_an_unknown_key_is_empty_and_not_reused():
    store = SessionStore(session_key="x" * 32)

    assert store.load() == {}
    assert store.session_key is None


def test_a_tampered_session_row_is_empty():
    key = _stored(marker="x")
    Session.objects.filter(pk=key).update(session_data="not a signed value")

    assert SessionStore(session_key=key).load() == {}


def test_a_saved_session_reads_back():
    store = SessionStore()
    store["marker"] = "first"
    store.save()
    store["marker"] = "second"
    store.save()

    assert SessionStore(session_key=store.session_key)["marker"] == "second"


def test_the_columns_follow_the_sessions_data_at_every_save(applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    store = SessionStore()
    store["marker"] = "anonymous"
    store.create()
    assert _columns(store.session_key) == (None, None)

    store.update(_signed_in_data(applicant))
    store.save()
    assert _columns(store.session_key) == (applicant.pk, None)

    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.save()
    assert _columns(store.session_key) == (applicant.pk, device.pk)

    store.cycle_key()
    assert _columns(store.session_key) == (applicant.pk, device.pk)

    store.flush()
    store["marker"] = "signed out"
    store.save()
    assert _columns(store.session_key) == (None, None)


def test_the_read_joins_the_user_and_authenticator_the_row_names(applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    key = _stored(**_signed_in_data(applicant, device))

    store = SessionStore(session_key=key)
    with CaptureQueriesContext(connection) as queries:
        store.load()
        row = store.row
        assert row.user == applicant and row.authenticator == device
        expected = Session.objects.select_related("user", "authenticator").get(pk=key)
    assert len(queries) == 2  # the store's read and the reference's, nothing lazy
    for mine, theirs in [(row, expected), (row.user, expected.user)]:
        fields = mine._meta.concrete_fields
        assert [getattr(mine, f.attname) for f in fields] == [
            getattr(theirs, f.attname) for f in fields
        ]
    assert row.authenticator.bin_key == device.bin_key


@pytest.mark.parametrize(
    "device_id",
    [
        None,
        "",
        "nonsense",
        "accounts.nosuchdevice/1",
        "accounts.authenticatordevice/x",
        "accounts.authenticatordevice/99999999999999999999",
        "accounts.authenticatordevice/-4",
        "accounts.user/1",
    ],
)
def test_a_device_id_that_names_no_authenticator_leaves_its_column_empty(applicant, device_id):
    data = _signed_in_data(applicant)
    data[DEVICE_ID_SESSION_KEY] = device_id

    assert _columns(_stored(**data)) == (applicant.pk, None)


def test_a_recovery_code_device_is_not_joined(applicant):
    recovery = StaticDevice.objects.create(user=applicant, name="Recovery codes", confirmed=True)

    assert _columns(_stored(**_signed_in_data(applicant, recovery))) == (applicant.pk, None)


def test_a_legacy_device_id_names_its_authenticator(applicant):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    data = _signed_in_data(applicant)
    data[DEVICE_ID_SESSION_KEY] = f"accounts.authenticators.AuthenticatorDevice/{device.pk}"

    assert _columns(_stored(**data)) == (applicant.pk, device.pk)


@pytest.mark.parametrize("user_id", ["x", "", "-3", "0", str(2**63), None])
def test_a_user_id_no_row_could_have_leaves_both_columns_empty(applicant, user_id):
    device = AuthenticatorDevice.objects.create(user=applicant, name="app", confirmed=True)
    data = _signed_in_data(applicant, device)
    data["_auth_user_id"] = user_id

    assert _columns(_stored(**data)) == (None, None)


def test_clearsessions_deletes_the_expired_sessions_of_this_table():
    expired = _stored(timedelta(seconds=-1), marker="x")
    live = _stored(marker="y")

    call_command("clearsessions")

    assert list(Session.objects.values_list("pk", flat=True)) == [live]
    assert not SessionStore().exists(expired)
