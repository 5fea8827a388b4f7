from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    periodic_tasks = ("casework.tasks.send_deadline_reminders",)
    name = "casework"
    verbose_name = _("Casework")
