"""Seed the official-channel registry from the authority profile (settings.AUTHORITY_PROFILE)."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    from core.authority import load_profile

    OfficialChannel = apps.get_model("trust", "OfficialChannel")
    if OfficialChannel.objects.exists():
        return
    profile = load_profile(settings.AUTHORITY_PROFILE)
    rows = [("web_domain", "", domain.lower(), "") for domain in profile.official_web_domains]
    rows += [("email_domain", "", domain.lower(), "") for domain in profile.official_email_domains]
    rows += [
        ("social_account", account.platform.lower(), account.handle, account.url)
        for account in profile.social_media_accounts
    ]
    rows += [("phone_number", "", number.replace(" ", ""), "") for number in profile.phone_numbers]
    rows += [("sms_sender", "", name, "") for name in profile.sms_sender_names]
    for kind, platform, value, url in rows:
        OfficialChannel.objects.get_or_create(
            kind=kind, platform=platform, value=value, defaults={"url": url}
        )


class Migration(migrations.Migration):
    dependencies = [("trust", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
