"""Behind a trusted reverse proxy, rate limits and the audit log see each client's own address."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from core.middleware import (
    _address,
    _is_trusted,
    _is_trusted_peer,
    _trusted_networks,
    client_behind_proxies,
)

PASSWORD = "purple elephants dance quietly"
PROXIES = _trusted_networks(("10.0.0.0/8", "2001:db8::1"))


def _register(client, email):
    return client.post(
        "/accounts/register/",
        {
            "email": email,
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
            "preferred_language": "en",
        },
    )


@pytest.mark.django_db
def test_clients_behind_one_trusted_proxy_are_limited_each_on_their_own(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATE_LIMITS = {"accounts.register": (1, 3600)}
    first = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert _register(first, "first@example.org").status_code == 302
    assert _register(second, "second@example.org").status_code == 302
    assert _register(first, "third@example.org").status_code == 429
    addresses = set(
        AuditEvent.objects.filter(action="account.registered").values_list("ip_address", flat=True)
    )
    assert addresses == {"198.51.100.7", "198.51.100.8"}


@pytest.mark.django_db
def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATE_LIMITS = {"accounts.register": (1, 3600)}
    assert _register(Client(REMOTE_ADDR="192.0.2.1"), "first@example.org").status_code == 302
    spoofing = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert _register(spoofing, "second@example.org").status_code == 429


@pytest.mark.django_db
def test_without_trusted_proxies_x_forwarded_for_is_never_read(client):
    Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.9").post(
        "/accounts/register/",
        {
            "email": "someone@example.org",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
            "preferred_language": "en",
        },
    )
    assert AuditEvent.objects.get(action="account.registered").ip_address == "192.0.2.1"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),
        # The client wrote the left entry itself; the proxy appended the address it saw.
        ("10.0.0.5", "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        # Two proxies of ours in a row.
        ("10.0.0.5", "198.51.100.7, 10.1.2.3", "198.51.100.7"),
        ("2001:db8::1", "2001:db8:ffff::7", "2001:db8:ffff::7"),
        ("10.0.0.5", "not-an-address", None),
        ("10.0.0.5", "", None),
        ("192.0.2.1", "198.51.100.7", None),
        ("", "198.51.100.7", None),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(remote, forwarded, client):
    assert client_behind_proxies(remote, forwarded, PROXIES) == client


@pytest.mark.django_db
def test_one_client_locked_out_behind_the_proxy_does_not_lock_out_the_others(settings, make_user):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    guesser = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for number in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(
            "/accounts/login/", {"username": f"guess{number}@example.org", "password": "x" * 12}
        )
    user = make_user()
    credentials = {"username": user.email, "password": "correct horse battery staple"}
    assert guesser.post("/accounts/login/", credentials).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.post("/accounts/login/", credentials)["Location"] == "/accounts/two-factor/setup/"


@pytest.mark.parametrize(
    "remote",
    ["10.0.0.5", " 10.1.2.3 ", "2001:db8::1", "2001:db8::2", "192.0.2.1", "", "not an address"],
)
def test_the_peer_is_trusted_as_parsing_its_address_each_time_trusts_it(remote):
    for _ in range(2):  # the first answer and the remembered one
        assert _is_trusted_peer(remote, PROXIES) == _is_trusted(_address(remote), PROXIES)
    assert _is_trusted_peer(remote, ()) is False
