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
        from core.sealed_fields import register_sealed_field
        from notifications import checks  # noqa: F401  (registers the deploy check)

        # The sealed copy of a message waiting to go out, so that key rotation moves it too.
        for model_name in ("OutboundEmail", "OutboundSMS"):
            register_sealed_field(
                f"notifications.{model_name}",
                "payload_sealed",
                lambda outbound, label=model_name: f"notifications.{label}:{outbound.pk}".encode(),
            )
