from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    # Retention (audit/retention.py); collected by core.periodic, run by enqueue_periodic_tasks.
    periodic_tasks = ("audit.tasks.audit_client_addresses_anonymise_expired",)
    name = "audit"
    verbose_name = _("Audit log")
