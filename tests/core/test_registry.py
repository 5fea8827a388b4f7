"""The one plugin registry behind scanners, SMS gateways and payment providers."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.registry import Registry
from documents.scanners import scanners
from notifications.sms import sms_backends


class Greeter:
    def greet(self) -> str:
        return "hello"


def test_a_class_registered_by_decorator_is_built_anew_on_each_lookup():
    greeters: Registry[Greeter] = Registry("GREETER")

    @greeters.register("plain")
    class Plain(Greeter):
        pass

    first, second = greeters.get("plain"), greeters.get("plain")
    assert isinstance(first, Plain) and first is not second
    assert greeters.names() == ("plain",) and "plain" in greeters


def test_an_unknown_name_is_a_configuration_error_naming_the_setting_and_the_known_names():
    greeters: Registry[Greeter] = Registry("GREETER")
    greeters.register("plain", Greeter)
    with pytest.raises(ImproperlyConfigured, match=r"unknown GREETER 'plian' \(known: plain\)"):
        greeters.get("plian")


def test_a_plugin_needs_a_name():
    with pytest.raises(ValueError):
        Registry("GREETER").register("", Greeter)


def test_scanners_and_sms_gateways_use_the_core_registry():
    assert isinstance(scanners, Registry) and {"clamd", "development_noscan"} <= set(scanners)
    assert isinstance(sms_backends, Registry) and {"console", "memory"} <= set(sms_backends)


def test_an_unknown_sms_gateway_name_fails_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.SMS_BACKEND = "no-such-gateway"
    with pytest.raises(SystemCheckError, match="notifications.E001"):
        call_command("check")


def test_a_deployment_names_its_own_implementation_by_dotted_path():
    from tests.core.deployment_sms_gateway import DeploymentGateway

    assert "tests.core.deployment_sms_gateway.DeploymentGateway" in sms_backends
    assert isinstance(
        sms_backends.get("tests.core.deployment_sms_gateway.DeploymentGateway"), DeploymentGateway
    )
    assert "tests.core.no_such_module.Gateway" not in sms_backends
    with pytest.raises(ImproperlyConfigured, match="cannot be imported"):
        sms_backends.get("tests.core.no_such_module.Gateway")
