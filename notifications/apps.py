from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    periodic_tasks = ("notifications.tasks.outbound_requeue_stalled",)
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import checks  # noqa: F401  (registers the deploy check)
