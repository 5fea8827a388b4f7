"""The decision is a real administrative decision: outcome, reasons, decision-maker, validity and
the appeal instructions (Administrative Procedure Act 47 §) in the applicant's language; and the
caseworker sees what will be sent before confirming it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import weasyprint
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from applications.models import Status
from casework import services
from casework.models import Decision
from casework.pdf import decision_html, decision_pdf
from tests.applications.test_double_submission import token_from
from tests.casework.conftest import tomorrow_plus

pytestmark = pytest.mark.django_db

APPEAL_HEADINGS = {"fi": "Valitusosoitus", "sv": "Besvärsanvisning", "en": "Appeal instructions"}
GRANTED = {
    "fi": "Lupa on voimassa",
    "sv": "Tillståndet gäller till och med",
    "en": "The permit is valid until",
}
COURTS = {
    "fi": "Helsingin hallinto-oikeus",
    "sv": "Helsingfors förvaltningsdomstol",
    "en": "Helsinki Administrative Court",
}


def _document(application, language: str, **changes) -> dict:
    return {
        "application": application,
        "outcome": "positive",
        "reasoning": "The employment and income requirements are met.",
        "language": language,
        "decision_maker_name": "Aino Virtanen",
        "decision_maker_title": "Senior Inspector",
        "valid_until": date(2030, 6, 30),
        **changes,
    }


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_decision_carries_its_appeal_instructions_in_the_applicants_language(
    submitted, language
):
    text = _text(decision_html(**_document(submitted, language)))
    assert APPEAL_HEADINGS[language] in text
    assert COURTS[language] in text  # the court of the authority's profile, in that language
    assert "30" in text  # the appeal period
    assert GRANTED[language] in text and "2030" in text
    assert "Aino Virtanen" in text and "Senior Inspector" in text
    assert "The employment and income requirements are met." in text
    assert submitted.case_number in text
    # Nothing of another language leaks in.
    for other, heading in APPEAL_HEADINGS.items():
        if other != language:
            assert heading not in text


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_decision_pdf_has_the_appeal_instructions_on_their_own_page(submitted, language):
    html = decision_html(**_document(submitted, language))
    pages = weasyprint.HTML(string=html).render().pages
    assert len(pages) >= 2
    assert decision_pdf(**_document(submitted, language)).startswith(b"%PDF-")


def test_a_refusal_says_so_and_carries_no_validity(submitted):
    text = _text(decision_html(**_document(submitted, "en", outcome="negative")))
    assert "The application is refused." in text
    assert "The application is granted." not in text
    assert "valid until" not in text
    assert "Appeal instructions" in text


def test_the_appeal_court_comes_from_the_authority_profile(submitted, settings, tmp_path):
    data = json.loads(Path(settings.AUTHORITY_PROFILE).read_text(encoding="utf-8"))
    data["appeal_court"] = {
        "name": {"fi": "Turun hallinto-oikeus", "en": "Turku Administrative Court"},
        "address": "Sairashuoneenkatu 2-4, 20100 Turku",
    }
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.AUTHORITY_PROFILE = str(path)
    text = _text(decision_html(**_document(submitted, "en")))
    assert "Turku Administrative Court" in text and "Sairashuoneenkatu" in text
    assert "Helsinki" not in text


def test_the_stored_decision_keeps_its_signature_and_validity(in_processing, caseworker):
    valid_until = tomorrow_plus(365)
    decision = services.case_decide(
        application=in_processing,
        actor=caseworker,
        outcome="positive",
        reasoning="Met.",
        decision_maker_name="  Aino Virtanen ",
        decision_maker_title="Senior Inspector",
        valid_until=valid_until,
    )
    decision.refresh_from_db()
    assert decision.decision_maker_name == "Aino Virtanen"
    assert decision.valid_until == valid_until


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"decision_maker_name": " "}, "required"),
        ({"valid_until": date(2000, 1, 1)}, "valid_until_past"),
        ({"outcome": "partly"}, "outcome"),
    ],
)
def test_a_decision_without_what_the_law_needs_is_refused(in_processing, caseworker, changes, code):
    arguments = {
        "outcome": "positive",
        "reasoning": "Met.",
        "decision_maker_name": "Aino Virtanen",
        "valid_until": tomorrow_plus(),
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.case_decide(application=in_processing, actor=caseworker, **arguments)
    assert refused.value.code == code
    in_processing.refresh_from_db()
    assert in_processing.status == Status.IN_PROCESSING
    assert not Decision.objects.exists()


def _draft(**changes) -> dict:
    return {
        "outcome": "positive",
        "reasoning": "The conditions for the permit are met.",
        "valid_until": tomorrow_plus(365).isoformat(),
        "decision_maker_name": "Aino Virtanen",
        "decision_maker_title": "Senior Inspector",
        **changes,
    }


def test_the_caseworker_sees_what_will_be_sent_before_it_is_sent(
    caseworker_client, in_processing, smtp_server
):
    url = reverse("casework:decide", args=[in_processing.pk])
    preview = caseworker_client.post(url, {**_draft(), "step": "preview"})
    assert preview.status_code == 200
    assert "The application is granted." in preview.text
    assert "The conditions for the permit are met." in preview.text
    assert "Aino Virtanen" in preview.text and "Appeal instructions" in preview.text
    assert "Confirm and send" in preview.text and "Back to edit" in preview.text
    # The notification's subject, as the applicant will get it.
    assert "decision" in preview.text.lower()
    assert not Decision.objects.exists() and smtp_server.outbox == []

    back = caseworker_client.post(url, {**_draft(), "step": "edit"})
    assert back.status_code == 200 and "The conditions for the permit are met." in back.text
    assert 'class="error-summary"' not in back.text
    assert 'class="error-message"' not in back.text
    assert not Decision.objects.exists()


def test_a_draft_with_errors_is_not_previewed(caseworker_client, in_processing):
    url = reverse("casework:decide", args=[in_processing.pk])
    response = caseworker_client.post(
        url, {**_draft(valid_until="2000-01-01", decision_maker_name=""), "step": "preview"}
    )
    assert response.status_code == 200
    assert "Confirm and send" not in response.text
    assert "The permit must be valid after today." in response.text
    assert "The conditions for the permit are met." in response.text  # what was typed is kept


def test_the_confirmation_sent_twice_decides_once(caseworker_client, in_processing):
    url = reverse("casework:decide", args=[in_processing.pk])
    preview = caseworker_client.post(url, {**_draft(), "step": "preview"})
    token = token_from(preview)
    data = {**_draft(), "step": "send", "submission_token": token}
    first, second = caseworker_client.post(url, data), caseworker_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    decision = Decision.objects.get(application=in_processing)
    assert decision.decision_maker_title == "Senior Inspector"
    in_processing.refresh_from_db()
    assert in_processing.status == Status.DECIDED
    case_page = caseworker_client.get(first["Location"]).text
    assert "The application is granted." in case_page
    assert "Aino Virtanen, Senior Inspector" in case_page


@pytest.mark.parametrize(
    ("outcome", "said", "not_said"),
    [
        ("positive", "Your application has been granted", "Your application has been refused"),
        ("negative", "Your application has been refused", "Your application has been granted"),
    ],
)
def test_the_applicants_case_page_says_the_outcome_at_the_top(
    applicant_browser, in_processing, caseworker, outcome, said, not_said
):
    services.case_decide(
        application=in_processing,
        actor=caseworker,
        outcome=outcome,
        reasoning="Reasons.",
        decision_maker_name="Aino Virtanen",
        valid_until=tomorrow_plus(365),
    )
    page = applicant_browser.get(reverse("cases:detail", args=[in_processing.pk])).text
    assert said in page and not_said not in page
    assert page.index(said) < page.index(">Case number<")  # above the case details
    assert ("The permit is valid until" in page) == (outcome == "positive")
    assert "appeal" in page


def test_an_open_request_is_at_the_top_of_the_one_case_page_with_its_deadline(
    waiting, applicant_browser
):
    page = applicant_browser.get(reverse("cases:detail", args=[waiting.pk])).text
    request = waiting.supplement_requests.get(closed_at__isnull=True)
    todo = page.index("What you must do next")
    assert todo < page.index(">Case number<") < page.index("Your answers as sent")
    assert reverse("cases:answer", args=[waiting.pk]) in page[todo:]
    deadline = date_format(request.deadline)
    assert f"Answer our request for more information by {deadline}." in page[todo:]


def test_the_home_page_lists_every_open_request_with_its_deadline(
    waiting, submit_case, applicant, caseworker, applicant_browser, other_applicant
):
    second = services.case_take(application=submit_case(applicant), actor=caseworker)
    services.supplement_request_create(
        application=second,
        actor=caseworker,
        message="Send the contract.",
        requested_kinds=[],
        deadline=tomorrow_plus(3),
    )
    someone_elses = services.case_take(application=submit_case(other_applicant), actor=caseworker)
    services.supplement_request_create(
        application=someone_elses,
        actor=caseworker,
        message="Send the passport.",
        requested_kinds=[],
        deadline=tomorrow_plus(5),
    )
    page = applicant_browser.get(reverse("applications:home")).text
    for case in (waiting, second):
        request = case.supplement_requests.get(closed_at__isnull=True)
        deadline = date_format(request.deadline)
        assert f"({case.case_number}): answer our request for more information by {deadline}" in (
            page
        )
        assert reverse("cases:answer", args=[case.pk]) in page
    assert someone_elses.case_number not in page
    # The sooner deadline first.
    assert page.index(second.case_number) < page.index(waiting.case_number)


# The wording of a Finnish appeal instruction (Act on Administrative Court Procedure 808/2019), as
# authorities print it: the appeal authority named in the nominative (no inflected court name),
# the period from service, the address for service, the attachments and the court fee act.
OFFICIAL_PHRASES = {
    "fi": [
        "Tähän päätökseen tyytymätön voi hakea siihen muutosta valittamalla hallinto-oikeuteen.",
        "Valitusviranomainen on Helsingin hallinto-oikeus.",
        "Valitus on tehtävä 30 päivän kuluessa päätöksen tiedoksisaannista.",
        "Tiedoksisaantipäivää ei lueta valitusaikaan.",
        "(prosessiosoite)",
        "valituksen kohteena oleva päätös valitusosoituksineen",
        "tuomioistuinmaksulain (1455/2015)",
        "Liite: valitusosoitus",
    ],
    "sv": [
        "genom besvär hos förvaltningsdomstolen",
        "Besvärsmyndighet är Helsingfors förvaltningsdomstol.",
        "Besvär ska anföras inom 30 dagar från delfåendet av beslutet.",
        "Delfåendedagen räknas inte in i besvärstiden.",
        "(processadress)",
        "det överklagade beslutet med besvärsanvisning",
        "lagen om domstolsavgifter (1455/2015)",
        "Bilaga: besvärsanvisning",
        "Banbyggarvägen 5, 00520 Helsingfors",  # the court's address in Swedish
    ],
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_appeal_instructions_read_as_finnish_authorities_write_them(submitted, language):
    text = _text(decision_html(**_document(submitted, language)))
    missing = [phrase for phrase in OFFICIAL_PHRASES[language] if phrase not in text]
    assert missing == []
    assert "#}" not in text and "Act on Administrative Court Procedure" not in text


def test_the_appeal_period_comes_from_the_authority_profile(
    submitted, settings, tmp_path, applicant_browser, in_processing, caseworker
):
    data = json.loads(Path(settings.AUTHORITY_PROFILE).read_text(encoding="utf-8"))
    data["appeal_court"]["appeal_days"] = 14
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.AUTHORITY_PROFILE = str(path)
    fi = _text(decision_html(**_document(submitted, "fi")))
    assert "Valitus on tehtävä 14 päivän kuluessa" in fi and "30 päivän" not in fi
    en = _text(decision_html(**_document(submitted, "en")))
    assert "within 14 days of service" in en
    services.case_decide(
        application=in_processing,
        actor=caseworker,
        outcome="negative",
        reasoning="Reasons.",
        decision_maker_name="Aino Virtanen",
    )
    page = applicant_browser.get(reverse("cases:detail", args=[in_processing.pk])).text
    assert "within 14 days of receiving it" in page
