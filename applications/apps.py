from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _application_associated_data(application) -> bytes:
    return f"applications.Application:{application.pk}".encode()


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from applications.services import application_submit_paid
        from core.sealed_fields import register_sealed_field
        from payments.hooks import paid_handlers

        # The draft answers and the copy frozen at submission, both bound to their row.
        for field_name in ("answers_sealed", "submitted_answers_sealed"):
            register_sealed_field(
                "applications.Application", field_name, _application_associated_data
            )

        # A confirmed payment sends the application (payments never imports applications).
        if "applications" not in paid_handlers:
            paid_handlers.register("applications", lambda: application_submit_paid)
