from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    # Retention (trust/retention.py); collected by core.periodic, run by enqueue_periodic_tasks.
    periodic_tasks = ("trust.tasks.scam_reports_delete_expired",)
    name = "trust"
    verbose_name = _("Trust center")

    def ready(self):
        from trust import dkimlog

        # A failed DKIM key look-up is the message's problem, not the operator's: one aggregated
        # warning per interval instead of an error per signature (see trust.dkimlog).
        dkimlog.install(settings.TRUST_DKIM_LOG_INTERVAL_SECONDS)
