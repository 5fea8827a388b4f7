from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    periodic_tasks = (
        "notifications.tasks.outbound_requeue_stalled",
        # Retention (notifications/retention.py)
        "notifications.tasks.outbound_messages_delete_expired",
        "notifications.tasks.verification_codes_delete_expired",
    )
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import checks  # noqa: F401  (registers the deploy check)
