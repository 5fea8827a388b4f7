"""Store every address in its normal form (accounts.addresses), which sign-in now matches exactly.

Accounts have always been created lower-cased; this catches any row written another way. An
address whose normal form already belongs to another account is left as it is (and logged by id),
for an operator to merge: two people cannot be made one by a migration.
"""

import logging

from django.db import migrations

from accounts.addresses import email_normalize

logger = logging.getLogger(__name__)


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "email").iterator():
        normal = email_normalize(user.email)
        if normal == user.email:
            continue
        if User.objects.filter(email=normal).exclude(pk=user.pk).exists():
            logger.warning("user #%s: another account has the same address in its normal form", user.pk)
            continue
        User.objects.filter(pk=user.pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_form_submission")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
