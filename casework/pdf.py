"""The decision document: an HTML template rendered to PDF on the server with WeasyPrint, in the
applicant's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.display import answer_sections
from core.authority import authority
from core.pdf import html_to_pdf


def decision_html(
    *,
    application,
    outcome: str,
    reasoning: str,
    language: str,
    decided_at=None,
    decision_maker_name: str = "",
    decision_maker_title: str = "",
    valid_until=None,
) -> str:
    """The decision with its appeal instructions as HTML, in `language`."""
    decided_at = decided_at or timezone.now()
    with translation.override(language):
        profile = authority()
        court = profile.appeal_court
        answers = application.submitted_answers
        context = {
            "authority_name": profile.name(language),
            "authority_name_in_text": profile.name_in_text(language),
            "application": application,
            "permit_type_name": application.permit_type.name(language),
            "applicant_name": " ".join(
                str(answers.get(key, "")) for key in ("given_names", "family_name")
            ).strip(),
            "outcome": outcome,
            "reasoning": reasoning,
            "decided_at": decided_at,
            "decision_maker_name": decision_maker_name,
            "decision_maker_title": decision_maker_title,
            "valid_until": valid_until,
            "court": court,
            "court_name": court.name(language) if court else _("the administrative court"),
            "appeal_days": profile.appeal_days,
            "answer_sections": answer_sections(application.schema, answers)[:1],
            "language": language,
        }
        return render_to_string("casework/decision_pdf.html", context)


def decision_pdf(**kwargs) -> bytes:
    """Render the decision (the arguments of decision_html) as PDF bytes."""
    html = decision_html(**kwargs)
    return html_to_pdf(html)
