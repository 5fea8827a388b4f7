"""Rate limits and sign-in lock-outs count an IPv6 client by its /64, an IPv4 client by its address."""

import pytest
from django.test import Client

from core.ratelimit import address_key

PASSWORD = "purple elephants dance quietly"


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("192.0.2.2", "192.0.2.2"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:DB8:1:2:0:0:0:9", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("fe80::1%eth0", "fe80::"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::ffff:c000:0201", "192.0.2.1"),
        ("", "unknown"),
        ("not an address", "not an address"),
    ],
)
def test_the_key_is_the_ipv4_address_or_the_ipv6_slash_64(address, key):
    assert address_key(address) == key


def _register(remote_address: str, email: str) -> int:
    return (
        Client(REMOTE_ADDR=remote_address)
        .post(
            "/accounts/register/",
            {
                "email": email,
                "new_password1": PASSWORD,
                "new_password2": PASSWORD,
                "preferred_language": "en",
            },
        )
        .status_code
    )


@pytest.mark.django_db
def test_new_addresses_from_one_ipv6_slash_64_share_one_limit(settings):
    settings.RATE_LIMITS = {"accounts.register": (2, 3600)}
    assert _register("2001:db8:1:2::1", "first@example.org") == 302
    assert _register("2001:db8:1:2::2", "second@example.org") == 302
    assert _register("2001:db8:1:2:a:b:c:d", "third@example.org") == 429
    # The neighbouring /64 is another customer.
    assert _register("2001:db8:1:3::1", "fourth@example.org") == 302


@pytest.mark.django_db
def test_ipv4_clients_are_limited_each_on_their_own_also_when_mapped_into_ipv6(settings):
    settings.RATE_LIMITS = {"accounts.register": (1, 3600)}
    assert _register("192.0.2.1", "first@example.org") == 302
    assert _register("192.0.2.2", "second@example.org") == 302
    # A dual-stack socket reports the first client as ::ffff:192.0.2.1: the same client.
    assert _register("::ffff:192.0.2.1", "third@example.org") == 429


@pytest.mark.django_db
def test_the_check_api_limits_an_ipv6_slash_64_as_one_client(settings):
    settings.RATE_LIMITS = {"trust.api.check": (1, 3600)}
    settings.TRUST_DNS_ENABLED = False
    body = {"url": "https://example.org/"}

    def check(address):
        return Client(REMOTE_ADDR=address).post(
            "/api/v1/check", body, content_type="application/json"
        )

    assert check("2001:db8:5:6::10").status_code == 200
    assert check("2001:db8:5:6::11").status_code == 429


@pytest.mark.django_db
def test_sign_in_lock_outs_count_an_ipv6_slash_64_as_one_address(make_user, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"2001:db8:9:9::{number + 1}").post(
            "/accounts/login/", {"username": f"guess{number}@example.org", "password": "x" * 12}
        )
    victim = make_user()
    locked = Client(REMOTE_ADDR="2001:db8:9:9::ab").post(
        "/accounts/login/", {"username": victim.email, "password": "correct horse battery staple"}
    )
    assert locked.status_code == 429
    elsewhere = Client(REMOTE_ADDR="2001:db8:9:a::1").post(
        "/accounts/login/", {"username": victim.email, "password": "correct horse battery staple"}
    )
    assert elsewhere.status_code == 302


def test_lock_outs_get_no_key_for_a_request_without_an_address():
    from django.test import RequestFactory

    from core.ratelimit import lockout_address

    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert lockout_address(request) is None
    request.META["REMOTE_ADDR"] = "2001:db8:7:8::5"
    assert lockout_address(request) == "2001:db8:7:8::"
