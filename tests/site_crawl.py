"""The site's pages found by following its own links: one breadth-first crawl for the tests that
visit every page (tests/accessibility/test_every_page.py in Chromium,
tests/core/test_template_loader_pages.py with Django's test client). Each test passes how it fetches
a page; the crawl decides which addresses to fetch."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable, Iterable
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

from tests.accessibility.site_map import EXCLUDED

# How many addresses of one pattern are visited (a queue of 30 cases is one template).
PER_PATTERN = 2
NOT_PAGES = re.compile(r"\.(pdf|csv|json|txt)$|/download/|/files/")
DEMO_EMAIL = {
    "applicant": "applicant@demo.invalid",
    "caseworker": "caseworker@demo.invalid",
    "administrator": "admin@demo.invalid",
}
STARTS = {
    "anonymous": [
        "/",
        "/trust/",
        "/trust/check/",
        "/trust/verify/",
        "/trust/report/",
        "/securemail/",
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/password-reset/",
        "/accounts/logout/",
    ],
    # The sign-out page is a form (the header's button posts it): reached by its address, and a
    # GET signs no one out.
    "applicant": [
        "/",
        "/applications/",
        "/applications/start/",
        "/accounts/security/",
        "/accounts/logout/",
    ],
    "caseworker": [
        "/",
        "/casework/",
        "/casework/securemail/",
        "/accounts/security/",
        "/accounts/logout/",
    ],
    "administrator": [
        "/",
        "/audit/",
        "/trust/campaigns/",
        "/trust/channels/manage/",
        "/payments/admin/",
        "/payments/fees/",
        "/payments/fees/new/",
        "/securemail/topics/",
        "/securemail/topics/new/",
        "/accounts/logout/",
    ],
}


class Visit(NamedTuple):
    """A fetched page: the address it ended on (after any redirect) and its links, each an
    absolute URL."""

    landed: str
    links: Iterable[str]


def view_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def crawl(
    starts: Iterable[str],
    fetch: Callable[[str], Visit | None],
    *,
    base: str,
    skip: Callable[[str], bool] = lambda path: False,
) -> None:
    """Breadth-first from `starts` over the links to `base` (scheme://host): fetch(path) for
    PER_PATTERN addresses of each named pattern, except the ones `skip` names. A fetch that
    returns None (not a page: an error, a download) does not count towards its pattern."""
    queue = deque(starts)
    seen: set[str] = set()
    per_pattern: Counter = Counter()
    while queue:
        path = queue.popleft()
        name = view_name(path)
        if path in seen or name is None or name in EXCLUDED or NOT_PAGES.search(path):
            continue
        seen.add(path)
        if per_pattern[name] >= PER_PATTERN or skip(path):
            continue
        visit = fetch(path)
        if visit is None:
            continue
        landed = urlsplit(urljoin(base + path, visit.landed)).path
        if landed != urlsplit(path).path:
            seen.add(landed)
        per_pattern[view_name(landed)] += 1
        for link in visit.links:
            target = urlsplit(link)
            if f"{target.scheme}://{target.netloc}" == base:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
