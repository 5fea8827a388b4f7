import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from audit.models import AuditEvent
from tests.accounts.helpers import code_from, without_tokens
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase"


def _request_code(client, email, capture):
    with capture(execute=True):
        return client.post("/accounts/password-reset/", {"email": email})


def test_known_and_unknown_addresses_get_identical_answers(
    applicant, django_capture_on_commit_callbacks
):
    known, unknown = Client(), Client()
    known_answer = _request_code(known, applicant.email, django_capture_on_commit_callbacks)
    unknown_answer = _request_code(
        unknown, "nobody@example.org", django_capture_on_commit_callbacks
    )
    assert known_answer.status_code == unknown_answer.status_code == 302
    assert known_answer["Location"] == unknown_answer["Location"]

    known_page = known.get(known_answer["Location"])
    unknown_page = unknown.get(unknown_answer["Location"])
    assert without_tokens(known_page.content) == without_tokens(unknown_page.content)

    known_wrong = known.post("/accounts/password-reset/code/", {"code": "12345678"})
    unknown_wrong = unknown.post("/accounts/password-reset/code/", {"code": "12345678"})
    assert without_tokens(known_wrong.content) == without_tokens(unknown_wrong.content)
    assert len(mail.outbox) == 1


def test_the_code_then_a_new_password_resets_it_and_ends_every_session(
    client, applicant, django_capture_on_commit_callbacks
):
    other_device = sign_in_with_second_factor(Client(), applicant)
    _request_code(client, applicant.email.upper(), django_capture_on_commit_callbacks)
    code = code_from(mail.outbox[-1])

    response = client.post("/accounts/password-reset/code/", {"code": code})
    assert response["Location"] == "/accounts/password-reset/new/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password-reset/new/",
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

    assert response["Location"] == "/accounts/login/"
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    assert applicant.session_generation == 1
    assert other_device.get("/accounts/security/")["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(applicant.pk))
    assert mail.outbox[-1].subject == "Your password was changed"


def test_a_reset_code_works_only_once(client, applicant, django_capture_on_commit_callbacks):
    _request_code(client, applicant.email, django_capture_on_commit_callbacks)
    code = code_from(mail.outbox[-1])
    client.post("/accounts/password-reset/code/", {"code": code})
    _request_code(client, applicant.email, django_capture_on_commit_callbacks)  # within a minute
    response = client.post("/accounts/password-reset/code/", {"code": code})
    assert response.status_code == 200
    assert b"The code is not right" in response.content


def test_the_new_password_must_pass_the_validators(
    client, applicant, django_capture_on_commit_callbacks
):
    _request_code(client, applicant.email, django_capture_on_commit_callbacks)
    client.post("/accounts/password-reset/code/", {"code": code_from(mail.outbox[-1])})
    response = client.post(
        "/accounts/password-reset/new/", {"new_password1": "password", "new_password2": "password"}
    )
    assert response.status_code == 200
    assert b"This password is too short" in response.content
    applicant.refresh_from_db()
    assert applicant.check_password("correct horse battery staple")


def test_the_new_password_page_needs_a_code_first(client):
    response = client.get("/accounts/password-reset/new/")
    assert response["Location"] == "/accounts/password-reset/"


def test_a_reset_unlocks_a_locked_account(
    client, applicant, settings, django_capture_on_commit_callbacks
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": applicant.email, "password": "wrong"})
    _request_code(client, applicant.email, django_capture_on_commit_callbacks)
    client.post("/accounts/password-reset/code/", {"code": code_from(mail.outbox[-1])})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password-reset/new/",
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(
        "/accounts/login/", {"username": applicant.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=applicant.pk).email_verified
