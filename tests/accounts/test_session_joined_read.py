"""The user and authenticator read with the session (accounts.sessions, accounts.middleware) give
what the read without them gives, for every session the data and the columns can describe; and a
column that disagrees with the session's signed data never signs anyone in as someone else."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.authenticators import AuthenticatorDevice
from accounts.middleware import signed_in_user
from accounts.models import User
from accounts.sessions import Session, SessionStore

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
OLD_SECRET_KEY = "an older secret key that signed sessions before a rotation, long enough"


@pytest.fixture
def world(make_user, settings):
    settings.SECRET_KEY_FALLBACKS = [OLD_SECRET_KEY]
    mine, theirs = make_user(), make_user()
    return {
        "mine": mine,
        "theirs": theirs,
        "my authenticator": AuthenticatorDevice.objects.create(user=mine, confirmed=True),
        "my unconfirmed authenticator": AuthenticatorDevice.objects.create(
            user=mine, name="new", confirmed=False
        ),
        "their authenticator": AuthenticatorDevice.objects.create(user=theirs, confirmed=True),
        "my recovery codes": StaticDevice.objects.create(user=mine, name="codes", confirmed=True),
    }


def _device_id(world, named: str):
    if named in world:
        return world[named].persistent_id
    if named == "legacy form of my authenticator":
        return f"accounts.authenticators.AuthenticatorDevice/{world['my authenticator'].pk}"
    return {
        "none": None,
        "nonsense": "nonsense",
        "no such row": "accounts.authenticatordevice/9999",
    }[named]


def _session_hash(user, kind: str):
    return {
        "current": user.get_session_auth_hash(),
        "before a key rotation": user._session_auth_hash(secret=OLD_SECRET_KEY),
        "wrong": "0" * 64,
        "none": None,
    }[kind]


def _stored_session(world, *, user, backend, device, auth_hash) -> str:
    store = SessionStore()
    store["marker"] = "kept"
    if user is not None:
        store["_auth_user_id"] = str(world[user].pk)
        store["_auth_user_backend"] = backend
        if (value := _session_hash(world[user], auth_hash)) is not None:
            store["_auth_user_hash"] = value
    if (value := _device_id(world, device)) is not None:
        store[DEVICE_ID_SESSION_KEY] = value
    store.create()
    return store.session_key


def _set_columns(world, key: str, user_column: str, device_column: str) -> None:
    changes = {}
    if user_column != "as saved":
        changes["user_id"] = world[user_column].pk if user_column in world else None
    if device_column != "as saved":
        changes["authenticator_id"] = world[device_column].pk if device_column in world else None
    Session.objects.filter(pk=key).update(**changes)


def _outcome(key: str, *, joined: bool) -> tuple:
    """Who the middleware signs in for this session, what it leaves in the session, and how many
    statements it made after the session's read; every change rolled back."""
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key=key)
    with transaction.atomic():
        request.session.get("marker")  # the session's read, as the middleware's first access
        if not joined:
            request.session.row = None
        with CaptureQueriesContext(connection) as queries:
            user = signed_in_user(request)
        session = request.session
        outcome = (
            user.is_authenticated,
            user.pk,
            user.is_verified(),
            None if user.otp_device is None else user.otp_device.persistent_id,
            None if user.otp_device is None else user.otp_device.user is user,
            dict(session.items()),
            session.session_key == key,
            session.modified,
        )
        transaction.set_rollback(True)
    return outcome, len(queries)


@hypothesis_settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    user=st.sampled_from([None, "mine"]),
    backend=st.sampled_from([MODEL_BACKEND, "django.contrib.auth.backends.RemoteUserBackend"]),
    device=st.sampled_from(
        [
            "none",
            "my authenticator",
            "legacy form of my authenticator",
            "my unconfirmed authenticator",
            "their authenticator",
            "my recovery codes",
            "nonsense",
            "no such row",
        ]
    ),
    auth_hash=st.sampled_from(["current", "before a key rotation", "wrong", "none"]),
    active=st.booleans(),
    user_column=st.sampled_from(["as saved", "theirs", "nobody"]),
    device_column=st.sampled_from(["as saved", "their authenticator", "my authenticator", "none"]),
)
def test_the_joined_read_gives_what_the_read_without_it_gives(
    world, user, backend, device, auth_hash, active, user_column, device_column
):
    key = _stored_session(world, user=user, backend=backend, device=device, auth_hash=auth_hash)
    _set_columns(world, key, user_column, device_column)
    User.objects.filter(pk=world["mine"].pk).update(is_active=active)

    joined, joined_queries = _outcome(key, joined=True)
    without, _ = _outcome(key, joined=False)

    assert joined == without
    joinable = device in ("none", "my authenticator", "legacy form of my authenticator")
    saved_device_column = "none" if device == "none" else "my authenticator"
    agrees = user_column == "as saved" and device_column in ("as saved", saved_device_column)
    # (an inactive user's or a wrong hash's session is flushed, a rotated key's is cycled)
    kept_as_is = active and auth_hash == "current"
    if user == "mine" and backend == MODEL_BACKEND and agrees and joinable and kept_as_is:
        assert joined_queries == 0  # every row the middleware needed came with the session


@pytest.mark.parametrize("device", ["none", "my authenticator", "legacy form of my authenticator"])
def test_a_signed_in_session_needs_no_statement_after_its_own_read(world, device):
    key = _stored_session(
        world, user="mine", backend=MODEL_BACKEND, device=device, auth_hash="current"
    )

    (authenticated, user_pk, verified, *_), queries = _outcome(key, joined=True)

    assert (authenticated, user_pk, verified) == (True, world["mine"].pk, device != "none")
    assert queries == 0


@pytest.mark.parametrize(
    ("device", "device_column"),
    [
        ("my authenticator", "their authenticator"),
        ("my authenticator", "as saved"),
        ("none", "as saved"),
        ("none", "their authenticator"),
    ],
)
def test_a_session_whose_columns_name_another_user_signs_in_its_own_user(
    world, device, device_column
):
    key = _stored_session(
        world, user="mine", backend=MODEL_BACKEND, device=device, auth_hash="current"
    )
    _set_columns(world, key, "theirs", device_column)

    (authenticated, user_pk, verified, otp_device, *_), _ = _outcome(key, joined=True)

    assert authenticated and user_pk == world["mine"].pk
    assert verified == (device != "none")
    assert otp_device == _device_id(world, device)


def test_an_anonymous_session_whose_columns_name_a_user_signs_nobody_in(world):
    key = _stored_session(
        world, user=None, backend=MODEL_BACKEND, device="their authenticator", auth_hash="none"
    )
    _set_columns(world, key, "theirs", "their authenticator")

    (authenticated, user_pk, verified, *_), _ = _outcome(key, joined=True)

    assert not authenticated and user_pk is None and not verified


def test_a_session_naming_another_users_authenticator_in_the_columns_is_not_verified_by_it(world):
    key = _stored_session(
        world, user="mine", backend=MODEL_BACKEND, device="none", auth_hash="current"
    )
    _set_columns(world, key, "as saved", "their authenticator")

    (authenticated, user_pk, verified, device, *_), _ = _outcome(key, joined=True)

    assert authenticated and user_pk == world["mine"].pk
    assert not verified and device is None
