"""The message model: parsing emails and text defensively, links with their visible text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trust.engine.link_extraction import (
    find_email_addresses,
    find_phone_numbers,
    find_urls,
    parse_address,
)
from trust.engine.message import parse_email, parse_text

MULTIPART = b"""From: =?utf-8?q?Maahanmuuttovirasto?= <migri.service@gmail.com>
Reply-To: other@example.ru
To: you@example.com
Subject: =?utf-8?b?VMOkcmtlw6Q=?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=OUTER

--OUTER
Content-Type: multipart/alternative; boundary=INNER

--INNER
Content-Type: text/plain; charset=unknown-charset

Go to migri-fi.com/apply now.
--INNER
Content-Type: text/html; charset=utf-8

<p>Click <a href="https://evil.example/x">https://migri.fi</a></p><form action="https://evil.example/post"><input type=password name=pin></form>
--INNER--
--OUTER
Content-Type: application/octet-stream; name="=?utf-8?q?p=C3=A4=C3=A4t=C3=B6s.exe?="
Content-Disposition: attachment; filename="=?utf-8?q?p=C3=A4=C3=A4t=C3=B6s.exe?="
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA
--OUTER--
"""


def test_encoded_word_headers_are_decoded():
    message = parse_email(MULTIPART)
    assert message.from_display == "Maahanmuuttovirasto"
    assert message.from_address == "migri.service@gmail.com"
    assert message.subject == "Tärkeä"
    assert message.reply_to == ["other@example.ru"]


def test_nested_multiparts_give_text_html_links_forms_and_attachments():
    message = parse_email(MULTIPART)
    assert "migri-fi.com" in message.text_parts[0]  # read despite the unknown charset
    hrefs = {(link.host, link.text, link.source) for link in message.links}
    assert ("evil.example", "https://migri.fi", "html") in hrefs
    assert ("migri-fi.com", "migri-fi.com/apply", "text") in hrefs
    assert message.forms and message.forms[0].fields == ["password:pin"]
    assert message.attachments[0].filename == "päätös.exe"
    assert message.attachments[0].payload.startswith(b"MZ")


def test_binary_junk_is_read_without_raising():
    message = parse_email(b"\x00\xff\xfe\x80 junk \r\n\r\n\x00\x01")
    assert message.kind == "email"


def test_a_broken_boundary_gives_what_could_be_read():
    raw = b"From: a@b.fi\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nhello https://x.example"
    message = parse_email(raw)
    assert message.from_address == "a@b.fi"


def test_pasted_text_takes_the_sender_address_apart():
    message = parse_text("Hello", "email", "Helsinki Times <news@helsinkitimes.fi>")
    assert message.from_display == "Helsinki Times"
    assert message.from_address == "news@helsinkitimes.fi"


def test_urls_are_found_with_and_without_a_scheme():
    text = "See https://migri.fi/en, www.enterfinland.fi and migri-fi.com/apply. Not invoice.pdf."
    assert find_urls(text) == ["https://migri.fi/en", "www.enterfinland.fi", "migri-fi.com/apply"]


def test_an_address_disguised_with_userinfo_reveals_its_real_host():
    address = parse_address("https://migri.fi@evil.example/login")
    assert address.host == "evil.example"
    assert address.userinfo == "migri.fi"


def test_email_addresses_and_phone_numbers_are_found():
    text = "Write to migri.help@gmail.com or call +358 40 123 4567 or 040 765 4321."
    assert find_email_addresses(text) == ["migri.help@gmail.com"]
    assert find_phone_numbers(text) == ["+358401234567", "+358407654321"]


def test_an_eight_digit_one_time_code_is_not_a_phone_number_but_a_mobile_number_in_one_run_is():
    # Our sign-up mail prints an 8-digit code; one that starts with 0 read as a foreign number.
    assert find_phone_numbers("Your code is:\n\n    04518273\n") == []
    assert find_phone_numbers("Call 0401234567 now") == ["+358401234567"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_the_email_parser_never_raises_on_arbitrary_bytes(raw):
    parse_email(raw)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=300),
    st.sampled_from(["Content-Type: text/html", "Content-Type: multipart/mixed; boundary=b"]),
)
def test_the_email_parser_never_raises_on_arbitrary_mime_bodies(body, content_type):
    raw = f"From: x@y.fi\r\n{content_type}\r\n\r\n--b\r\n{body}\r\n--b--".encode(
        "utf-8", "surrogatepass"
    )
    parse_email(raw)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_the_url_extractor_never_raises_on_arbitrary_text(text):
    for url in find_urls(text):
        parse_address(url)
    find_email_addresses(text)
    find_phone_numbers(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2048))
def test_the_whole_engine_never_raises_on_arbitrary_input(engine, raw):
    assert engine.check_email(raw).verdict in ("genuine", "scam", "suspicious", "unverified")
    engine.check_text(raw.decode("utf-8", "replace"), "sms", "+358401234567")
    engine.check_url(raw.decode("latin-1"))
