"""The engine's commands: check_message, check_url and lookalikes; explanations and advice."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from trust.advice import advice_for
from trust.engine import Finding
from trust.engine_factory import current_engine
from trust.explanations import FINDING_TITLES, explain
from trust.management.commands.check_message import looks_like_email

# The commands read the official channels from the registry in the database.
pytestmark = pytest.mark.django_db

SCAM_EMAIL = (
    b"Received: from mx.example.net by mx.example.com\r\n"
    b"From: Migri <migri.service@gmail.com>\r\nTo: reader@example.com\r\nSubject: Permit\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Your residence permit will be cancelled. Confirm your passport number: https://migri-fi.com\r\n"
)


def _run(*args, stdin: bytes | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_check_message_reads_a_raw_email_file_and_prints_the_apis_json(tmp_path):
    path = tmp_path / "scam.eml"
    path.write_bytes(SCAM_EMAIL)
    data = json.loads(_run("check_message", str(path), "--json"))
    assert data["verdict"] == "scam"
    assert "sender_impersonation" in [f["code"] for f in data["findings"]]
    assert len(data["explanations"]) == len(data["findings"])
    assert data["advice"] and data["indicators"]["domains"] == ["migri-fi.com"]


def test_check_message_reads_pasted_text_from_standard_input(monkeypatch):
    text = "Migri: maksa käsittelymaksu 49 € heti https://bit.ly/3xyz".encode()
    output = _run("check_message", "-", "--channel", "sms", stdin=text, monkeypatch=monkeypatch)
    assert "Verdict: scam" in output


def test_check_message_refuses_input_over_the_limit(tmp_path):
    path = tmp_path / "big.eml"
    path.write_bytes(b"x" * 2000)
    with override_settings(TRUST_MAX_MESSAGE_BYTES=1000), pytest.raises(CommandError):
        _run("check_message", str(path))


def test_check_message_reports_a_missing_file():
    with pytest.raises(CommandError):
        _run("check_message", "/nonexistent/message.eml")


def test_raw_email_and_pasted_text_are_told_apart():
    assert looks_like_email(SCAM_EMAIL)
    assert not looks_like_email(b"From: a friend, hello!\nHow are you?")
    assert not looks_like_email("Hei! Täällä Migri.".encode())


def test_check_url_prints_one_json_object_a_line_in_input_order(monkeypatch):
    stdin = b"https://rnigri.fi/login\n\nhttps://enterfinland.fi\n"
    output = _run(
        "check_url", "https://migri.fi", "-", "--json", stdin=stdin, monkeypatch=monkeypatch
    )
    lines = [json.loads(line) for line in output.splitlines()]
    assert [line["url"] for line in lines] == [
        "https://migri.fi", "https://rnigri.fi/login", "https://enterfinland.fi",
    ]  # fmt: skip
    assert [line["verdict"] for line in lines] == ["genuine", "scam", "genuine"]


def test_check_url_reads_lines_that_are_not_utf_8_without_stopping(monkeypatch):
    stdin = b"https://migri-fi.com/\xe4\nhttps://migri.fi\n"
    output = _run("check_url", "-", "--json", stdin=stdin, monkeypatch=monkeypatch)
    lines = [json.loads(line) for line in output.splitlines()]
    assert [line["verdict"] for line in lines] == ["scam", "genuine"]


def test_the_engine_is_built_once_and_reused():
    assert current_engine() is current_engine()


def test_lookalikes_lists_candidates_as_json_with_their_families():
    rows = json.loads(_run("lookalikes", "migri.fi", "--format", "json"))
    families = {row["family"] for row in rows}
    assert {"homoglyph", "bitsquatting", "tld-swap", "dictionary", "subdomain"} <= families
    cyrillic = next(row for row in rows if row["domain"] == "migrі.fi")
    assert cyrillic["ascii"].startswith("xn--")


def test_lookalikes_writes_csv_and_text():
    rows = list(
        csv.DictReader(io.StringIO(_run("lookalikes", "enterfinland.fi", "--format", "csv")))
    )
    assert rows and rows[0]["imitates"] == "enterfinland.fi"
    text = _run("lookalikes", "migri.fi", "--family", "omission")
    assert "omission" in text and "mgri.fi" in text


def test_every_finding_code_has_a_title_and_a_sentence_that_names_its_evidence():
    for code in FINDING_TITLES:
        assert explain(Finding(code, "info", {})) and str(FINDING_TITLES[code])
    sentence = explain(
        Finding("link_lookalike", "high", {"domain": "migri-fi.com", "imitates": "migri.fi"})
    )
    assert sentence == "The link goes to migri-fi.com, which imitates migri.fi."


def test_every_code_the_engine_emits_is_explained(tmp_path):
    engine = current_engine()
    result = engine.check_email(SCAM_EMAIL)
    assert all(f.code in FINDING_TITLES for f in result.findings)


def test_advice_for_a_scam_follows_the_seed_in_the_readers_language():
    result = current_engine().check_email(SCAM_EMAIL)
    english = advice_for(result, language="en")
    assert "Do not reply to the message." in english
    police = next(item for item in english if isinstance(item, dict))
    assert police["url"].startswith("https://poliisi.fi")
    finnish = advice_for(result, language="fi")
    assert len(finnish) == len(english)


def test_advice_in_the_pages_own_language_switches_no_translation(monkeypatch):
    """A page asks in its own language: switching to it and back was a tenth of the advice."""
    from django.utils import translation

    result = current_engine().check_email(SCAM_EMAIL)
    switched = []
    real = translation._trans.activate
    monkeypatch.setattr(
        translation._trans, "activate", lambda code: switched.append(code) or real(code)
    )
    with translation.override("sv"):
        switched.clear()
        swedish = advice_for(result)
        assert advice_for(result, language="sv") == swedish
        assert switched == []
        assert advice_for(result, language="en") != swedish  # another language still switches
        assert switched == ["en", "sv"]


def test_advice_for_a_genuine_message_says_so():
    result = current_engine().check_url("https://migri.fi")
    assert advice_for(result, language="en")[0] == "This message is genuine."
