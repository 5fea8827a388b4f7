"""The authenticator app (TOTP) device, with its secret sealed at rest.

django-otp's own TOTPDevice keeps the shared secret in clear, so anyone holding a copy of the
database could compute every user's second factor. This device keeps the secret sealed with
core.sealed_fields (bound to its table, column and row, and re-wrapped by `rewrap_data_keys`) and reuses
django-otp's verification unchanged: the same time steps, tolerance, drift tracking, replay guard
(last_t) and exponential throttling.
"""

from __future__ import annotations

import os

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.sealed_fields import SealedBinaryField, open_field, seal_field

SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends and authenticator apps expect
KEY_FIELD = "key_sealed"


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator (RFC 6238) whose secret is stored only sealed.

    A new device gets a random secret on its first save; `with_secret` sets a known one (the demo
    accounts print theirs). The sealed value needs the row's id, so the first save inserts the row
    and then seals, in one transaction.
    """

    key_sealed = SealedBinaryField(_("sealed secret key"), null=True, editable=False)
    step = models.PositiveSmallIntegerField(_("time step in seconds"), default=30)
    t0 = models.BigIntegerField(_("start of the first time step"), default=0)
    digits = models.PositiveSmallIntegerField(_("digits"), choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(_("time steps allowed either side"), default=1)
    drift = models.SmallIntegerField(_("clock drift in time steps"), default=0)
    last_t = models.BigIntegerField(_("time step of the last code accepted"), default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    # django-otp's TOTP logic, unchanged: it reads only bin_key and the fields above. Borrowed
    # rather than copied so that its fixes (throttling, drift, replay) reach us with upgrades.
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    def with_secret(self, secret: bytes) -> AuthenticatorDevice:
        """Use `secret` instead of a random one (before the first save, or to replace it)."""
        self._new_secret = bytes(secret)
        return self

    @property
    def bin_key(self) -> bytes:
        pending = getattr(self, "_new_secret", None)
        if pending is not None:
            return pending
        cached = getattr(self, "_opened_secret", None)
        if cached is None:
            cached = open_field(self, KEY_FIELD)
            self._opened_secret = cached
        return cached

    def save(self, *args, **kwargs):
        pending = getattr(self, "_new_secret", None)
        if pending is None and self.key_sealed is not None:
            if not self._state.adding and kwargs.get("update_fields") is None:
                # Verifying a code saves the device; leaving the key column out means a save
                # never writes back a value that `rewrap_data_keys` has just replaced.
                kwargs["update_fields"] = [
                    field.attname
                    for field in self._meta.concrete_fields
                    if not field.primary_key and field.attname != KEY_FIELD
                ]
            super().save(*args, **kwargs)
            return
        secret = pending if pending is not None else os.urandom(SECRET_BYTES)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            sealed = seal_field(self, KEY_FIELD, secret)
            type(self)._default_manager.filter(pk=self.pk).update(key_sealed=sealed)
        self.key_sealed = sealed
        self._opened_secret = secret
        self._new_secret = None
