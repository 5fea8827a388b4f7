"""Tables shared by every app: the rate limiter's fixed-window counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """How many requests one key made in one window of one scope.

    The key is stored only as an HMAC (it is often a client address, which is personal data).
    """

    scope = models.CharField(_("scope"), max_length=64)
    key_digest = models.CharField(_("key digest"), max_length=64)
    window_start = models.BigIntegerField(_("window start (Unix time)"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key_digest", "window_start"], name="ratelimit_counter_unique"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="ratelimit_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope}@{self.window_start}: {self.count}"
