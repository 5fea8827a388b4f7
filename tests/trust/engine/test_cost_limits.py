"""Bounded cost: every cap of limits.py reached is a finding and never leaves a "genuine" verdict;
the time budget skips what is left and says so; URL extraction and DKIM parsing are done once.

No test here measures time (bench/trust_adversarial.py does): they count what was done instead.
"""

from __future__ import annotations

import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from trust.engine import MessageTooLarge
from trust.engine.analyzers import dkim_signatures
from trust.engine.limits import (
    MAX_BOUNDARY_LINES,
    MAX_DKIM_MESSAGE_BYTES,
    MAX_DKIM_SIGNATURES,
    MAX_HEADER_BYTES,
    MAX_HEADER_FIELDS,
    MAX_HTML_CHARS,
    MAX_LINES,
    MAX_LINKS,
    MAX_TEXT_CHARS,
)
from trust.engine.link_extraction import (
    _BARE_DOMAIN,
    _BARE_IP,
    _EMAIL,
    _FILE_LIKE_SUFFIXES,
    _SCHEME_URL,
    _WWW_URL,
    _clean,
    find_urls,
)
from trust.engine.message import parse_email, parse_text
from trust.engine.result import Finding
from trust.engine.verdict import decide

from .helpers import email

OFFICIAL_HEAD = (
    "From: Finnish Immigration Service <noreply@migri.fi>\r\nTo: applicant@example.com\r\n"
    "Subject: New information in the e-service\r\nDate: Mon, 19 May 2025 08:30:00 +0300\r\n"
    "Message-ID: <1@migri.fi>\r\n"
)
NOTIFICATION = "You have new information in the e-service. Type enterfinland.fi yourself.\r\n"


def limits_reached(result) -> set[str]:
    return {f.evidence["limit"] for f in result.findings if f.code == "input_limit_reached"}


def assert_not_vouched_for(result) -> None:
    assert result.verdict in ("suspicious", "scam")


# --- one pass over the URLs --------------------------------------------------------------------


def _find_urls_by_scanning(text: str) -> list[str]:
    """The former extraction, which compared each match with every earlier one: the oracle."""
    from trust.engine.domains import has_known_suffix, ip_address, normalize_host

    found, taken = [], []
    for pattern in (_SCHEME_URL, _WWW_URL):
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            url = _clean(match.group(0))
            if url:
                found.append((match.start(), url))
                taken.append((match.start(), match.start() + len(url)))
    for match in _BARE_IP.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        url = _clean(match.group(0))
        if ip_address(url.split("/", 1)[0].split(":", 1)[0]):
            found.append((match.start(), url))
            taken.append((match.start(), match.start() + len(url)))
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for match in _BARE_DOMAIN.finditer(text):
        start = match.start()
        if any(s <= start < e for s, e in taken) or any(s <= start < e for s, e in emails):
            continue
        host = normalize_host(match.group(1))
        if host.rsplit(".", 1)[-1] in _FILE_LIKE_SUFFIXES or not has_known_suffix(host):
            continue
        url = _clean(match.group(0))
        if url:
            found.append((start, url))
    found.sort()
    return list(dict.fromkeys(url for _, url in found))


