"""In development the authority's address in emails and security.txt is the one `serve` really
serves on; production names it explicitly (core.W003 in tests/core/test_deploy_settings.py)."""

import pytest
from django.test import override_settings

from core.management.commands.serve import (
    child_environment,
    development_base_url,
    receiver_ports,
)
from notifications.services import email_render


@pytest.mark.parametrize(
    ("host", "port", "address"),
    [
        ("127.0.0.1", 8010, "http://localhost:8010"),
        ("0.0.0.0", 8123, "http://localhost:8123"),  # noqa: S104
        ("::", 9000, "http://localhost:9000"),
        ("::1", 8001, "http://localhost:8001"),
        ("192.0.2.7", 8002, "http://192.0.2.7:8002"),
        ("2001:db8::7", 8003, "http://[2001:db8::7]:8003"),
        ("dev.example.org", 8080, "http://dev.example.org:8080"),
    ],
)
def test_the_development_address_is_where_the_server_answers(host, port, address):
    assert development_base_url(host, port) == address


def test_serve_hands_its_own_address_to_the_web_server_and_the_worker():
    environment = child_environment("127.0.0.1", 8010, {"PATH": "/usr/bin"})
    assert environment["PUBLIC_BASE_URL"] == "http://localhost:8010"
    assert environment["PATH"] == "/usr/bin"


def test_an_address_set_by_hand_is_kept():
    environment = child_environment("127.0.0.1", 8010, {"PUBLIC_BASE_URL": "https://x.example"})
    assert environment["PUBLIC_BASE_URL"] == "https://x.example"


@pytest.mark.django_db
def test_security_txt_names_the_address_the_server_runs_on(client):
    with override_settings(PUBLIC_BASE_URL="http://localhost:8010"):
        text = client.get("/.well-known/security.txt").content.decode()
    assert "Canonical: http://localhost:8010/.well-known/security.txt" in text
    assert "localhost:8000" not in text


def test_emails_name_the_address_the_server_runs_on(settings):
    settings.PUBLIC_BASE_URL = development_base_url("127.0.0.1", 8010)
    _subject, text, html = email_render(
        template_prefix="notifications/case_received",
        context={"eservice_address": "enterfinland.fi", "code": "ABC-123"},
        language="en",
    )
    assert "localhost:8010" in text and "localhost:8010" in html
    assert "localhost:8000" not in text + html


def test_the_receivers_get_the_ports_asked_for_or_distinct_free_ones():
    assert receiver_ports(8000, 2525, 2526) == [2525, 2526]
    reports, plain_email = receiver_ports(8000, 0, 0)
    assert len({8000, reports, plain_email}) == 3
    assert receiver_ports(8000, 0, 2526)[1] == 2526
    assert receiver_ports(8000, 0, 2526)[0] not in {8000, 2526}
