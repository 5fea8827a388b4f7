"""One spelling of an address for sign-in, lock-out and registration: case variants are one account."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from accounts.addresses import email_normalize
from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _variants(email: str, count: int) -> list[str]:
    """`count` different spellings of one address: upper-case one more letter each time."""
    local, _at, domain = email.partition("@")
    spellings = [local[:index].upper() + local[index:] for index in range(1, len(local) + 1)]
    spellings = [f"{spelling}@{domain.upper()}" for spelling in spellings]
    assert len(set(spellings)) >= count
    return spellings[:count]


def test_the_normal_form_is_trimmed_and_lower_case():
    assert email_normalize("  Anna.Virtanen@Example.ORG ") == "anna.virtanen@example.org"
    assert email_normalize(None) == ""


def test_wrong_passwords_under_different_spellings_lock_the_one_account(applicant, settings):
    spellings = _variants(applicant.email, settings.AXES_FAILURE_LIMIT + 1)
    # Each guess from its own address, so that only the per-account count can lock.
    for number, spelling in enumerate(spellings[:-1]):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        response = guesser.post("/accounts/login/", {"username": spelling, "password": "wrong one"})
        # The guess that reaches the limit is already answered with the lock-out page.
        assert response.status_code == (429 if number == len(spellings) - 2 else 200)

    owner = Client(REMOTE_ADDR="203.0.113.7")
    response = owner.post("/accounts/login/", {"username": spellings[-1], "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in owner.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {applicant.email}


def test_the_right_password_under_another_spelling_signs_in(applicant):
    client = Client(REMOTE_ADDR="203.0.113.8")
    response = client.post(
        "/accounts/login/", {"username": f"  {applicant.email.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_registering_a_case_variant_of_an_existing_address_makes_no_second_account(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/register/",
            {
                "email": "TAKEN@Example.org",
                "new_password1": PASSWORD + " two",
                "new_password2": PASSWORD + " two",
                "preferred_language": "en",
            },
        )
    assert response["Location"] == "/accounts/verify-email/"
    assert list(User.objects.values_list("email", flat=True)) == ["taken@example.org"]
    assert client.session["accounts.pending_email"] == "taken@example.org"


def test_a_new_address_is_stored_in_its_normal_form(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/register/",
            {
                "email": "New.Person@Example.ORG",
                "new_password1": PASSWORD,
                "new_password2": PASSWORD,
                "preferred_language": "en",
            },
        )
    assert User.objects.get().email == "new.person@example.org"


def test_the_migration_stores_older_spellings_in_the_normal_form(make_user):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0007_normalise_stored_addresses")
    odd = make_user(email="odd@example.org")
    twin = make_user(email="twin@example.org")
    clash = make_user(email="clash@example.org")
    User.objects.filter(pk=odd.pk).update(email=" Odd@Example.ORG")
    User.objects.filter(pk=clash.pk).update(email="Twin@example.org")

    migration.forwards(apps, None)

    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[odd.pk] == "odd@example.org"
    assert emails[twin.pk] == "twin@example.org"
    assert emails[clash.pk] == "Twin@example.org"  # left for an operator to merge
