"""What a page costs beyond its own work: no database query on the public pages an anonymous
visitor (or a scam wave) opens, templates parsed once per process, and signed-in pages that do not
write the session on every request. bench/page_floor.py measures the time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.template.loaders import app_directories, cached, filesystem
from django.test.utils import CaptureQueriesContext

from core import template_loader

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES_WITHOUT_QUERIES = [
    "/",
    "/trust/check/",
    "/accounts/login/",
    "/securemail/",
    "/trust/verify/",
    "/accessibility/",
    "/privacy/",
]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES_WITHOUT_QUERIES)
def test_an_anonymous_public_page_makes_no_database_query(client, path, django_assert_num_queries):
    client.get(path)  # the first request of a process may load what every later one reuses
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response.status_code == 200


def test_templates_are_parsed_once_per_process_with_the_cached_loader(settings):
    """Every mode wraps the loaders in Django's cached loader, one copy per language
    (core.template_loader, a subclass of it, named in config/settings.py)."""
    (loader,) = engines["django"].engine.template_loaders
    assert isinstance(loader, cached.Loader)
    assert isinstance(loader, template_loader.Loader)
    assert [type(one) for one in loader.loaders] == [filesystem.Loader, app_directories.Loader]


def test_a_signed_in_page_reads_session_user_and_authenticator_once_and_writes_no_session(
    applicant_client,
):
    applicant_client.get("/applications/")
    with CaptureQueriesContext(connection) as queries:
        assert applicant_client.get("/applications/").status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]

    def touching(table: str) -> list[str]:
        return [item for item in sql if f'"{table}"' in item]

    # One statement reads the session with its user and authenticator (accounts.sessions).
    (session_read,) = touching("accounts_session")
    assert session_read.startswith("SELECT")
    assert [item for item in touching("accounts_user") if item.startswith("SELECT")] == [
        session_read
    ]
    assert touching("accounts_authenticatordevice") == [session_read]


@pytest.mark.parametrize(
    "template",
    [
        "casework/templates/casework/queue.html",
        "applications/templates/applications/home.html",
        "applications/templates/applications/includes/attachment_list.html",
        "casework/templates/casework/securemail/inbox.html",
        # The caseworker's case page writes its attachment rows in Python
        # (casework_tags.attachment_rows), its labels translated once a call.
    ],
)
def test_a_lists_card_labels_are_translated_once_a_page_not_once_a_row(template):
    """The queue (up to 50 rows), the home page and the attachment tables label every row's cells
    for phones: those labels are translated once before the loop ({% translate ... as name %})."""
    from django.conf import settings

    source = (settings.BASE_DIR / template).read_text()
    assert 'data-label="{% translate' not in source
    assert 'data-label="{{' in source
