"""What the footer's pages say about the service: the retention periods of the privacy notice,
read from settings so that the notice never disagrees with what the retention tasks do."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class RetentionPeriod:
    what: str
    period: str


def _days(days: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _hours(hours: int) -> str:
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def retention_periods() -> list[RetentionPeriod]:
    """Each kind of personal data with its retention period, in the current language."""
    rows = [
        (
            _("Secure messages and their files, counted from the last message"),
            _days(settings.SECUREMAIL_RETENTION_DAYS),
        ),
        (
            _("Scam reports and the reporter's email address"),
            _days(settings.RETENTION_SCAM_REPORT_DAYS),
        ),
        (
            _("Your network address in the audit log"),
            _days(settings.RETENTION_AUDIT_CLIENT_ADDRESS_DAYS),
        ),
        (
            _("Records of the notifications we sent you"),
            _days(settings.RETENTION_OUTBOUND_MESSAGE_DAYS),
        ),
        (
            _("Verification codes printed in our letters and messages"),
            _days(settings.RETENTION_VERIFICATION_CODE_DAYS),
        ),
        (
            _("Email verification and password reset codes, counted from their expiry"),
            _days(settings.RETENTION_ONE_TIME_CODE_DAYS),
        ),
        (
            _("A signed-in session without activity"),
            ngettext(
                "%(count)d minute", "%(count)d minutes", settings.SESSION_IDLE_TIMEOUT_SECONDS // 60
            )
            % {"count": settings.SESSION_IDLE_TIMEOUT_SECONDS // 60},
        ),
        (
            _("A signed-in session at most"),
            _hours(settings.SESSION_ABSOLUTE_LIFETIME_SECONDS // 3600),
        ),
    ]
    return [RetentionPeriod(what=str(what), period=period) for what, period in rows]
