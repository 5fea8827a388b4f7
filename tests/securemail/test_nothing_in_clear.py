"""A message with a known phrase and attachment leaves the phrase nowhere at rest: not in the
database (the SQLite file, or every PostgreSQL table) and not in any stored file."""

from __future__ import annotations

import re
import sqlite3

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


@pytest.mark.django_db(transaction=True)
def test_the_phrase_is_nowhere_at_rest(client, smtp_server, topic, tmp_path, make_user):
    from securemail.models import Conversation
    from securemail.services import message_send_from_authority

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

    needles = [PHRASE.encode(), PHRASE.encode().hex().encode(), SENDER.encode()]
    database = _database_bytes(tmp_path)
    # The search does see the database: plain columns of the same rows are found.
    assert topic.code.encode() in database
    for needle in needles:
        assert needle not in database, f"{needle!r} is in the database"
    stored = [path for path in (tmp_path / "documents").rglob("*") if path.is_file()]
    assert len(stored) == 2
    for path in stored:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, f"{needle!r} is in {path.name}"
