"""A message with a known phrase and attachment leaves the phrase nowhere at rest: not in the
database (the SQLite file, or every PostgreSQL table, and PostgreSQL's own files on disk, where
dead row versions and index entries live too) and not in any stored file."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.securemail.conftest import PDF_BYTES, SENDER, upload

PHRASE = "Marmalade-Zeppelin-4711"


def _attachment() -> bytes:
    # A PDF that carries the phrase in its body, as a scanned letter would carry text.
    return PDF_BYTES.replace(b"%%EOF", f"% {PHRASE}\n%%EOF".encode())


def _database_bytes(tmp_path) -> bytes:
    if connection.vendor == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return copy.read_bytes()
    # PostgreSQL: every row of every table as text (bytea shows as hex, so look for that too).
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT t::text FROM {quoted} t")  # noqa: S608 (a table name we listed)
            chunks.extend(row[0] for row in cursor.fetchall())
    return "\n".join(chunks).encode()


def _postgresql_files_on_disk() -> list[Path]:
    """Every segment of every table, TOAST table and index of the test database, after a
    checkpoint has written every changed page; empty where the data directory cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        cursor.execute("SHOW data_directory")
        data_directory = Path(cursor.fetchone()[0])
        cursor.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 't', 'i', 'm')"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        )
        relations = [data_directory / row[0] for row in cursor.fetchall() if row[0]]
    if not os.access(data_directory, os.R_OK | os.X_OK):
        return []
    files = []
    for relation in relations:
        # A relation's first segment, then relation.1, relation.2, ... past 1 GB.
        files.extend(path for path in [relation] if path.exists())
        files.extend(relation.parent.glob(f"{relation.name}.[0-9]*"))
    return files


def _write_the_phrase(client, smtp_server, topic, make_user, settings, tmp_path):
    """The sender writes the phrase (subject, body, file name, file), the authority quotes it in
    a reply with a file; every upload that would spill to a temporary file goes to tmp_path."""
    from securemail.models import Conversation
    from securemail.services import message_send_from_authority

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    (tmp_path / "incoming").mkdir()
    client.post(reverse("securemail:start"), {"email": SENDER})
    code = re.search(r"\b(\d{4} \d{4})\b", smtp_server.outbox[-1].text).group(1)
    assert client.post(reverse("securemail:code"), {"code": code}).status_code == 302
    response = client.post(
        reverse("securemail:new"),
        {
            "topic": topic.code,
            "subject": f"Subject {PHRASE}",
            "body": f"The body says {PHRASE}.",
            "attachments": [upload(_attachment(), f"{PHRASE}.pdf")],
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    message_send_from_authority(
        conversation=conversation,
        author=make_user(role="caseworker"),
        body=f"Reply quoting {PHRASE}",
        uploads=[upload(_attachment(), "reply.pdf")],
    )
    # The phrase went in: it reads back through the pages.
    page = client.get(reverse("securemail:conversation", args=[conversation.pk]))
    assert PHRASE in page.content.decode()
    return conversation


NEEDLES = [PHRASE.encode(), PHRASE.encode().hex().encode(), SENDER.encode()]


@pytest.mark.django_db(transaction=True)
def test_the_phrase_is_nowhere_at_rest(client, smtp_server, topic, tmp_path, make_user, settings):
    _write_the_phrase(client, smtp_server, topic, make_user, settings, tmp_path)
    needles = NEEDLES
    database = _database_bytes(tmp_path)
    # The search does see the database: plain columns of the same rows are found.
    assert topic.code.encode() in database
    for needle in needles:
        assert needle not in database, f"{needle!r} is in the database"
    documents = [path for path in (tmp_path / "documents").rglob("*") if path.is_file()]
    assert len(documents) == 2
    # Every file the test wrote (the documents, any upload spilled to a temporary file) and every
    # file under the var folder (logs, keys, mail in development).
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    stored += [path for path in Path(settings.VAR_DIR).rglob("*") if path.is_file()]
    for path in stored:
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            continue  # another test running alongside removed its own file meanwhile
        for needle in needles:
            assert needle not in content, f"{needle!r} is in {path}"


@pytest.mark.django_db(transaction=True)
def test_the_phrase_is_not_in_postgresqls_files_on_disk(
    client, smtp_server, topic, tmp_path, make_user, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's database is searched whole by test_the_phrase_is_nowhere_at_rest")
    conversation = _write_the_phrase(client, smtp_server, topic, make_user, settings, tmp_path)
    # A row rewritten leaves its old version in the file until a vacuum: closing rewrites the
    # conversation row with its sealed address.
    conversation.status = "closed"
    conversation.save(update_fields=["status"])
    files = _postgresql_files_on_disk()
    if not files:
        pytest.skip("PostgreSQL's data directory is not readable from this test (another host)")
    found_topic_code = False
    for path in files:
        content = path.read_bytes()
        found_topic_code = found_topic_code or topic.code.encode() in content
        for needle in NEEDLES:
            assert needle not in content, f"{needle!r} is in {path}"
    # The search does read this database's pages: a plain column of the same rows is there.
    assert found_topic_code
