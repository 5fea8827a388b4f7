import socket
from contextlib import contextmanager

import pytest

from securemail.autoreply import plain_mail_smtp_controller

PUBLIC_ADDRESS = "migri@migri.fi"  # the default profile's public address


@contextmanager
def running_plain_mail_server():
    """The plain-email receiver on a free loopback port, with `.port` set."""
    # aiosmtpd checks readiness by connecting to the port it was given: port 0 cannot work.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = plain_mail_smtp_controller(host="127.0.0.1", port=port)
    controller.start()
    controller.port = port
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def plain_mail_server(settings):
    settings.SECUREMAIL_AUTOREPLY_ADDRESSES = []
    with running_plain_mail_server() as controller:
        yield controller
