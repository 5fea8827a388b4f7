import pytest
from django.core import mail as django_mail

from accounts.models import OneTimeCode, User
from tests.accounts.helpers import code_from

pytestmark = pytest.mark.django_db

PASSWORD = "purple elephants dance quietly"


def _register(client, email="new.person@example.org", password=PASSWORD, again=None, language="en"):
    return client.post(
        "/accounts/register/",
        {
            "email": email,
            "new_password1": password,
            "new_password2": password if again is None else again,
            "preferred_language": language,
        },
    )


def test_registration_then_the_code_from_the_mail_verifies_the_address(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/verify-email/"
    user = User.objects.get(email="new.person@example.org")
    assert not user.email_verified
    [received] = smtp_server.outbox
    assert received.envelope_to == ["new.person@example.org"]
    assert "https://" not in received.text and "http://" not in received.text

    response = client.post(
        "/accounts/verify-email/", {"action": "verify", "code": code_from(received)}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert user.email_verified


def test_only_a_hash_of_the_code_is_stored(client, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    code = code_from(smtp_server.outbox[0])
    row = OneTimeCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_a_wrong_code_is_refused_with_a_clear_error(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    response = client.post("/accounts/verify-email/", {"action": "verify", "code": "00000000"})
    assert response.status_code == 200
    assert b"The code is not right" in response.content
    assert not User.objects.get().email_verified


def test_the_code_stops_working_after_five_wrong_attempts(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    code = code_from(django_mail.outbox[-1])
    wrong = "11111111" if code != "11111111" else "22222222"
    for _ in range(5):
        client.post("/accounts/verify-email/", {"action": "verify", "code": wrong})
    client.post("/accounts/verify-email/", {"action": "verify", "code": code})
    assert not User.objects.get().email_verified


def test_an_expired_code_is_refused(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    code = code_from(django_mail.outbox[-1])
    from datetime import timedelta

    from django.utils import timezone

    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post("/accounts/verify-email/", {"action": "verify", "code": code})
    assert not User.objects.get().email_verified


def test_a_new_code_replaces_the_old_one(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    first = code_from(django_mail.outbox[-1])
    OneTimeCode.objects.update(created_at=OneTimeCode.objects.get().created_at.replace(year=2000))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/verify-email/", {"action": "resend"})
    assert response.status_code == 302
    assert len(django_mail.outbox) == 2
    second = code_from(django_mail.outbox[-1])
    if first != second:
        client.post("/accounts/verify-email/", {"action": "verify", "code": first})
        assert not User.objects.get().email_verified
    client.post("/accounts/verify-email/", {"action": "verify", "code": second})
    assert User.objects.get().email_verified


def test_new_codes_are_not_sent_more_than_once_a_minute(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
        client.post("/accounts/verify-email/", {"action": "resend"})
        client.post("/accounts/verify-email/", {"action": "resend"})
    assert len(django_mail.outbox) == 1


def test_registering_an_existing_address_looks_the_same_and_sends_a_notice_not_a_code(
    client, make_user, smtp_server, django_capture_on_commit_callbacks
):
    owner = make_user(email="taken@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        taken = _register(client, email="Taken@example.org")
    taken_page = client.get(taken["Location"])
    other_client = type(client)()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _register(other_client, email="fresh@example.org")
    fresh_page = other_client.get(fresh["Location"])

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    from tests.accounts.helpers import without_tokens

    assert without_tokens(taken_page.content) == without_tokens(fresh_page.content)
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password("correct horse battery staple")
    notice = next(m for m in smtp_server.outbox if m.envelope_to == ["taken@example.org"])
    assert "already have an account" in notice.text
    assert not any(ch.isdigit() for ch in notice.text.split("--")[0])


def test_a_code_typed_for_an_existing_address_gets_the_same_error(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, email="taken@example.org")
    response = client.post("/accounts/verify-email/", {"action": "verify", "code": "12345678"})
    assert response.status_code == 200
    assert b"The code is not right" in response.content


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", b"This password is too short"),
        ("password1234", b"This password is too common"),
        ("12345678901234", b"This password is entirely numeric"),
        ("x" * 129, b"This password is too long"),
    ],
)
def test_weak_passwords_are_refused_and_the_address_is_kept(client, password, message):
    response = _register(client, password=password)
    assert response.status_code == 200
    assert message in response.content
    assert b'value="new.person@example.org"' in response.content
    assert not User.objects.exists()


def test_passwords_that_differ_are_refused(client):
    response = _register(client, again=PASSWORD + "x")
    assert b"The two passwords are not the same" in response.content
    assert not User.objects.exists()


def test_a_password_like_the_address_is_refused(client):
    response = _register(
        client, email="marjatta.virtanen@example.org", password="marjatta.virtanen"
    )
    assert b"too similar" in response.content


def test_a_tampered_registration_post_answers_with_form_errors_not_a_crash(client):
    response = client.post(
        "/accounts/register/",
        {
            "email": ["a@example.org", "b@example.org"],
            "preferred_language": "xx",
            "new_password1": "",
        },
    )
    assert response.status_code == 200
    assert b"error-summary" in response.content


def test_the_verify_page_without_a_registration_sends_the_visitor_to_sign_in(client):
    assert client.get("/accounts/verify-email/")["Location"] == "/accounts/login/"
