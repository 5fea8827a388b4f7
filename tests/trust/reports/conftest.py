import socket
from contextlib import contextmanager

import pytest

from trust.inbound import report_smtp_controller

REPORT_ADDRESS = "report@migri.fi"


@pytest.fixture(autouse=True)
def _no_dns_lookups(settings):
    # The machines that run the suite have no resolver to ask; DKIM lookups are the engine's tests.
    settings.TRUST_DNS_ENABLED = False


@contextmanager
def running_report_server(settings):
    """The report SMTP receiver on a free loopback port, with `.port` set."""
    settings.TRUST_REPORT_ADDRESS = REPORT_ADDRESS
    # aiosmtpd checks readiness by connecting to the port it was given: port 0 cannot work.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = report_smtp_controller(host="127.0.0.1", port=port)
    controller.start()
    controller.port = port
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def report_server(settings):
    with running_report_server(settings) as controller:
        yield controller
