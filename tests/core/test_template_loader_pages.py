"""Every page the test client reaches, in fi, sv and en, is byte for byte the page Django's own
cached loader renders (core.template_loader folds translations into text; nothing else may
change). The pages are found by following each role's links from the starting points of the
browser tests (tests/site_crawl.py), after the demo data of `make run`."""

from __future__ import annotations

import io
import re
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.test import Client

from accounts.models import User
from core.template_loader import LanguageNodeList
from tests.conftest import sign_in_with_second_factor
from tests.site_crawl import DEMO_EMAIL, STARTS, Visit, crawl

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv", "en")
BASE = "http://testserver"
HREF = re.compile(r'<a [^>]*href="([^"]+)"')
# What differs between two renders of one page anyway (the tokens, the nonces).
VARYING = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'name="submission_token" value="[^"]+"'), 'name="submission_token"'),
    (re.compile(r'nonce="[^"]+"'), 'nonce=""'),
]
# Pages that every visit changes: the audit log lists the crawl's own visits.
CHANGED_BY_EACH_VISIT = ("/audit/",)
STOCK_LOADERS = [
    (
        "django.template.loaders.cached.Loader",
        [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
]


def _html(response) -> str | None:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    html = response.content.decode()
    for pattern, replacement in VARYING:
        html = pattern.sub(replacement, html)
    return html


def _client(role: str, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if role != "anonymous":
        user = User.objects.get(email=DEMO_EMAIL[role])
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        sign_in_with_second_factor(client, user)
    return client


def _pages(client: Client, starts: list[str]) -> dict[str, str]:
    """Each page the crawl reaches: its HTML."""
    pages: dict[str, str] = {}

    def fetch(path: str) -> Visit | None:
        html = _html(client.get(path))
        if html is None or path.startswith(CHANGED_BY_EACH_VISIT):
            return None
        pages[path] = html
        links = (
            urljoin(f"{BASE}{path}", href.replace("&amp;", "&")) for href in HREF.findall(html)
        )
        return Visit(path, links)

    crawl(starts, fetch, base=BASE, skip=lambda path: "logout" in path)
    return pages


def _render_again(client: Client, paths) -> dict[str, str]:
    return {path: _html(client.get(path)) for path in paths}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_the_page_djangos_own_loader_renders(settings, language):
    call_command("load_demo_data", stdout=io.StringIO())
    ours = {role: _pages(_client(role, language), starts) for role, starts in STARTS.items()}
    # The pages went through the folding loader: the templates they used hold text, not tags.
    (loader,) = engines["django"].engine.template_loaders
    folded = {
        template.name
        for (_key, compiled_in), template in loader.get_template_cache.items()
        if compiled_in == language and isinstance(template.nodelist, LanguageNodeList)
    }
    assert len(folded) > 40
    project_templates = settings.TEMPLATES
    stock = [{**project_templates[0], "OPTIONS": {**project_templates[0]["OPTIONS"]}}]
    stock[0]["OPTIONS"]["loaders"] = STOCK_LOADERS
    # And Django's own tags and filters: {% url %} and `date` without the project's builtins.
    stock[0]["OPTIONS"]["builtins"] = []
    settings.TEMPLATES = stock
    theirs = {role: _render_again(_client(role, language), ours[role]) for role in ours}
    settings.TEMPLATES = project_templates
    differing = []
    for role, pages in ours.items():
        for path, html in pages.items():
            if html == theirs[role][path]:
                continue
            # A page that a visit changes (a case marked seen) is rendered once more with ours,
            # after the same visits as Django's.
            again = _html(_client(role, language).get(path))
            if again != theirs[role][path]:
                differing.append((role, path))
    assert differing == []
    assert sum(len(pages) for pages in ours.values()) > 40
