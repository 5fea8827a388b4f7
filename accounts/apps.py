from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    # Retention (accounts/retention.py); collected by core.periodic, run by enqueue_periodic_tasks.
    periodic_tasks = (
        "accounts.tasks.sessions_delete_expired",
        "accounts.tasks.one_time_codes_delete_expired",
        "accounts.tasks.form_submissions_delete_expired",
    )
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.authenticators import KEY_FIELD, authenticator_key_associated_data
        from core.sealed_fields import register_sealed_field

        # The authenticator secrets, so that key rotation (rewrap_data_keys) moves them too.
        register_sealed_field(
            "accounts.AuthenticatorDevice",
            KEY_FIELD,
            lambda device: authenticator_key_associated_data(device.pk),
        )
