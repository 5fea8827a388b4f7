from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    periodic_tasks = ("casework.tasks.send_deadline_reminders",)
    name = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from applications.hooks import home_reads
        from casework.applicant_selectors import open_requests_of_applicant_read

        # The applicant's open requests on their home page, read with its lists.
        if "open_requests" not in home_reads:
            home_reads.register("open_requests", lambda: open_requests_of_applicant_read)
