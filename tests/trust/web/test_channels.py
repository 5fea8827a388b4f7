import importlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps

from audit.models import AuditEvent
from trust.engine import EngineConfig
from trust.models import ChannelKind, OfficialChannel
from trust.selectors import engine_config_kwargs, official_channels
from trust.services import official_channels_load_from_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registry_as_the_data_migration_left_it():
    # A transactional test that ran earlier in the same worker flushed every table, and with them
    # what data migrations wrote; the migration's own function (a no-op on a seeded registry)
    # puts the registry back as `migrate` leaves it.
    seeding = importlib.import_module("trust.migrations.0002_seed_official_channels")
    seeding.seed(apps, None)


def test_the_registry_is_seeded_with_the_default_profiles_channels():
    values = set(OfficialChannel.objects.values_list("kind", "value"))
    assert ("web_domain", "migri.fi") in values
    assert ("email_domain", "migri.fi") in values
    assert ("sms_sender", "Migri") in values
    assert ("phone_number", "+358295430431") in values
    assert OfficialChannel.objects.filter(
        kind="social_account", platform="x", value="MigriFI"
    ).exists()


def test_loading_the_profile_again_adds_nothing_and_keeps_a_deactivation():
    OfficialChannel.objects.filter(value="enterfinland.fi").update(active=False)
    assert official_channels_load_from_profile() == 0
    assert OfficialChannel.objects.get(value="enterfinland.fi").active is False


def test_an_empty_registry_falls_back_to_the_profile():
    OfficialChannel.objects.all().delete()
    assert official_channels().web_domains == ("migri.fi", "enterfinland.fi")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_public_page_lists_the_channels_in_each_language(client, language):
    response = client.get("/trust/channels/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "migri.fi" in html and "MigriFI" in html and "+358295430431" in html


def test_the_json_is_machine_readable_at_a_stable_address(client):
    response = client.get("/trust/channels.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert set(data["web_domains"]) == {"migri.fi", "enterfinland.fi"}
    assert data["email_domains"] == ["migri.fi"]
    assert {"platform": "x", "handle": "MigriFI", "url": "https://x.com/MigriFI"} in data[
        "social_media_accounts"
    ]
    assert data["authority"]["name"]["sv"] == "Migrationsverket"


def test_a_deactivated_channel_leaves_the_json_and_the_engine_configuration(client):
    OfficialChannel.objects.filter(kind=ChannelKind.WEB_DOMAIN, value="enterfinland.fi").update(
        active=False
    )
    data = json.loads(client.get("/trust/channels.json").content)
    assert "enterfinland.fi" not in data["web_domains"]
    assert "enterfinland.fi" not in engine_config_kwargs()["official_web_domains"]


def test_the_engine_configuration_is_built_from_the_registry():
    kwargs = engine_config_kwargs()
    config = EngineConfig(**kwargs, dns_enabled=False)
    assert "migri.fi" in config.official_email_domains
    assert ("x", "MigriFI") in config.social_media_accounts
    assert "Maahanmuuttovirasto" in config.authority_names
    assert "infofinland.fi" in config.other_official_web_domains
    assert config.verification_code_checker("0000-0000-0000", None) is False


def test_security_txt_follows_rfc_9116(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@migri.fi"
    assert fields["Preferred-Languages"] == "fi, sv, en"
    assert fields["Canonical"].endswith("/.well-known/security.txt")
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert timedelta(days=364) < expires - datetime.now(UTC) <= timedelta(days=365)


def test_an_administrator_adds_a_channel_and_the_change_is_audited(administrator_client):
    response = administrator_client.post(
        "/trust/channels/manage/",
        {
            "kind": "web_domain",
            "value": "  Migri.FI.example ",
            "platform": "",
            "url": "",
            "notes": "",
        },
    )
    assert response.status_code == 302
    channel = OfficialChannel.objects.get(value="migri.fi.example")
    assert AuditEvent.objects.filter(
        action="trust.channel.added", object_id=str(channel.pk)
    ).exists()


def test_an_invalid_channel_is_refused_with_the_typed_values_kept(administrator_client):
    response = administrator_client.post(
        "/trust/channels/manage/",
        {"kind": "social_account", "value": "someone", "platform": "", "url": "", "notes": ""},
    )
    assert response.status_code == 400
    assert 'value="someone"' in response.content.decode()
    assert not OfficialChannel.objects.filter(value="someone").exists()


def test_an_administrator_deactivates_a_channel(administrator_client):
    channel = OfficialChannel.objects.get(kind="sms_sender", value="Migri")
    response = administrator_client.post(
        f"/trust/channels/manage/{channel.pk}/active/", {"active": "0"}
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.active is False
    assert "Migri" not in official_channels().sms_sender_names
    assert AuditEvent.objects.filter(action="trust.channel.deactivated").exists()


def test_applicants_are_refused_the_registry_page(applicant_client):
    assert applicant_client.get("/trust/channels/manage/").status_code == 403
    channel = OfficialChannel.objects.first()
    response = applicant_client.post(
        f"/trust/channels/manage/{channel.pk}/active/", {"active": "0"}
    )
    assert response.status_code == 403
    channel.refresh_from_db()
    assert channel.active is True


def test_anonymous_visitors_are_sent_to_sign_in_for_the_registry_page(client):
    response = client.get("/trust/channels/manage/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
