"""The trust center takes .eml files up to its own limit, larger than the attachment limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

EMAIL = (
    b"From: Migri <migri.service@gmail.com>\r\nTo: reader@example.com\r\nSubject: Permit\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Confirm your passport number at https://migri-fi.com\r\n"
)


@pytest.mark.django_db
def test_an_eml_larger_than_the_attachment_limit_is_still_checked(client, settings):
    settings.UPLOAD_MAX_BYTES = 1_000
    settings.TRUST_MAX_MESSAGE_BYTES = 50_000
    padded = EMAIL + b"x" * 3_000 + b"\r\n"
    response = client.post(
        "/trust/check/",
        {"mode": "eml", "eml-eml": SimpleUploadedFile("message.eml", padded)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert b"migri-fi.com" in response.content


@pytest.mark.django_db
def test_an_eml_over_the_trust_limit_is_refused_with_a_clear_error(client, settings):
    settings.UPLOAD_MAX_BYTES = 1_000
    settings.TRUST_MAX_MESSAGE_BYTES = 2_000
    padded = EMAIL + b"x" * 3_000 + b"\r\n"
    response = client.post(
        "/trust/check/",
        {"mode": "eml", "eml-eml": SimpleUploadedFile("message.eml", padded)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert b"The file is larger than" in response.content
