"""Django's database sessions (SESSION_ENGINE) in a table that also names the session's signed-in
user and authenticator, so that one statement reads a signed-in request's session with both.

Django's documented way of "extending database-backed session engines": a session model with
extra columns (AbstractBaseSession) and a store that fills them on every save from the session's
own data (create_model_instance). A signed-in page read the session row, then the device and its
user: two round trips, each about 0.34 ms of the web process's CPU. Here the session's read joins
the user and the authenticator the columns name (`SessionStore.row`), and the rest stays Django's:
the same expiry condition, the same decoding, Django's writes, `clearsessions`.

The columns are a hint for the read, never a source of truth: accounts.middleware uses the joined
rows only when the session's decoded (signed) data names the same user, backend and device, and
then makes every check Django and django-otp make; otherwise it reads as before.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from accounts.authenticators import AuthenticatorDevice
from core.prepared_queries import PreparedQuery

# The largest key a bigint column holds: a larger one is no row (and could not be saved).
_LARGEST_KEY = 2**63 - 1


class Session(AbstractBaseSession):
    # Copied from the session's data at every save. No constraint and no index: the columns are
    # only read through the session's key, and a row may outlive its user or device (the join
    # then finds nothing and the middleware reads as before); deleting a user or a device leaves
    # the sessions alone, as Django's own session table does.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    authenticator = models.ForeignKey(
        AuthenticatorDevice,
        verbose_name=_("authenticator app"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        return SessionStore


# Django's `Session.objects.get(session_key=..., expire_date__gt=now)` with the user and the
# authenticator joined, compiled once per process (core.prepared_queries): through the ORM the
# queryset cost about three times the statement's own time on every request.
_LIVE_SESSION = PreparedQuery(
    lambda session_key, now: Session.objects.select_related("user", "authenticator").filter(
        session_key=session_key, expire_date__gt=now
    ),
    session_key=str,
    now=datetime.datetime,
)


class SessionStore(DatabaseSessionStore):
    # The row read with the session, its `user` and `authenticator` joined; None when none was.
    row: Session | None = None

    @classmethod
    def get_model_class(cls):
        return Session

    def load(self):
        self.row = _LIVE_SESSION.first(session_key=self.session_key, now=timezone.now())
        if self.row is None:
            # As Django's store does: an unknown or expired key is not reused for the new session.
            self._session_key = None
            return {}
        return self.decode(self.row.session_data)

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = session_user_id(data)
        if type(user_id) is int:  # (the column's type: a user model with other keys is not joined)
            session.user_id = user_id
            device = session_device(data)
            if device is not None and device[0] is AuthenticatorDevice:
                session.authenticator_id = device[1]
        return session


def session_user_id(data):
    """The signed-in user's id in the session's data, read as auth.get_user reads it, or None
    (also for an integer no 64-bit key column holds)."""
    try:
        user_id = get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    except (KeyError, ValidationError):
        return None
    if type(user_id) is int and not 0 < user_id <= _LARGEST_KEY:
        return None
    return user_id


def session_device(data) -> tuple[type[Device], int] | None:
    """The model and key of the second-factor device the session's data names (django-otp's
    persistent id, its legacy form read as django-otp reads it), or None when it names none that
    a row could be."""
    persistent_id = data.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id or not isinstance(persistent_id, str):
        return None
    try:
        # Device.from_persistent_id's parsing, after django-otp's reading of a legacy id.
        model_label, device_id = OTPMiddleware._normalize_persistent_id(persistent_id).rsplit(
            "/", 1
        )
        device_model = apps.get_model(model_label)
        device_pk = int(device_id)
    except (ValueError, LookupError):
        return None
    if not issubclass(device_model, Device) or not 0 < device_pk <= _LARGEST_KEY:
        return None  # (a key no 64-bit column holds: no such row, as the ORM would answer)
    return device_model, device_pk
