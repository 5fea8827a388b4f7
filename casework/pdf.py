"""The decision document: an HTML template rendered to PDF on the server with WeasyPrint, in the
applicant's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.display import answer_sections
from core.authority import authority


def _no_fetching(url: str, *args, **kwargs):
    # The template is self-contained; refusing every fetch means no file or network is ever read.
    raise ValueError("the decision document loads no external resources")


def decision_pdf(
    *, application, outcome: str, reasoning: str, language: str, decided_at=None
) -> bytes:
    """Render the decision of `application` as PDF bytes."""
    import weasyprint

    decided_at = decided_at or timezone.now()
    with translation.override(language):
        answers = application.submitted_answers
        context = {
            "authority": authority(),
            "application": application,
            "permit_type_name": application.permit_type.name(language),
            "applicant_name": " ".join(
                str(answers.get(key, "")) for key in ("given_names", "family_name")
            ).strip(),
            "outcome": outcome,
            "reasoning": reasoning,
            "decided_at": decided_at,
            "answer_sections": answer_sections(application.schema, answers)[:1],
            "language": language,
        }
        html = render_to_string("casework/decision_pdf.html", context)
    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf()
