import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_an_operator_creates_a_caseworker_from_a_password_file(tmp_path, capsys):
    secret = tmp_path / "password"
    secret.write_text("a long and private passphrase\n")
    call_command(
        "create_staff_user",
        "--email",
        "Case.Worker@Example.org",
        "--role",
        "caseworker",
        "--password-file",
        str(secret),
    )
    user = User.objects.get()
    assert (user.email, user.role, user.is_staff) == (
        "case.worker@example.org",
        "caseworker",
        False,
    )
    assert user.email_verified and user.check_password("a long and private passphrase")
    assert "case.worker" not in capsys.readouterr().out


def test_an_administrator_is_created_with_a_prompted_password(monkeypatch):
    answers = iter(["a long and private passphrase", "a long and private passphrase"])
    # getpass reads from the terminal, which a test does not have: a stand-in for the prompt.
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_staff_user", "--email", "admin@example.org", "--role", "administrator")
    assert User.objects.get().is_administrator


def test_a_weak_password_is_refused(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("password")
    with pytest.raises(CommandError, match="too short"):
        call_command(
            "create_staff_user",
            "--email",
            "a@example.org",
            "--role",
            "caseworker",
            "--password-file",
            str(secret),
        )
    assert not User.objects.exists()


def test_applicant_is_not_a_staff_role():
    with pytest.raises(CommandError):
        call_command("create_staff_user", "--email", "a@example.org", "--role", "applicant")


def test_an_existing_address_is_refused(tmp_path, make_user):
    make_user(email="taken@example.org")
    secret = tmp_path / "password"
    secret.write_text("a long and private passphrase")
    with pytest.raises(CommandError):
        call_command(
            "create_staff_user",
            "--email",
            "taken@example.org",
            "--role",
            "caseworker",
            "--password-file",
            str(secret),
        )


def test_a_caseworker_is_created_with_the_name_colleagues_see(tmp_path, capsys):
    secret = tmp_path / "password"
    secret.write_text("a long and private passphrase\n")
    call_command(
        "create_staff_user",
        "--email",
        "aino@example.org",
        "--role",
        "caseworker",
        "--name",
        "  Aino   Käsittelijä ",
        "--password-file",
        str(secret),
    )
    user = User.objects.get()
    assert user.full_name == "Aino Käsittelijä"
    assert user.display_name == "Aino Käsittelijä"
    # Operators' terminals are logged: neither the address nor the name is printed.
    assert "Aino" not in capsys.readouterr().out