PIECES = st.sampled_from([
    "https://a.com/x", "www.b.org", "c.fi", "1.2.3.4/x", "1.2.3.4:80", "x@d.com", "hxxp://e.net)",
    "(f.com)", "www.https://g.com", "https://www.h.com", "ftp://i.eu.", "j.zip", "foo", ".", " ",
    "\n", "@", "/", "-", "(", ")", "www.", "a.b.c.de", "migri.fi", "https://x.com/www.y.org",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_url_extraction_finds_what_the_former_scan_found(text):
    assert find_urls(text) == _find_urls_by_scanning(text)


def test_thirty_two_thousand_urls_are_all_found_in_one_pass():
    text = " ".join(f"https://h{i}.example.com/p www.w{i}.net d{i}.org" for i in range(32_000))
    urls = find_urls(text)
    assert len(urls) == 96_000
    assert urls[:3] == ["https://h0.example.com/p", "www.w0.net", "d0.org"]


# --- caps ---------------------------------------------------------------------------------------


def test_links_over_the_cap_are_not_analysed_and_the_message_is_not_vouched_for(engine):
    body = "\n".join(f"https://h{i}.example.com/" for i in range(MAX_LINKS + 50))
    raw = email(body)
    assert len(parse_email(raw).links) == MAX_LINKS
    result = engine.check_email(raw)
    assert limits_reached(result) == {"links"}
    assert_not_vouched_for(result)


def test_text_over_the_cap_is_cut_and_the_message_is_not_vouched_for(engine):
    raw = email("Hello there. " * (MAX_TEXT_CHARS // 10))
    message = parse_email(raw)
    assert len(message.body_text) <= MAX_TEXT_CHARS + 1
    result = engine.check_email(raw)
    assert "text" in limits_reached(result)
    assert_not_vouched_for(result)


def test_pasted_text_over_the_cap_is_cut(engine):
    result = engine.check_text("Hello there. " * (MAX_TEXT_CHARS // 10), "sms", "Friend")
    assert "text" in limits_reached(result)
    assert_not_vouched_for(result)


def test_html_over_the_cap_is_not_parsed_and_the_message_is_not_vouched_for(engine):
    html = "<p>x</p>" * (MAX_HTML_CHARS // 8 + 10)
    raw = (OFFICIAL_HEAD + "Content-Type: text/html\r\n\r\n" + html).encode()
    message = parse_email(raw)
    assert sum(len(part) for part in message.html_parts) == MAX_HTML_CHARS
    result = engine.check_email(raw)
    assert "html" in limits_reached(result)
    assert_not_vouched_for(result)


def test_html_attachments_share_one_allowance(engine):
    html = "<p>x</p>" * (MAX_HTML_CHARS // 16 + 10)  # each just over half the allowance
    parts = "".join(
        f'--B\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename="p{i}.html"'
        f"\r\n\r\n{html}\r\n"
        for i in range(3)
    )
    head = 'From: a@example.org\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
    result = engine.check_email((head + parts + "--B--\r\n").encode())
    assert "html" in limits_reached(result)


def test_many_parts_are_cut_before_parsing(engine):
    parts = "".join(f"--B\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n" for i in range(1000))
    raw = (
        'From: a@example.org\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
        + parts
        + "--B--\r\n"
    ).encode()
    message = parse_email(raw)
    assert len(message.text_parts) <= MAX_BOUNDARY_LINES
    result = engine.check_email(raw)
    assert "parts" in limits_reached(result)
    assert_not_vouched_for(result)


def test_deep_nesting_is_cut_and_the_text_inside_still_counts_as_unread(engine):
    depth = 3000
    opening = "".join(
        f'--b{i}\r\nContent-Type: multipart/mixed; boundary="b{i + 1}"\r\n\r\n'
        for i in range(depth)
    )
    raw = (
        'From: a@example.org\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n'
        + opening
        + f"--b{depth}\r\nContent-Type: text/plain\r\n\r\nhttps://deep.example.com/\r\n"
    ).encode()
    result = engine.check_email(raw)
    assert "parts" in limits_reached(result)
    assert_not_vouched_for(result)


def test_header_fields_over_the_cap_are_cut(engine):
    received = "".join(f"Received: from h{i}.example.net\r\n" for i in range(MAX_HEADER_FIELDS))
    raw = (OFFICIAL_HEAD + received + "\r\n" + NOTIFICATION).encode()
    message = parse_email(raw)
    assert len(message.headers) <= MAX_HEADER_FIELDS
    assert message.from_address == "noreply@migri.fi"  # the fields before the cut are read
    result = engine.check_email(raw)
    assert "header_fields" in limits_reached(result)
    assert_not_vouched_for(result)


def test_a_huge_header_is_cut(engine):
    recipients = ", ".join(f"r{i}@example.com" for i in range(MAX_HEADER_BYTES // 16))
    raw = (OFFICIAL_HEAD + f"Cc: {recipients}\r\n\r\n" + NOTIFICATION).encode()
    result = engine.check_email(raw)
    assert "header_bytes" in limits_reached(result)
    assert_not_vouched_for(result)


def test_a_flood_of_lines_is_cut(engine):
    raw = email("a\n" * (MAX_LINES + 10))
    result = engine.check_email(raw)
    assert "lines" in limits_reached(result)
    assert_not_vouched_for(result)


def test_genuine_sized_messages_reach_no_cap(engine):
    body = NOTIFICATION + "\r\n".join(f"Line {i} of a long letter." for i in range(2000))
    result = engine.check_email((OFFICIAL_HEAD + "\r\n" + body).encode())
    assert limits_reached(result) == set()
    assert "check_time_budget_exceeded" not in result.codes()


# --- DKIM: parsed once, at most MAX_DKIM_SIGNATURES verified ------------------------------------


@pytest.fixture(scope="module")
def migri_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, "v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode("ascii")


def _signed(body: str, private: bytes, selector: str = "s1") -> bytes:
    message = (OFFICIAL_HEAD + "\r\n" + body).encode()
    signature = dkim.sign(
        message,
        selector.encode(),
        b"migri.fi",
        private,
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
    )
    return signature + message


@pytest.fixture
def dns_engine(make_engine, dns_server, migri_key):
    dns_server.records["s1._domainkey.migri.fi"] = migri_key[1]
    return make_engine(
        dns_enabled=True, dns_nameservers=(("127.0.0.1", dns_server.port),), dns_timeout=2.0
    )


@pytest.fixture
def counted_dkim(monkeypatch):
    """dkim.DKIM counting its parses and verifications; a test signs first, then resets it."""
    counts = {"parsed": 0, "verified": 0}

    class Counted(dkim.DKIM):
        def __init__(self, *args, **kwargs):
            counts["parsed"] += 1
            super().__init__(*args, **kwargs)

        def verify(self, *args, **kwargs):
            counts["verified"] += 1
            return super().verify(*args, **kwargs)

    monkeypatch.setattr(dkim_signatures.dkim, "DKIM", Counted)
    return counts


def test_the_message_is_parsed_once_for_all_its_signatures(dns_engine, migri_key, counted_dkim):
    raw = _signed(NOTIFICATION, migri_key[0])
    signature, _, _ = raw.partition(b"From:")
    raw = signature * 3 + raw
    counted_dkim.update(parsed=0, verified=0)
    result = dns_engine.check_email(raw)
    assert counted_dkim == {"parsed": 1, "verified": 4}
    assert [c for c in result.codes() if c.startswith("dkim_valid")] == ["dkim_valid_official"] * 4


def test_a_genuine_notification_is_still_genuine_with_one_parse(
    dns_engine, migri_key, counted_dkim
):
    raw = _signed(NOTIFICATION, migri_key[0])
    counted_dkim.update(parsed=0, verified=0)
    result = dns_engine.check_email(raw)
    assert result.verdict == "genuine"
    assert counted_dkim == {"parsed": 1, "verified": 1}


def test_signatures_over_the_cap_are_not_verified(dns_engine, migri_key, counted_dkim):
    raw = _signed(NOTIFICATION, migri_key[0])
    signature, _, _ = raw.partition(b"From:")
    raw = signature * (MAX_DKIM_SIGNATURES * 20) + raw
    counted_dkim.update(parsed=0, verified=0)
    result = dns_engine.check_email(raw)
    assert counted_dkim == {"parsed": 1, "verified": MAX_DKIM_SIGNATURES}
    assert limits_reached(result) == {"dkim_signatures"}
    assert result.verdict == "suspicious"  # valid official signatures, but not all were read


def test_a_signed_notification_over_the_dkim_size_cap_is_not_genuine(
    dns_engine, migri_key, counted_dkim
):
    padding = ("x" * 70 + "\r\n") * (MAX_DKIM_MESSAGE_BYTES // 72 + 10)
    raw = _signed(NOTIFICATION + padding, migri_key[0])
    counted_dkim.update(parsed=0, verified=0)
    result = dns_engine.check_email(raw)
    assert counted_dkim["parsed"] == 0
    assert "dkim_message_bytes" in limits_reached(result)
    assert result.verdict == "suspicious"


def test_a_signed_notification_with_too_many_links_is_not_genuine(dns_engine, migri_key):
    links = "\r\n".join(f"https://migri.fi/page{i}" for i in range(MAX_LINKS + 1))
    result = dns_engine.check_email(_signed(NOTIFICATION + links + "\r\n", migri_key[0]))
    assert "dkim_valid_official" in result.codes()
    assert limits_reached(result) == {"links"}
    assert result.verdict == "suspicious"


# --- the time budget ----------------------------------------------------------------------------


def test_a_spent_budget_skips_the_analyzers_and_says_which(make_engine):
    result = make_engine(check_time_budget=0.0).check_email(email(NOTIFICATION))
    budget = [f for f in result.findings if f.code == "check_time_budget_exceeded"]
    assert len(budget) == 1
    assert "links" in budget[0].evidence["skipped"].split(", ")
    assert "content" in budget[0].evidence["skipped"].split(", ")
    assert result.verdict == "suspicious"


def test_a_spent_budget_leaves_a_signed_notification_not_genuine(
    make_engine, dns_server, migri_key
):
    dns_server.records["s1._domainkey.migri.fi"] = migri_key[1]
    engine = make_engine(
        dns_enabled=True,
        dns_nameservers=(("127.0.0.1", dns_server.port),),
        check_time_budget=0.0,
    )
    result = engine.check_email(_signed(NOTIFICATION, migri_key[0]))
    assert result.verdict == "suspicious"


def test_a_budget_that_runs_out_midway_keeps_what_was_found(make_engine, monkeypatch):
    """The clock runs out once the links analyzer has run: its findings stay, the rest is skipped."""
    from trust.engine import engine as engine_module
    from trust.engine.analyzers import links

    def links_that_use_up_the_budget(message, context):
        found = links.analyze(message, context)
        context.deadline = 0.0
        return found

    analyzers = tuple(
        links_that_use_up_the_budget if a is links.analyze else a for a in engine_module.ANALYZERS
    )
    monkeypatch.setattr(engine_module, "ANALYZERS", analyzers)
    result = make_engine().check_email(email("Visit https://evil.example.com/ now"))
    assert "link_not_official" in result.codes()
    budget = next(f for f in result.findings if f.code == "check_time_budget_exceeded")
    assert (
        budget.evidence["skipped"]
        == "content, attachments, verification_codes, brand_sender, account_phishing"
    )
    assert result.verdict == "suspicious"


# --- the verdict and the size limit -------------------------------------------------------------


@pytest.mark.parametrize("proof", ["dkim_valid_official", "verification_code_valid"])
@pytest.mark.parametrize("code", ["input_limit_reached", "check_time_budget_exceeded"])
def test_an_incomplete_check_is_never_genuine_even_with_a_proof(proof, code):
    findings = [Finding(proof, "proof", {"code": "ABCD-EFGH-JKMN"}), Finding(code, "medium")]
    assert decide(findings)[0] == "suspicious"


def test_pasted_text_is_measured_in_bytes_against_the_size_limit(make_engine):
    engine = make_engine(max_message_bytes=1000)
    with pytest.raises(MessageTooLarge):
        engine.check_text("😀" * 300)  # 300 characters, 1,200 bytes
    assert engine.check_text("a" * 900).verdict


def test_text_allowance_counts_every_part():
    message = parse_text("word " * MAX_TEXT_CHARS)
    assert message.text_chars == MAX_TEXT_CHARS
    assert message.limits == ["text"]


def test_an_analyzer_that_runs_out_of_time_midway_says_it_was_cut_short(make_engine, monkeypatch):
    """The budget ends while the links analyzer walks the links: it stops and says so."""
    from trust.engine.analyzers import Context

    calls = {"count": 0}

    def out_of_time_inside_links(self):
        calls["count"] += 1
        # Five analyzers run before links, each asked once, then links itself: asked per link.
        return calls["count"] > 6

    monkeypatch.setattr(Context, "out_of_time", out_of_time_inside_links)
    body = "\n".join(f"https://h{i}.example.com/" for i in range(20))
    result = make_engine().check_email(email(body))
    budget = next(f for f in result.findings if f.code == "check_time_budget_exceeded")
    assert budget.evidence["cut_short"] == "links"
    assert result.verdict == "suspicious"


@pytest.mark.parametrize("kind", ["text", "email"])
def test_urls_are_looked_for_only_in_the_text_that_is_kept(kind, monkeypatch):
    from trust.engine import message as message_module

    searched: list[int] = []
    original = message_module.find_urls

    def recording(text):
        searched.append(len(text))
        return original(text)

    monkeypatch.setattr(message_module, "find_urls", recording)
    body = " ".join(f"https://h{i}.example.com/" for i in range(MAX_TEXT_CHARS // 10))
    if kind == "text":
        parse_text(body)
    else:
        parse_email(email(body))
    assert searched
    assert sum(searched) <= MAX_TEXT_CHARS


def test_a_header_block_over_the_cap_is_not_given_to_dkimpy(dns_engine, migri_key, counted_dkim):
    raw = _signed(NOTIFICATION, migri_key[0])
    received = "".join(f"Received: from h{i}.example.net\r\n" for i in range(MAX_HEADER_FIELDS))
    counted_dkim.update(parsed=0, verified=0)
    result = dns_engine.check_email(received.encode() + raw)
    assert counted_dkim == {"parsed": 0, "verified": 0}
    assert result.codes().count("input_limit_reached") == 1
    assert result.verdict == "suspicious"


def test_a_giant_word_is_not_searched_for_compounds(engine, monkeypatch):
    """The compound search slices a word at every position: a 'word' of 50,000 letters is none."""
    from trust.engine import language

    stemmed: list[str] = []
    original = engine.vocabulary.stems
    monkeypatch.setattr(
        engine.vocabulary, "stems", lambda token: stemmed.append(token) or original(token)
    )
    result = engine.check_text("Hello " + "AAAA-" * 10_000 + " passinumero", "sms", "Friend")
    assert result.verdict
    assert stemmed
    assert max(len(token) for token in stemmed) <= language._MAX_WORD_CHARS


def test_contacts_over_the_cap_are_not_all_taken(engine):
    from trust.engine.limits import MAX_CONTACTS

    body = " ".join(f"a@d{i}x.com +35840{i:07d}" for i in range(MAX_CONTACTS * 3))
    result = engine.check_text(body, "email", "")
    assert len(result.indicators["email_addresses"]) <= MAX_CONTACTS
    assert len(result.indicators["phone_numbers"]) <= MAX_CONTACTS
    assert limits_reached(result) == {"contacts"}
    assert_not_vouched_for(result)
