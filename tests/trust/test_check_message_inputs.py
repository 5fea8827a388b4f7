"""check_message with many inputs: files, a directory, an mbox, a Maildir and '-', in input order."""

from __future__ import annotations

import io
import json
import mailbox
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

import trust.engine.engine as engine_module

pytestmark = pytest.mark.django_db

SCAM = (
    b"Received: from mx.example.net by mx.example.com\r\n"
    b"From: Migri <migri.service@gmail.com>\r\nTo: reader@example.com\r\nSubject: Permit\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Your residence permit will be cancelled. Confirm your passport number: https://migri-fi.com\r\n"
)
HARMLESS = (
    b"Received: from mx.example.net by mx.example.com\r\n"
    b"From: Anna <anna@example.org>\r\nTo: reader@example.com\r\nSubject: Lunch\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nLunch at noon tomorrow?\r\n"
)


def _run(*args, stdin: bytes = b"", monkeypatch=None) -> tuple[list[dict], Exception | None]:
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    out = io.StringIO()
    failure = None
    try:
        call_command("check_message", *args, "--json", stdout=out, stderr=io.StringIO())
    except CommandError as error:
        failure = error
    return [json.loads(line) for line in out.getvalue().splitlines()], failure


def _mbox(path, messages):
    box = mailbox.mbox(str(path))
    for raw in messages:
        box.add(raw)
    box.close()


def test_files_a_directory_an_mbox_a_maildir_and_stdin_in_input_order(tmp_path, monkeypatch):
    first = tmp_path / "first.eml"
    first.write_bytes(SCAM)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "b.eml").write_bytes(HARMLESS)
    (folder / "a.eml").write_bytes(SCAM)
    (folder / "sub").mkdir()  # a directory's subdirectories are not read
    mbox_path = tmp_path / "archive.mbox"
    _mbox(mbox_path, [HARMLESS, SCAM])
    maildir = mailbox.Maildir(str(tmp_path / "Maildir"))
    maildir.add(SCAM)
    maildir.close()
    stdin = "Migri: maksa käsittelymaksu 49 € heti https://bit.ly/3xyz".encode()
    lines, failure = _run(
        str(first),
        str(folder),
        str(mbox_path),
        str(tmp_path / "Maildir"),
        "-",
        "--channel",
        "sms",
        stdin=stdin,
        monkeypatch=monkeypatch,
    )
    assert failure is None
    sources = [line["source"] for line in lines]
    assert sources[:5] == [
        str(first),
        str(folder / "a.eml"),
        str(folder / "b.eml"),
        f"{mbox_path}#1",
        f"{mbox_path}#2",
    ]
    assert sources[5].startswith(f"{tmp_path / 'Maildir'}#") and sources[6] == "-"
    verdicts = [line["verdict"] for line in lines]
    assert verdicts == ["scam", "scam", "unverified", "unverified", "scam", "scam", "scam"]
    assert all("explanations" in line and "advice" in line for line in lines)


def test_a_bad_input_gives_an_error_line_and_the_run_goes_on(tmp_path):
    good = tmp_path / "good.eml"
    good.write_bytes(SCAM)
    big = tmp_path / "big.eml"
    big.write_bytes(SCAM + b"x" * 5000)
    with override_settings(TRUST_MAX_MESSAGE_BYTES=4000):
        lines, failure = _run(str(tmp_path / "missing.eml"), str(big), str(good))
    assert [line["source"] for line in lines] == [
        str(tmp_path / "missing.eml"),
        str(big),
        str(good),
    ]
    assert lines[0]["error"]["code"] == "unreadable"
    assert lines[1]["error"]["code"] == "too_large"
    assert lines[2]["verdict"] == "scam"
    assert failure is not None and "2 of 3" in str(failure)


def test_a_message_over_the_limit_inside_an_mbox_is_one_error(tmp_path):
    mbox_path = tmp_path / "archive.mbox"
    _mbox(mbox_path, [SCAM, SCAM + b"y" * 5000, HARMLESS])
    with override_settings(TRUST_MAX_MESSAGE_BYTES=4000):
        lines, failure = _run(str(mbox_path))
    assert [line.get("verdict") or line["error"]["code"] for line in lines] == [
        "scam",
        "too_large",
        "unverified",
    ]
    assert failure is not None


def test_the_engine_is_built_once_for_all_the_messages(tmp_path, monkeypatch):
    from trust import engine_factory

    engine_factory._cache.clear()
    built = []
    original = engine_module.CheckEngine.__init__

    def counting(self, config):
        built.append(config)
        original(self, config)

    monkeypatch.setattr(engine_module.CheckEngine, "__init__", counting)
    for index in range(4):
        (tmp_path / f"{index}.eml").write_bytes(SCAM)
    lines, failure = _run(str(tmp_path))
    assert failure is None and len(lines) == 4
    assert len(built) == 1


def test_the_text_output_names_each_source(tmp_path):
    (tmp_path / "one.eml").write_bytes(SCAM)
    (tmp_path / "two.eml").write_bytes(HARMLESS)
    out = io.StringIO()
    call_command("check_message", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert text.index("one.eml") < text.index("Verdict: scam") < text.index("two.eml")
