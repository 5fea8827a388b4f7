from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecuremailConfig(AppConfig):
    periodic_tasks = (
        "securemail.tasks.conversations_delete_expired",
        "securemail.tasks.access_codes_delete_expired",
    )
    name = "securemail"
    verbose_name = _("Securemail")
