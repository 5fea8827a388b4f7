"""The case page's rows of attached files written in Python (casework_tags.attachment_rows) are
byte for byte the markup the template loop wrote: the file linked where it may be downloaded, its
kind (or "Other document"), the day added in the page's time zone, how, and the virus scan."""

from __future__ import annotations

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

# The loop as it was in casework/case.html before attachment_rows.
TEMPLATE_LOOP = """{% load i18n %}{% translate "File" as file_label %}{% translate "Kind of attachment" as kind_label_text %}{% translate "Added" as added_label %}{% translate "Virus scan" as scan_label %}
  {% for attachment, kind_label, downloadable in attachments %}
    <tr>
      <td data-label="{{ file_label }}">{% if downloadable %}<a href="{% url 'casework:document' application.pk attachment.document_id %}">{{ attachment.document.original_filename }}</a>{% else %}{{ attachment.document.original_filename }}{% endif %}</td>
      <td data-label="{{ kind_label_text }}">{{ kind_label }}{% if attachment.kind == "other" %}{% translate "Other document" %}{% endif %}</td>
      <td data-label="{{ added_label }}">{{ attachment.added_at|date }} ({{ attachment.get_added_during_display }})</td>
      <td data-label="{{ scan_label }}"><span class="status">{{ attachment.document.get_scan_status_display }}</span></td>
    </tr>
  {% endfor %}
"""
WRITTEN = """{% load i18n casework_tags %}{% translate "File" as file_label %}{% translate "Kind of attachment" as kind_label_text %}{% translate "Added" as added_label %}{% translate "Virus scan" as scan_label %}
  {% attachment_rows application attachments file_label=file_label kind_label_text=kind_label_text added_label=added_label scan_label=scan_label %}
"""


def _attachment(name: str, kind: str, added_at, during: str, scan: str):
    document = SimpleNamespace(original_filename=name, get_scan_status_display=lambda: scan)
    return SimpleNamespace(
        document=document,
        document_id=uuid.uuid4(),
        kind=kind,
        added_at=added_at,
        get_added_during_display=lambda: during,
    )


ATTACHMENTS = [
    (
        _attachment(
            'passport "copy" <1>.pdf',
            "passport",
            datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC),
            "With the application",
            "Clean",
        ),
        "Copy of the passport & more",
        True,
    ),
    (
        _attachment(
            "a&b.pdf",
            "other",
            datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC),
            "<supplement>",
            mark_safe("<i>Waiting</i>"),
        ),
        "",
        False,
    ),
]


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
@pytest.mark.parametrize("attachments", [ATTACHMENTS, ATTACHMENTS[1:], []])
def test_the_attachment_rows_are_the_template_loops_markup(language, attachments):
    context = {"application": SimpleNamespace(pk=42), "attachments": attachments}
    with translation.override(language), timezone.override("Europe/Helsinki"):
        expected = Template(TEMPLATE_LOOP).render(Context(context))
        written = Template(WRITTEN).render(Context(context))
    assert written == expected
    assert written.count("<tr>") == len(attachments)
