import pytest

from tests.payments.providers.paytrail.fake_paytrail import MERCHANT_ID, SECRET, FakePaytrail


@pytest.fixture
def fake_paytrail():
    server = FakePaytrail().start()
    yield server
    server.stop()


@pytest.fixture
def paytrail(settings, fake_paytrail):
    settings.PAYMENTS_PROVIDER = "paytrail"
    settings.PAYTRAIL_BASE_URL = fake_paytrail.base_url
    settings.PAYTRAIL_MERCHANT_ID = MERCHANT_ID
    settings.PAYTRAIL_SECRET_KEY = SECRET
    settings.PAYTRAIL_ALGORITHM = "sha256"
    settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"
    return fake_paytrail
