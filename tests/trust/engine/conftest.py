"""Fixtures of the engine tests: the seed authority's configuration, an engine, a DNS server."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest
from dnslib import QTYPE, RR, TXT
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from trust.engine import CheckEngine, EngineConfig

SEED_CONFIG = EngineConfig(
    official_web_domains=("migri.fi", "enterfinland.fi"),
    other_official_web_domains=("infofinland.fi", "suomi.fi", "poliisi.fi"),
    official_email_domains=("migri.fi",),
    authority_names=(
        "Migri", "Maahanmuuttovirasto", "Migrationsverket", "Finnish Immigration Service",
        "Immigration Service", "Enter Finland",
    ),
    sms_sender_names=("Migri",),
    social_media_accounts=(
        ("facebook", "maahanmuuttovirasto"), ("x", "MigriFI"), ("instagram", "migri_fi"),
        ("youtube", "MigriFinland"),
    ),
    phone_numbers=("+358295430431",),
    dns_enabled=False,
)  # fmt: skip


@pytest.fixture(scope="session")
def engine() -> CheckEngine:
    """An engine without DNS, shared by the tests as a server shares one."""
    return CheckEngine(SEED_CONFIG)


@pytest.fixture
def make_engine():
    def make(**changes) -> CheckEngine:
        return CheckEngine(replace(SEED_CONFIG, **changes))

    return make


class _TxtResolver(BaseResolver):
    def __init__(self, records: dict[str, str]):
        self.records = records

    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        value = self.records.get(name)
        if value is not None and request.q.qtype == QTYPE.TXT:
            # TXT strings hold at most 255 bytes: a long key is split into several.
            chunks = [value[i : i + 255] for i in range(0, len(value), 255)]
            reply.add_answer(RR(request.q.qname, QTYPE.TXT, rdata=TXT(chunks), ttl=60))
        elif value is None:
            reply.header.rcode = 3  # NXDOMAIN
        return reply


class LoopbackDns:
    """A real DNS server on 127.0.0.1 (unprivileged port) serving TXT records from a dict."""

    def __init__(self):
        self.records: dict[str, str] = {}
        quiet = DNSLogger("-request,-reply,-truncated,-error,-recv,-send,-data")
        self.server = DNSServer(
            _TxtResolver(self.records), port=0, address="127.0.0.1", logger=quiet
        )

    def start(self):
        self.server.start_thread()
        self.port = self.server.server.server_address[1]

    def stop(self):
        self.server.stop()


@pytest.fixture
def dns_server():
    server = LoopbackDns()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def silent_dns():
    """A UDP socket bound on loopback that never answers: a DNS server that is down."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()
