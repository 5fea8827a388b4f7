"""Error pages are the site's own: translated text, and never a stack trace or the error itself."""

import pytest
from django.test import Client

from tests.core.error_urls import FAILURE_DETAIL

pytestmark = pytest.mark.django_db


def test_an_unexpected_error_shows_the_friendly_page_without_its_details(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.error_urls"
    response = Client(raise_request_exception=False).get("/failing/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    for leak in (b"Traceback", b"RuntimeError", FAILURE_DETAIL.encode(), b"error_urls"):
        assert leak not in response.content


def test_an_unknown_address_shows_the_friendly_page_without_the_url_list(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"URLconf" not in response.content and b"urlpatterns" not in response.content
