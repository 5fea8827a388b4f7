"""Failed DKIM key look-ups: no error per message, one aggregated warning without personal data."""

from __future__ import annotations

import logging

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from trust.dkimlog import DKIM_LOGGER, DkimLookupFailureFilter

MESSAGE = (
    b"From: Finnish Immigration Service <noreply@migri.fi>\r\n"
    b"To: applicant@example.com\r\n"
    b"Subject: New information in the e-service\r\n"
    b"\r\n"
    b"You have new information in the e-service.\r\n"
)


@pytest.fixture(scope="module")
def private_key() -> bytes:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _sign(domain: str, private: bytes, selector: str = "s1") -> bytes:
    headers = [b"from", b"to", b"subject"]
    signature = dkim.sign(
        MESSAGE, selector.encode(), domain.encode(), private, include_headers=headers
    )
    return signature + MESSAGE


def _engine(make_engine, port: int, timeout: float = 2.0):
    return make_engine(
        dns_enabled=True, dns_nameservers=(("127.0.0.1", port),), dns_timeout=timeout
    )


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def dkim_filter(clock):
    """The filter the trust app installs, swapped for a fresh one on a clock the test moves."""
    logger = logging.getLogger(DKIM_LOGGER)
    installed = [item for item in logger.filters if isinstance(item, DkimLookupFailureFilter)]
    assert installed, "the trust app installs the filter on dkimpy's logger"
    assert logger.level == logging.WARNING  # dkimpy's debug records quote headers
    for item in installed:
        logger.removeFilter(item)
    fresh = DkimLookupFailureFilter(interval_seconds=600, clock=clock)
    logger.addFilter(fresh)
    yield fresh
    logger.removeFilter(fresh)
    for item in installed:
        logger.addFilter(item)


def _dkim_records(caplog):
    return [record for record in caplog.records if record.name == DKIM_LOGGER]


def _signed_by_unknown_signers(private: bytes, count: int) -> list[bytes]:
    return [
        _sign(f"person{number}.example", private, selector=f"sel{number}")
        for number in range(count)
    ]


def test_missing_keys_give_one_warning_not_an_error_per_message(
    make_engine, dns_server, private_key, dkim_filter, caplog
):
    engine = _engine(make_engine, dns_server.port)
    caplog.set_level(logging.DEBUG, logger=DKIM_LOGGER)
    for message in _signed_by_unknown_signers(private_key, 5):
        assert "dkim_invalid" in engine.check_email(message).codes()
    records = _dkim_records(caplog)
    assert not [record for record in records if record.levelno >= logging.ERROR]
    warnings = [record for record in records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "no_key 1" in text
    # Neither the signer's domain nor its selector (both written by the sender) is logged.
    assert "example" not in text and "sel0" not in text and "_domainkey" not in text


def test_the_next_warning_after_the_interval_counts_the_failures_held_back(
    make_engine, dns_server, private_key, dkim_filter, clock, caplog
):
    engine = _engine(make_engine, dns_server.port)
    caplog.set_level(logging.WARNING, logger=DKIM_LOGGER)
    messages = _signed_by_unknown_signers(private_key, 4)
    for message in messages[:3]:
        engine.check_email(message)
    clock.now += 601
    engine.check_email(messages[3])
    warnings = [record.getMessage() for record in _dkim_records(caplog)]
    assert len(warnings) == 2
    assert "no_key 1" in warnings[0]
    assert "no_key 3" in warnings[1]  # the two held back and the one that opened the interval


def test_a_dns_server_that_never_answers_is_one_warning(
    make_engine, silent_dns, private_key, dkim_filter, caplog
):
    engine = _engine(make_engine, silent_dns, timeout=0.2)
    caplog.set_level(logging.WARNING, logger=DKIM_LOGGER)
    for _ in range(2):
        assert "dkim_unverifiable" in engine.check_email(_sign("migri.fi", private_key)).codes()
    records = _dkim_records(caplog)
    assert [record.levelno for record in records] == [logging.WARNING]
    assert "dns_unavailable 1" in records[0].getMessage()
    assert "migri.fi" not in records[0].getMessage()


def test_other_loggers_and_lower_levels_pass_unchanged(dkim_filter):
    info = logging.LogRecord(DKIM_LOGGER, logging.DEBUG, __file__, 1, "sig: %r", ("x",), None)
    assert dkim_filter.filter(info) and info.levelno == logging.DEBUG and info.msg == "sig: %r"
