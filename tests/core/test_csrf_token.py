"""The CSRF token in forms (core.csrf): Django's format and protection with a faster mask."""

import collections
import re

import pytest
from django.middleware import csrf as django_csrf
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_TOKEN_LENGTH, _unmask_cipher_token
from django.template import RequestContext, Template
from django.test import Client, RequestFactory

from core import csrf
from core.context_processors import csrf as csrf_context

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"
TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_masked_token_is_read_back_by_djangos_own_unmasking():
    for _ in range(200):
        secret = django_csrf._get_new_csrf_string()
        token = csrf.mask_cipher_secret(secret)
        assert len(token) == CSRF_TOKEN_LENGTH
        assert set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret


def test_the_token_differs_each_time():
    tokens = {csrf.mask_cipher_secret(SECRET) for _ in range(1000)}
    assert len(tokens) == 1000


def test_every_character_of_the_mask_is_equally_likely():
    # Without the rejection of bytes 248–255 the first 8 characters would come 25 % more often
    # (5/256 against 4/256): about 1,290 against 1,032 here, far outside this bound (4 sigma).
    counts = collections.Counter()
    for _ in range(2000):
        counts.update(csrf.mask_cipher_secret(SECRET)[:32])
    expected = 2000 * 32 / len(CSRF_ALLOWED_CHARS)
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(abs(count - expected) < 4 * expected**0.5 for count in counts.values())


def test_random_indexes_are_within_the_alphabet_even_when_a_draw_falls_short(monkeypatch):
    draws = iter([bytes([255] * 40), bytes(range(200, 240))])
    monkeypatch.setattr(csrf.secrets, "token_bytes", lambda count: next(draws))
    indexes = csrf.random_indexes(32)
    assert list(indexes) == [value % 62 for value in range(200, 232)]


def test_a_secret_django_did_not_make_is_treated_as_django_treats_it():
    for secret in ("é" * 32, "-" * 32):
        with pytest.raises(ValueError):
            django_csrf._mask_cipher_secret(secret)
        with pytest.raises(ValueError):
            csrf.mask_cipher_secret(secret)
    assert len(csrf.mask_cipher_secret("short")) == len(django_csrf._mask_cipher_secret("short"))


@pytest.mark.parametrize("has_cookie", [True, False])
def test_get_token_treats_the_cookie_as_djangos_get_token_does(has_cookie):
    ours, djangos = RequestFactory().get("/"), RequestFactory().get("/")
    if has_cookie:
        ours.META["CSRF_COOKIE"] = djangos.META["CSRF_COOKIE"] = SECRET
    ours_token, djangos_token = csrf.get_token(ours), django_csrf.get_token(djangos)
    assert ours.META.keys() == djangos.META.keys()
    assert ours.META["CSRF_COOKIE_NEEDS_UPDATE"] is djangos.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _unmask_cipher_token(ours_token) == ours.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(djangos_token) == djangos.META["CSRF_COOKIE"]
    if has_cookie:
        assert ours.META["CSRF_COOKIE"] == SECRET


def test_templates_get_this_token_not_djangos(monkeypatch):
    monkeypatch.setattr(django_csrf, "_mask_cipher_secret", None)  # Django's would now fail
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    assert _unmask_cipher_token(str(csrf_context(request)["csrf_token"])) == SECRET


@pytest.mark.django_db
def test_a_form_posted_with_the_pages_token_passes_and_a_wrong_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = TOKEN_FIELD.search(page.content).group(1).decode()
    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
    form = {"username": "nobody@example.org", "password": "wrong password"}
    assert (
        client.post("/accounts/login/", {**form, "csrfmiddlewaretoken": token}).status_code == 200
    )
    wrong = csrf.mask_cipher_secret(django_csrf._get_new_csrf_string())
    assert (
        client.post("/accounts/login/", {**form, "csrfmiddlewaretoken": wrong}).status_code == 403
    )
    assert client.post("/accounts/login/", form).status_code == 403


def test_a_template_without_a_form_makes_no_token():
    request = RequestFactory().get("/")
    Template("{{ authority.name }}").render(RequestContext(request, {}))
    assert "CSRF_COOKIE" not in request.META
    Template("{% csrf_token %}").render(RequestContext(request, {}))
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
