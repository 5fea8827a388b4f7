from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecuremailConfig(AppConfig):
    periodic_tasks = ("securemail.tasks.purge_expired",)
    name = "securemail"
    verbose_name = _("Securemail")
