# The verification codes move here from the trust center (issue 8). The table stays where it is
# (db_table keeps its old name), so this changes only Django's state and no row is touched.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_outboundemail_payload_sealed_and_more"),
        # The table was created by the trust center's first migration.
        ("trust", "0003_published_warnings_and_feedback_limits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="VerificationCode",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "code_digest",
                            models.CharField(max_length=64, unique=True, verbose_name="code digest"),
                        ),
                        (
                            "recipient_digest",
                            models.CharField(max_length=64, verbose_name="recipient digest"),
                        ),
                        ("channel", models.CharField(max_length=20, verbose_name="channel")),
                        (
                            "kind",
                            models.CharField(max_length=64, verbose_name="kind of notification"),
                        ),
                        ("issued_at", models.DateTimeField(auto_now_add=True, verbose_name="issued")),
                    ],
                    options={
                        "verbose_name": "verification code",
                        "verbose_name_plural": "verification codes",
                        "db_table": "trust_verificationcode",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
