"""The footer's pages: the accessibility statement and the privacy notice take their facts from
the authority profile and the retention settings, in each language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


def _other_authority(tmp_path, settings) -> None:
    data = json.loads(Path(settings.AUTHORITY_PROFILE).read_text(encoding="utf-8"))
    data["contact"]["email"] = "registry@other.example"
    data["accessibility"]["feedback_email"] = "access@other.example"
    data["accessibility"]["supervisor"]["name"]["sv"] = "Tillsynsverket för prov"
    data["privacy"]["data_protection_officer_email"] = "dpo@other.example"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.AUTHORITY_PROFILE = str(path)


def test_the_statement_names_the_feedback_channel_and_enforcement_body_from_the_profile(
    client, tmp_path, settings
):
    _other_authority(tmp_path, settings)
    html = client.get("/accessibility/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Tillgänglighetsutlåtande</h1>" in html
    assert "mailto:access@other.example" in html
    assert "Tillsynsverket för prov" in html
    assert "Traficom" not in html
    # Footer contact details come from the same profile.
    assert "mailto:registry@other.example" in html


@pytest.mark.parametrize(
    ("language", "heading", "tested"),
    [
        ("fi", "Saavutettavuusseloste", "axe-core"),
        ("sv", "Tillgänglighetsutlåtande", "375 pixlar"),
        ("en", "Accessibility statement", "keyboard alone"),
    ],
)
def test_the_statement_says_how_the_service_is_tested_in_each_language(
    client, language, heading, tested
):
    html = client.get("/accessibility/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "WCAG 2.1" in html
    assert tested in html
    assert "306/2019" in html


def test_the_privacy_notice_reads_retention_periods_from_settings(client, settings):
    settings.SECUREMAIL_RETENTION_DAYS = 61
    settings.RETENTION_SCAM_REPORT_DAYS = 1
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "61 days" in html
    assert ">1 day<" in html
    fi = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "61 päivää" in fi
    assert "Tietosuojaseloste" in fi


def test_the_privacy_notice_names_the_controller_and_officer_from_the_profile(
    client, tmp_path, settings
):
    _other_authority(tmp_path, settings)
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "mailto:dpo@other.example" in html
    assert "<dt>Controller</dt><dd>Finnish Immigration Service</dd>" in html
