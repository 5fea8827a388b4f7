"""Payment providers are plugins of the core registry, chosen by PAYMENTS_PROVIDER."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.registry import Registry
from payments.providers import PaymentProvider, get_provider, providers
from payments.providers.embedded.provider import EmbeddedProvider
from payments.providers.paytrail.provider import PaytrailProvider


def test_both_providers_are_registered_in_the_core_registry():
    assert isinstance(providers, Registry)
    assert providers.names() == ("embedded", "paytrail")


def test_the_setting_chooses_the_provider(settings):
    settings.PAYMENTS_PROVIDER = "embedded"
    assert isinstance(get_provider(), EmbeddedProvider)
    settings.PAYMENTS_PROVIDER = "paytrail"
    settings.PAYTRAIL_MERCHANT_ID, settings.PAYTRAIL_SECRET_KEY = "375917", "SAIPPUAKAUPPIAS"
    provider = get_provider()
    assert isinstance(provider, PaytrailProvider) and isinstance(provider, PaymentProvider)
    assert provider.client.merchant_id == "375917"


def test_paytrail_without_credentials_and_an_unknown_name_are_configuration_errors(settings):
    settings.PAYTRAIL_MERCHANT_ID = ""
    with pytest.raises(ImproperlyConfigured, match="PAYTRAIL_MERCHANT_ID"):
        get_provider("paytrail")
    with pytest.raises(ImproperlyConfigured, match="unknown payment provider"):
        get_provider("bitcoin")
