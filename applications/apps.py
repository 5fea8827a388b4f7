from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from applications.selectors import application_sent_page
        from applications.services import application_submit_paid
        from payments.hooks import paid_handlers, paid_pages

        # A confirmed payment sends the application (payments never imports applications).
        if "applications" not in paid_handlers:
            paid_handlers.register("applications", lambda: application_submit_paid)
        # The payer coming back from the provider sees the sent case's confirmation panel.
        if "applications" not in paid_pages:
            paid_pages.register("applications", lambda: application_sent_page)
