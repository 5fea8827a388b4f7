"""Every page the test client reaches, in fi, sv and en, is byte for byte the page Django's own
cached loader renders (core.template_loader folds translations into text; nothing else may
change). The pages are found by following each role's links from the starting points of the
browser tests (tests/accessibility/test_every_page.py), after the demo data of `make run`."""

from __future__ import annotations

import io
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.test import Client

from accounts.models import User
from core.template_loader import LanguageNodeList
from tests.accessibility.site_map import EXCLUDED
from tests.accessibility.test_every_page import DEMO_EMAIL, NOT_PAGES, STARTS, _name
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv", "en")
PER_PATTERN = 2
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


def _crawl(client: Client, starts: list[str]) -> dict[str, str]:
    """Breadth-first over the site's own links: each page's HTML, PER_PATTERN pages a pattern."""
    queue, seen, pages = list(starts), set(), {}
    per_pattern: Counter = Counter()
    while queue:
        path = queue.pop(0)
        name = _name(path)
        if path in seen or name is None or name in EXCLUDED or NOT_PAGES.search(path):
            continue
        seen.add(path)
        if per_pattern[name] >= PER_PATTERN or "logout" in path:
            continue
        html = _html(client.get(path))
        if html is None or path.startswith(CHANGED_BY_EACH_VISIT):
            continue
        per_pattern[name] += 1
        pages[path] = html
        for href in HREF.findall(html):
            target = urlsplit(urljoin(f"https://testserver{path}", href.replace("&amp;", "&")))
            if target.netloc in ("testserver", ""):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def _render_again(client: Client, paths) -> dict[str, str]:
    return {path: _html(client.get(path)) for path in paths}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_the_page_djangos_own_loader_renders(settings, language):
    call_command("load_demo_data", stdout=io.StringIO())
    ours = {role: _crawl(_client(role, language), starts) for role, starts in STARTS.items()}
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
