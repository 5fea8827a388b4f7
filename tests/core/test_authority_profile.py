import json
from pathlib import Path

import pytest

from core.authority import authority, load_profile


def test_the_default_profile_is_the_seeds_authority():
    profile = authority()
    assert "migri.fi" in profile.official_web_domains
    assert profile.official_email_domains == ("migri.fi",)
    assert profile.name("sv") == "Migrationsverket"
    assert profile.police_report_url.startswith("https://poliisi.fi/")


def test_another_authority_is_a_profile_file_away(tmp_path, settings):
    data = json.loads(Path(settings.AUTHORITY_PROFILE).read_text(encoding="utf-8"))
    data.update(id="other", short_name="Other", official_email_domains=["other.example"])
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.AUTHORITY_PROFILE = str(path)
    assert authority().official_email_domains == ("other.example",)
    assert load_profile(path).short_name == "Other"


@pytest.mark.django_db
def test_the_front_page_and_health_check_answer(client):
    assert client.get("/").status_code == 200
    assert client.get("/livez").json() == {"status": "ok"}


@pytest.mark.django_db
def test_an_unknown_page_answers_a_translated_404(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
