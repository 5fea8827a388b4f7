"""PDF documents from self-contained HTML with WeasyPrint (decisions, receipts)."""

from __future__ import annotations

import threading

# WeasyPrint reaches Pango, HarfBuzz and fontconfig through cffi, which lets go of the GIL during
# each call, and neither WeasyPrint nor those libraries promise that two documents can be laid
# out at once in one process. gunicorn's threads (deploy.cluster --threads) could do just that,
# so a process makes one PDF at a time; other requests go on meanwhile.
_one_document_at_a_time = threading.Lock()


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # heavy; loaded only when a PDF is made

    # The templates are self-contained: no protocol is allowed, so no file and no address is
    # ever read (a refused resource is left out of the document).
    fetch_nothing = weasyprint.URLFetcher(allowed_protocols=frozenset())
    with _one_document_at_a_time:
        return weasyprint.HTML(string=html, url_fetcher=fetch_nothing).write_pdf()
