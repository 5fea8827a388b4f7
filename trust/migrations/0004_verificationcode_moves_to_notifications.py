# The verification codes now belong to notifications (issue 8): the trust center forgets the model
# but leaves the table, which notifications.VerificationCode keeps using under the same name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0003_published_warnings_and_feedback_limits"),
        ("notifications", "0004_verificationcode"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="VerificationCode")],
            database_operations=[],
        ),
    ]
