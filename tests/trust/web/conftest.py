import pytest


@pytest.fixture(autouse=True)
def _no_dns_lookups(settings):
    # The machines that run the suite have no resolver to ask; DKIM lookups are the engine's tests.
    settings.TRUST_DNS_ENABLED = False
