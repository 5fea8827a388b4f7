"""Replace recovery codes stored in clear text by their keyed digests."""

import re

from django.db import migrations
from django.utils.crypto import salted_hmac

# Already a digest: codes this project hands out (8 base32 characters, or the demo codes) never
# look like this, so running over a table that was partly converted changes nothing twice.
_DIGEST = re.compile(r"[0-9a-f]{16}")


def _digest(code):
    # A copy of accounts.codes.recovery_code_digest as it was written: a migration must not change
    # when that module does.
    normalized = "".join((code or "").split()).lower()
    return salted_hmac("accounts.recovery_code", normalized, algorithm="sha256").hexdigest()[:16]


def hash_recovery_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for row in StaticToken.objects.only("pk", "token").iterator():
        if not _DIGEST.fullmatch(row.token):
            StaticToken.objects.filter(pk=row.pk).update(token=_digest(row.token))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_onetimecode"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # Digests cannot be turned back into codes; going back leaves them in place, and users ask
    # for new recovery codes on the security page.
    operations = [migrations.RunPython(hash_recovery_codes, migrations.RunPython.noop)]
