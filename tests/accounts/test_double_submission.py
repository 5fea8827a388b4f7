"""Account forms sent twice: one account, one message, no confusing second answer."""

import pytest
from django.core import mail

from accounts.models import User
from tests.applications.test_double_submission import token_from

pytestmark = pytest.mark.django_db

PASSWORD = "purple elephants dance quietly"


def test_double_clicking_register_sends_one_code_and_no_existing_account_notice(
    client, django_capture_on_commit_callbacks
):
    data = {
        "email": "new.person@example.org",
        "new_password1": PASSWORD,
        "new_password2": PASSWORD,
        "preferred_language": "en",
        "submission_token": token_from(client.get("/accounts/register/")),
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/accounts/register/", data)
        second = client.post("/accounts/register/", data)

    assert first["Location"] == second["Location"] == "/accounts/verify-email/"
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "already have an account" not in mail.outbox[0].body
