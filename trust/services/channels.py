"""Changes to the official-channel registry (administrators; every change audited)."""

from __future__ import annotations

import contextlib

from django.db import transaction

from audit.services import audit_record
from core.authority import AuthorityProfile, authority
from trust.models import ChannelKind, OfficialChannel


def normalise_channel_value(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind in {ChannelKind.WEB_DOMAIN, ChannelKind.EMAIL_DOMAIN}:
        value = value.lower().removeprefix("@").rstrip(".")
        # A value that is no domain at all stays as typed; full_clean reports it.
        with contextlib.suppress(UnicodeError):
            value = value.encode("idna").decode("ascii")
    elif kind == ChannelKind.SOCIAL_ACCOUNT:
        value = value.removeprefix("@")
    elif kind == ChannelKind.PHONE_NUMBER:
        value = "".join(char for char in value if char.isdigit() or char == "+")
        value = "+" + value[2:] if value.startswith("00") else value
    return value


@transaction.atomic
def official_channel_add(
    *, kind: str, value: str, platform: str = "", url: str = "", notes: str = "", request=None
) -> OfficialChannel:
    channel = OfficialChannel(
        kind=kind,
        value=normalise_channel_value(kind, value),
        platform=(platform or "").strip().lower(),
        url=url,
        notes=notes,
    )
    channel.full_clean()
    channel.save()
    audit_record(
        action="trust.channel.added", request=request, target=channel, details={"kind": kind}
    )
    return channel


@transaction.atomic
def official_channel_set_active(
    *, channel: OfficialChannel, active: bool, request=None
) -> OfficialChannel:
    channel.active = active
    channel.full_clean()
    channel.save(update_fields=["active", "updated_at"])
    audit_record(
        action="trust.channel.activated" if active else "trust.channel.deactivated",
        request=request,
        target=channel,
    )
    return channel


def _profile_rows(profile: AuthorityProfile) -> list[tuple[str, str, str, str]]:
    rows = [(ChannelKind.WEB_DOMAIN, "", domain, "") for domain in profile.official_web_domains]
    rows += [
        (ChannelKind.EMAIL_DOMAIN, "", domain, "") for domain in profile.official_email_domains
    ]
    rows += [
        (ChannelKind.SOCIAL_ACCOUNT, account.platform.lower(), account.handle, account.url)
        for account in profile.social_media_accounts
    ]
    rows += [(ChannelKind.PHONE_NUMBER, "", number, "") for number in profile.phone_numbers]
    rows += [(ChannelKind.SMS_SENDER, "", name, "") for name in profile.sms_sender_names]
    return rows


@transaction.atomic
def official_channels_load_from_profile(*, profile: AuthorityProfile | None = None) -> int:
    """Add the profile's channels that the registry lacks; returns how many were added.

    Idempotent: existing rows (and an administrator's deactivation of them) are left alone.
    """
    added = 0
    for kind, platform, value, url in _profile_rows(profile or authority()):
        _channel, created = OfficialChannel.objects.get_or_create(
            kind=kind,
            platform=platform,
            value=normalise_channel_value(kind, value),
            defaults={"url": url},
        )
        added += created
    return added
