from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    periodic_tasks = ("payments.tasks.reconcile_payments",)
    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from payments import checks  # noqa: F401 (registers the system checks)
