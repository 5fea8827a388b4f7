import pytest
from django.core.mail import EmailMultiAlternatives

pytestmark = pytest.mark.django_db


def test_the_mailbox_does_not_exist_outside_development(client, settings):
    assert settings.MODE != "development"
    assert client.get("/accounts/dev-mailbox/").status_code == 404


def test_in_development_mail_written_to_files_is_listed_and_shown(client, settings, tmp_path):
    settings.MODE = "development"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    message = EmailMultiAlternatives(
        "Your code", "The code is 12345678", "no-reply@example.org", ["a@example.org"]
    )
    message.send()
    [written] = list(tmp_path.glob("*.log"))

    listing = client.get("/accounts/dev-mailbox/")
    shown = client.get(f"/accounts/dev-mailbox/{written.name}/")

    assert listing.status_code == 200 and b"Your code" in listing.content
    assert shown.status_code == 200 and b"The code is 12345678" in shown.content


def test_the_mailbox_serves_only_files_in_its_folder(client, settings, tmp_path):
    settings.MODE = "development"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    (tmp_path / "secret.log").write_text("x")
    assert client.get("/accounts/dev-mailbox/..%2Fsecret.log/").status_code == 404
    assert client.get("/accounts/dev-mailbox/missing.log/").status_code == 404
