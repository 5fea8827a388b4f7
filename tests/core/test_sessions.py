"""Database sessions read with one plain statement (core.sessions): the same rows, the same expiry
and the same decoding as Django's database store, with Django's writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _stored(expires_in: timedelta = timedelta(minutes=5), **data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_the_site_uses_this_store():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_live_session_is_read_as_django_reads_it():
    key = _stored(marker="x", number=7)

    assert dict(SessionStore(session_key=key).load()) == {"marker": "x", "number": 7}
    assert SessionStore(session_key=key).load() == DjangoSessionStore(session_key=key).load()


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
    assert store.session_key is None
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
