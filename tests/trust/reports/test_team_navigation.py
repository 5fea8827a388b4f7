"""The security team reaches its pages through a menu of its own, shown to that role only."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in_with_second_factor

from ..web.helpers import SCAM_TEXT, scam_result
from .grouping import submit_grouped

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="secondary-nav" aria-label="([^"]+)">(.*?)</nav>', re.S)


def _menu(html: str) -> tuple[str, str] | None:
    found = MENU.search(html)
    return (found.group(1), found.group(2)) if found else None


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/trust/campaigns/", "/trust/campaigns/"),
        ("/trust/channels/manage/", "/trust/channels/manage/"),
        ("/audit/", "/audit/"),
        ("/trust/", None),
    ],
)
def test_the_team_menu_links_every_tool_and_marks_the_page_shown(
    administrator_client, path, current
):
    html = administrator_client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    label, links = _menu(html)
    assert label == "Security team"
    for target in ("/trust/campaigns/", "/trust/channels/manage/", "/audit/"):
        assert f'href="{target}"' in links
    marked = re.findall(r'href="([^"]+)" aria-current="page"', links)
    assert marked == ([current] if current else [])


def test_a_campaigns_own_page_marks_the_campaigns_link(administrator_client):
    for text in (SCAM_TEXT, SCAM_TEXT.replace("24 hours", "2 days")):
        campaign = submit_grouped(
            source="web",
            channel="sms",
            content_kind="text",
            content=text.encode(),
            result=scam_result(),
        ).campaign
    html = administrator_client.get(
        f"/trust/campaigns/{campaign.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert re.findall(r'href="([^"]+)" aria-current="page"', _menu(html)[1]) == [
        "/trust/campaigns/"
    ]
    # The report list names the verdict instead of showing its code.
    assert "<td>Scam</td>" in html and "<td>scam</td>" not in html


def test_the_menu_speaks_the_readers_language(administrator_client):
    html = administrator_client.get("/trust/campaigns/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    label, links = _menu(html)
    assert label == "Säkerhetsteamet" and "Granskningslogg" in links


@pytest.mark.parametrize("role", ["applicant", "caseworker"])
def test_other_roles_see_no_team_menu(client, make_user, role):
    sign_in_with_second_factor(client, make_user(role=role))
    html = client.get("/trust/").content.decode()
    assert _menu(html) is None and "/trust/campaigns/" not in html


def test_a_visitor_sees_no_team_menu(client):
    assert _menu(client.get("/trust/").content.decode()) is None
