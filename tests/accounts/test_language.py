import pytest
from django.core import mail

from accounts.models import User
from accounts.services import password_reset_request

pytestmark = pytest.mark.django_db


def test_switching_language_in_the_header_saves_it_for_a_signed_in_user(
    applicant_client, applicant
):
    response = applicant_client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.preferred_language == "sv"


def test_an_unknown_language_is_not_saved(applicant_client, applicant):
    applicant_client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    applicant.refresh_from_db()
    assert applicant.preferred_language == ""


def test_switching_language_without_an_account_only_sets_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert response.cookies["django_language"].value == "sv"


def test_the_saved_language_is_used_when_the_browser_has_no_choice(client, make_user):
    from tests.conftest import sign_in_with_second_factor

    user = make_user(preferred_language="sv")
    sign_in_with_second_factor(client, user)
    response = client.get("/accounts/security/")
    assert b'<html lang="sv">' in response.content


def test_emails_go_out_in_the_recipients_language(make_user, django_capture_on_commit_callbacks):
    user = make_user(email="svensson@example.org", preferred_language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_request(email=user.email)
    [sent] = mail.outbox
    assert sent.extra_headers["Content-Language"] == "sv"
    html = sent.alternatives[0][0]
    assert '<html lang="sv">' in html


def test_registration_stores_the_chosen_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/register/",
            {
                "email": "fi@example.org",
                "new_password1": "purple elephants dance quietly",
                "new_password2": "purple elephants dance quietly",
                "preferred_language": "fi",
            },
        )
    assert User.objects.get(email="fi@example.org").preferred_language == "fi"
    assert mail.outbox[0].extra_headers["Content-Language"] == "fi"
