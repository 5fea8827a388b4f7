"""Payment.handed_over_at: when the application was told that its payment is paid. Every payment
confirmed before this migration told it inside the transaction that marked it paid, so those are
handed over already (at their paid_at)."""

from django.db import migrations, models
from django.db.models import F


def mark_confirmed_ones_handed_over(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    Payment.objects.filter(paid_at__isnull=False, status__in=["paid", "refunded"]).update(
        handed_over_at=F("paid_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_payment_event_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="handed_over_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="handed over at"),
        ),
        migrations.RunPython(mark_confirmed_ones_handed_over, migrations.RunPython.noop),
    ]
