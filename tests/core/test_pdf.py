"""core.pdf: WeasyPrint behind one lock per process, so that gunicorn's threads never lay out
two documents at once; nothing outside the HTML is fetched."""

from __future__ import annotations

import threading

from core import pdf

PAGE = "<html><body><p>Decision</p></body></html>"


def test_a_pdf_is_made_from_self_contained_html():
    assert pdf.html_to_pdf(PAGE).startswith(b"%PDF")


def test_a_second_document_waits_while_one_is_being_made():
    made = []
    other = threading.Thread(target=lambda: made.append(pdf.html_to_pdf(PAGE)))
    with pdf._one_document_at_a_time:  # a document "being made" in another thread
        other.start()
        other.join(timeout=1.0)
        assert other.is_alive() and not made
    other.join(timeout=60)
    assert made and made[0].startswith(b"%PDF")


def test_nothing_outside_the_html_is_fetched(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    document = pdf.html_to_pdf(f'<img src="file://{secret}"><p>x</p>')
    assert document.startswith(b"%PDF") and b"PNG" not in document
