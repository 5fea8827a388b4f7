"""The sessions moved from Django's table to accounts_session (accounts migration 0010) without
signing anyone out, and back again when the migration is reversed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.authenticators import AuthenticatorDevice
from accounts.sessions import Session

BEFORE = [("accounts", "0009_user_full_name")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _django_session(user, device, *, expires_in: timedelta) -> str:
    """A signed-in session as the site wrote it before the move (Django's table)."""
    store = DjangoSessionStore()
    store.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
        }
    )
    store.set_expiry(expires_in)
    store.create()
    return store.session_key


# Transactional: migrations cannot run inside the transaction an ordinary test is wrapped in.
@pytest.mark.django_db(transaction=True)
def test_a_session_from_before_the_move_is_still_signed_in_after_it(make_user):
    user = make_user()
    device = AuthenticatorDevice.objects.create(user=user, name="app", confirmed=True)
    _migrate(BEFORE)
    try:
        live = _django_session(user, device, expires_in=timedelta(hours=1))
        expired = _django_session(user, device, expires_in=timedelta(seconds=-1))
    finally:
        _migrate(None)

    assert list(Session.objects.values_list("pk", "user_id", "authenticator_id")) == [
        (live, None, None)
    ]
    assert not DjangoSession.objects.exists()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = live
    response = client.get("/applications/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user and response.wsgi_request.user.is_verified()
    # The request's save (its activity mark) filled the columns for the joined read.
    assert Session.objects.values_list("user_id", "authenticator_id").get(pk=live) == (
        user.pk,
        device.pk,
    )
    assert expired != live

    _migrate(BEFORE)
    try:
        moved_back = DjangoSession.objects.get()
        assert moved_back.session_key == live
        assert moved_back.expire_date > timezone.now()
        assert DjangoSessionStore(session_key=live).load()["_auth_user_id"] == str(user.pk)
    finally:
        _migrate(None)
