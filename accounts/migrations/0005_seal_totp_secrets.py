"""Move every django-otp TOTPDevice into AuthenticatorDevice with its secret sealed, and delete the
clear rows, so that no secret stays readable in otp_totp_totpdevice."""

from binascii import unhexlify

from django.db import migrations

from core.crypto import seal
from core.sealed_fields import sealed_associated_data

KEY_FIELD = "key_sealed"

# The fields both models share; the key is sealed instead of copied.
COPIED_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
)


def seal_clear_secrets(clear_model, sealed_model) -> int:
    """Copy each clear device into a sealed one and delete it; returns how many moved."""
    moved = 0
    for clear in clear_model.objects.order_by("pk").iterator():
        device = sealed_model.objects.create(
            **{name: getattr(clear, name) for name in COPIED_FIELDS}
        )
        sealed = seal(
            unhexlify(clear.key.encode()),
            # Bound as core.sealed_fields binds it today (its table, column and row), so that
            # 0008, which re-seals values bound the older way, leaves these as they are.
            associated_data=sealed_associated_data(
                sealed_model._meta.db_table, KEY_FIELD, device.pk
            ),
        )
        sealed_model.objects.filter(pk=device.pk).update(**{KEY_FIELD: sealed})
        clear.delete()
        moved += 1
    return moved


def forwards(apps, schema_editor):
    seal_clear_secrets(
        apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("accounts", "AuthenticatorDevice")
    )


class Migration(migrations.Migration):
    # Sessions that passed the second factor name the old device and ask for a code again.
    dependencies = [
        ("accounts", "0004_authenticator_device"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
