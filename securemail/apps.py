from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _bound_to_row(table: str, column: str):
    def associated_data(instance) -> bytes:
        from securemail.models import sealed_associated_data

        return sealed_associated_data(table, column, instance.pk)

    return associated_data


class SecuremailConfig(AppConfig):
    periodic_tasks = ("securemail.tasks.purge_expired",)
    name = "securemail"
    verbose_name = _("Securemail")

    def ready(self):
        from core.sealed_fields import register_sealed_field

        # Every sealed field, so that key rotation (rewrap_data_keys) moves them too.
        for model, field, table, column in (
            (
                "securemail.Conversation",
                "correspondent_email_sealed",
                "Conversation",
                "correspondent_email",
            ),
            ("securemail.Message", "subject_sealed", "Message", "subject"),
            ("securemail.Message", "body_sealed", "Message", "body"),
            ("securemail.AccessCode", "email_sealed", "AccessCode", "email"),
        ):
            register_sealed_field(model, field, _bound_to_row(table, column))
