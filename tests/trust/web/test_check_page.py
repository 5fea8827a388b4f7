import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trust.models import ScamReport

from .helpers import SCAM_TEXT, small_eml

pytestmark = pytest.mark.django_db


def test_the_page_needs_no_account(client):
    response = client.get("/trust/check/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="text-text"' in html and 'name="eml-eml"' in html and 'name="url-url"' in html


def test_pasted_text_shows_the_verdict_explanations_advice_and_report_button(client):
    response = client.post(
        "/trust/check/", {"mode": "text", "text-text": SCAM_TEXT, "text-channel": "sms"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="verdict verdict-scam"' in html or 'class="verdict verdict-suspicious"' in html
    assert "migri-fi.com" in html
    assert "What to do" in html
    assert 'action="/trust/report/"' in html and 'name="text-reporter_address"' in html
    assert ScamReport.objects.count() == 0


def test_an_uploaded_email_file_is_checked(client):
    upload = SimpleUploadedFile("message.eml", small_eml(), content_type="message/rfc822")
    response = client.post("/trust/check/", {"mode": "eml", "eml-eml": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "verdict verdict-" in html
    assert 'name="eml-raw_b64"' in html


def test_an_address_is_checked(client):
    response = client.post(
        "/trust/check/", {"mode": "url", "url-url": "https://migri-fi.com/login"}
    )
    assert response.status_code == 200
    assert "verdict verdict-" in response.content.decode()


def test_an_email_file_over_the_limit_is_refused_with_a_clear_error(client, settings):
    settings.TRUST_MAX_MESSAGE_BYTES = 1000
    upload = SimpleUploadedFile(
        "big.eml", small_eml(body="z" * 5000), content_type="message/rfc822"
    )
    response = client.post("/trust/check/", {"mode": "eml", "eml-eml": upload})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_a_missing_file_or_empty_text_is_a_form_error_not_a_server_error(client):
    assert client.post("/trust/check/", {"mode": "eml"}).status_code == 400
    assert client.post("/trust/check/", {"mode": "text", "text-text": ""}).status_code == 400
    assert client.post("/trust/check/", {"mode": "nonsense"}).status_code == 200


def test_a_damaged_email_file_still_gets_an_answer(client):
    upload = SimpleUploadedFile(
        "bad.eml", b"\x00\xff\xfe garbage \r\n\r\n\x80", content_type="message/rfc822"
    )
    response = client.post("/trust/check/", {"mode": "eml", "eml-eml": upload})
    assert response.status_code in {200, 400}


def test_too_many_checks_answer_429(client, settings):
    settings.RATE_LIMITS = {"trust.check": (1, 60)}
    client.post("/trust/check/", {"mode": "url", "url-url": "https://migri.fi"})
    response = client.post("/trust/check/", {"mode": "url", "url-url": "https://migri.fi"})
    assert response.status_code == 429
    assert response["Retry-After"]


def test_the_trust_center_front_page_links_everything(client):
    response = client.get("/trust/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in (
        "/trust/check/",
        "/trust/verify/",
        "/trust/report/",
        "/trust/channels/",
        "/trust/channels.json",
    ):
        assert f'href="{path}"' in html
