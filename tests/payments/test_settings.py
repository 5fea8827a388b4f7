"""Payment settings: production refuses the embedded provider and plain-http return addresses,
a typo in PAYMENTS_PROVIDER stops `manage.py check`, and the provider's pages are allowed as a
form's destination in the CSP."""

import subprocess
import sys

from django.core.checks import Error

from payments import checks
from tests.core.test_deploy_settings import ROOT, _production_env


def _deploy_check(tmp_path, **extra):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "ERROR"],
        env=_production_env(tmp_path, **extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_with_the_embedded_provider_fails_the_deploy_check(tmp_path):
    result = _deploy_check(tmp_path, PAYMENTS_PROVIDER="embedded")
    assert result.returncode != 0
    assert "payments.E002" in result.stderr and "never runs in production" in result.stderr


def test_production_without_paytrail_credentials_fails_the_deploy_check(tmp_path):
    result = _deploy_check(tmp_path, PAYTRAIL_SECRET_KEY="")
    assert result.returncode != 0 and "payments.E002" in result.stderr


def test_an_unknown_provider_name_is_an_error_of_every_check(settings):
    settings.PAYMENTS_PROVIDER = "paytral"
    errors = checks.payment_provider_known(None)
    assert [error.id for error in errors] == ["payments.E001"] and isinstance(errors[0], Error)
    assert "paytrail" in errors[0].hint


def test_a_plain_http_return_address_fails_in_production(settings):
    settings.DEVELOPMENT = False
    settings.PAYMENTS_PROVIDER = "paytrail"
    settings.PAYTRAIL_MERCHANT_ID, settings.PAYTRAIL_SECRET_KEY = "375917", "SAIPPUAKAUPPIAS"
    settings.PAYMENTS_RETURN_BASE_URL = "http://permits.example.org"
    assert [error.id for error in checks.payment_provider_can_run(None)] == ["payments.E003"]


def test_paytrails_pages_are_a_form_destination_in_production(tmp_path):
    code = (
        "from django.conf import settings;"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**_production_env(tmp_path), "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "[\"'self'\", 'https://pay.paytrail.com']", result.stderr
