"""Production settings: secure by default, and `check --deploy` reports nothing."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dkim_key_file(tmp_path) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "dkim.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(path)


def _confirmed_profile(tmp_path) -> str:
    """The shipped profile as a deployment has it once the authority has confirmed every fact."""
    data = json.loads((ROOT / "core" / "profiles" / "migri.json").read_text(encoding="utf-8"))
    del data["unconfirmed"]
    path = tmp_path / "confirmed-profile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _production_env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PERMITSAFE_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        PERMITSAFE_MODE="production",
        PERMITSAFE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(60),
        KEY_ENCRYPTION_KEYS="k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="permits.example.org",
        CLAMD_SOCKET="/run/clamav/clamd.ctl",
        DKIM_PRIVATE_KEY_FILE=_dkim_key_file(tmp_path),
        TRUSTED_PROXIES="10.0.0.0/8",
        PUBLIC_BASE_URL="https://permits.example.org",
        # A deployment's own gateway, named by its dotted path (notifications.sms).
        SMS_BACKEND="tests.core.deployment_sms_gateway.DeploymentGateway",
        # Payments (issue 10): Paytrail's test merchant; production refuses the embedded provider.
        PAYTRAIL_MERCHANT_ID="375917",
        PAYTRAIL_SECRET_KEY="SAIPPUAKAUPPIAS",
        AUTHORITY_PROFILE=_confirmed_profile(tmp_path),
    )
    env.update(extra)
    return env


def _manage(args, env):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "KEY_ENCRYPTION_KEYS"])
def test_production_mode_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = _production_env(tmp_path)
    del env[missing]
    result = _manage(["check"], env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_a_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(secrets.token_urlsafe(60))
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    env["SECRET_KEY_FILE"] = str(secret_file)
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_when_notifications_would_go_out_unsigned(tmp_path):
    env = _production_env(tmp_path)
    del env["DKIM_PRIVATE_KEY_FILE"]
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "notifications.W001" in result.stdout + result.stderr


def test_check_deploy_warns_when_the_proxy_in_front_is_not_trusted_by_address(tmp_path):
    env = _production_env(tmp_path)
    del env["TRUSTED_PROXIES"]
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "core.W001" in result.stdout + result.stderr


def test_check_deploy_warns_while_the_profile_holds_unconfirmed_facts(tmp_path):
    shipped = str(ROOT / "core" / "profiles" / "migri.json")
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path, AUTHORITY_PROFILE=shipped),
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "core.W005" in output and "phone_numbers" in output and "social_media_accounts" in output


def test_check_deploy_warns_when_text_messages_would_only_be_printed(tmp_path):
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path, SMS_BACKEND="console"),
    )
    assert result.returncode != 0
    assert "core.W002" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "address",
    [
        "http://localhost:8000",
        "https://127.0.0.1",
        "https://[::1]:8443/",
        "https://0.0.0.0",
        "https://app.localhost",
        "not an address",
    ],
)
def test_check_deploy_warns_when_the_public_address_is_local(tmp_path, address):
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path, PUBLIC_BASE_URL=address),
    )
    assert result.returncode != 0
    assert "core.W003" in result.stdout + result.stderr


def test_production_cookies_are_host_prefixed_and_secure(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, "
        "s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_production_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "None",
        "None",
        "/",
        "/",
    ]


S3_ENVIRONMENT = {
    "DOCUMENTS_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
    "DOCUMENTS_S3_BUCKET": "permitsafe-documents",
    "DOCUMENTS_S3_ENDPOINT_URL": "https://objects.example.org",
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}


def test_check_deploy_is_clean_with_documents_on_s3(tmp_path):
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path, **S3_ENVIRONMENT),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_s3_without_a_bucket(tmp_path):
    env = _production_env(tmp_path, **S3_ENVIRONMENT)
    del env["DOCUMENTS_S3_BUCKET"]
    result = _manage(["check", "--deploy"], env)
    assert result.returncode != 0
    assert "documents.E002" in result.stdout + result.stderr
    assert "DOCUMENTS_S3_BUCKET" in result.stdout + result.stderr


def test_the_s3_keys_stay_out_of_the_settings(tmp_path):
    # boto3 reads them from the environment; a settings dump (diffsettings, an error page) has none.
    result = _manage(["diffsettings", "--all"], _production_env(tmp_path, **S3_ENVIRONMENT))
    assert result.returncode == 0, result.stderr
    assert "permitsafe-documents" in result.stdout
    assert S3_ENVIRONMENT["AWS_SECRET_ACCESS_KEY"] not in result.stdout
    assert S3_ENVIRONMENT["AWS_ACCESS_KEY_ID"] not in result.stdout


def test_check_deploy_is_clean_during_a_rotation_of_the_secret_key(tmp_path):
    # As the README's steps do it: the long-lived codes pinned to the old key first.
    old_key = secrets.token_urlsafe(60)
    env = _production_env(
        tmp_path,
        SECRET_KEY_FALLBACKS=old_key,
        RECOVERY_CODE_KEY=old_key,
        TRUST_VERIFICATION_CODE_KEY=old_key,
    )
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_during_a_rotation_that_would_void_long_lived_codes(tmp_path):
    old_key = secrets.token_urlsafe(60)
    env = _production_env(tmp_path, SECRET_KEY_FALLBACKS=old_key, RECOVERY_CODE_KEY=old_key)
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "core.W006" in output and "TRUST_VERIFICATION_CODE_KEY" in output
    assert "RECOVERY_CODE_KEY and" not in output


def test_check_deploy_warns_on_a_weak_fallback_secret_key(tmp_path):
    env = _production_env(tmp_path, SECRET_KEY_FALLBACKS=f"{secrets.token_urlsafe(60)},short")
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W025" in result.stdout + result.stderr
