from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    # Retention (accounts/retention.py); collected by core.periodic, run by enqueue_periodic_tasks.
    periodic_tasks = (
        "accounts.tasks.sessions_delete_expired",
        "accounts.tasks.one_time_codes_delete_expired",
        "accounts.tasks.form_submissions_delete_expired",
        "accounts.tasks.sign_in_attempts_delete_expired",
    )
    name = "accounts"
    verbose_name = _("Accounts")
