from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _bound_to_row(label: str, part: str = ""):
    suffix = f":{part}" if part else ""
    return lambda instance: f"{label}:{instance.pk}{suffix}".encode()


class CaseworkConfig(AppConfig):
    periodic_tasks = ("casework.tasks.send_deadline_reminders",)
    name = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from core.sealed_fields import register_sealed_field

        # Every sealed field, so that key rotation (rewrap_data_keys) moves them too.
        register_sealed_field(
            "casework.InternalNote", "text_sealed", _bound_to_row("casework.InternalNote")
        )
        register_sealed_field(
            "casework.AdditionalInformation",
            "text_sealed",
            _bound_to_row("casework.AdditionalInformation"),
        )
        for part in ("message", "answer"):
            register_sealed_field(
                "casework.SupplementRequest",
                f"{part}_sealed",
                _bound_to_row("casework.SupplementRequest", part),
            )
        register_sealed_field(
            "casework.Decision",
            "reasoning_sealed",
            lambda decision: f"casework.Decision:{decision.application_id}".encode(),
        )
