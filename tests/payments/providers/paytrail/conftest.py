import pytest

from deploy.paytrail_standin import MERCHANT_ID, SECRET, PaytrailStandIn


@pytest.fixture
def paytrail_standin():
    server = PaytrailStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def paytrail(settings, paytrail_standin):
    settings.PAYMENTS_PROVIDER = "paytrail"
    settings.PAYTRAIL_BASE_URL = paytrail_standin.base_url
    settings.PAYTRAIL_MERCHANT_ID = MERCHANT_ID
    settings.PAYTRAIL_SECRET_KEY = SECRET
    settings.PAYTRAIL_ALGORITHM = "sha256"
    settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"
    return paytrail_standin
