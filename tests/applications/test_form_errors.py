"""Errors on the applicant's pages: the summary at the top with the focus and a link to each
field, messages in the field's own words, numbers typed as each language writes them, and
autocomplete on the applicant's own details."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from tests.accessibility.html_rules import page_structure, structure_problems
from tests.applications.conftest import WORK_SECTIONS, fill_sections, pdf_upload

pytestmark = pytest.mark.django_db

DECLARATION_START = {
    "fi": "Vakuutan",
    "sv": "Jag försäkrar",
    "en": "I declare that the information",
}


def _page(client, language: str, method: str, url: str, data=None) -> str:
    client.cookies["django_language"] = language
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return response.content.decode()


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def _assert_summary_first_with_focus(page: str) -> None:
    """Before the h1 and every section and form of <main>, focused on load, links resolve."""
    structure = page_structure(page)
    assert structure.error_summary is not None
    assert structure.before_error_summary == []
    assert (
        structure.error_summary.get("tabindex") == "-1" and "autofocus" in structure.error_summary
    )
    assert structure.error_summary_links
    assert all(target in structure.ids for target in structure.error_summary_links)
    assert structure_problems(page) == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_refused_upload_is_summarised_at_the_top_of_the_attachments_page(
    applicant_client, applicant, start_draft, language
):
    application = start_draft(applicant)
    page = _page(
        applicant_client,
        language,
        "post",
        reverse("applications:attachments", args=[application.pk]),
        {"upload_kind": "employment_contract"},
    )
    _assert_summary_first_with_focus(page)
    summary = _summary(page)
    assert 'href="#id_employment_contract-file"' in summary
    # Not in the summary: the other kinds' upload boxes, which were not submitted.
    assert "passport_copy" not in summary
    assert page.index('class="error-summary"') < page.index('<section id="kind-passport_copy"')


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_declaration_error_is_at_the_top_and_does_not_repeat_the_declaration(
    applicant_client, applicant, start_draft, language
):
    application = start_draft(applicant)
    page = _page(
        applicant_client, language, "post", reverse("applications:review", args=[application.pk])
    )
    _assert_summary_first_with_focus(page)
    summary = _summary(page)
    assert 'href="#id_declaration"' in summary
    assert DECLARATION_START[language] not in summary
    # The draft is empty: each missing answer is listed at the top too, linking to its field.
    assert f'/applications/{application.pk}/section/personal/#id_passport_number"' in summary


def test_a_declared_but_incomplete_application_lists_what_is_missing_at_the_top(
    applicant_client, applicant, start_draft
):
    application = fill_sections(start_draft(applicant))
    page = _page(
        applicant_client,
        "en",
        "post",
        reverse("applications:review", args=[application.pk]),
        {"declaration": "on"},
    )
    summary = _summary(page)
    assert "The application is not complete yet." in summary
    assert f'/applications/{application.pk}/attachments/#kind-passport_copy"' in summary
    assert not Application.objects.get(pk=application.pk).case_number


def test_the_review_page_without_a_refused_submission_has_no_error_summary(
    applicant_client, applicant, start_draft
):
    application = start_draft(applicant)
    page = _page(
        applicant_client, "en", "get", reverse("applications:review", args=[application.pk])
    )
    assert "error-summary" not in page
    assert 'class="missing-summary"' in page


@pytest.mark.parametrize(
    ("language", "passport", "nationality", "salary"),
    [
        (
            "fi",
            "Kirjoita passinumerosi.",
            "Valitse kansalaisuutesi.",
            "numerona, esimerkiksi 3\u00a0400,50.",
        ),
        (
            "sv",
            "Skriv ditt passnummer.",
            "Välj ditt medborgarskap.",
            "som ett tal, till exempel 3\u00a0400,50.",
        ),
        (
            "en",
            "Enter your passport number.",
            "Choose your nationality.",
            "as a number, for example 3,400.50.",
        ),
    ],
)
def test_each_field_says_what_is_missing_in_its_own_words(
    applicant_client, applicant, start_draft, language, passport, nationality, salary
):
    application = start_draft(applicant)
    url = reverse("applications:section", args=[application.pk, "personal"])
    page = _page(applicant_client, language, "post", url, {"action": "continue"})
    _assert_summary_first_with_focus(page)
    summary = _summary(page)
    assert passport in summary and nationality in summary
    assert "This field is required" not in page and "Tämä kenttä vaaditaan" not in page
    # The same words beside the field.
    assert f'<p class="error-message" id="id_passport_number_error">{passport}</p>' in page

    fill_sections(application, {"personal": WORK_SECTIONS["personal"]})
    url = reverse("applications:section", args=[application.pk, "employment"])
    data = {**WORK_SECTIONS["employment"], "monthly_salary": "lots", "action": "continue"}
    page = _page(applicant_client, language, "post", url, data)
    assert salary in _summary(page)


@pytest.mark.parametrize(
    ("language", "salary", "hours"),
    [
        ("fi", "3 400,50", "37,5"),
        ("sv", "3\u00a0400,50", "37,5"),
        ("fi", "3\u202f400,50", "37.5"),
        ("en", "3,400.50", "37.5"),
    ],
)
def test_numbers_are_read_as_the_language_writes_them(
    applicant_client, applicant, start_draft, language, salary, hours
):
    application = fill_sections(start_draft(applicant), {"personal": WORK_SECTIONS["personal"]})
    url = reverse("applications:section", args=[application.pk, "employment"])
    applicant_client.cookies["django_language"] = language
    data = {**WORK_SECTIONS["employment"], "monthly_salary": salary, "weekly_hours": hours}
    response = applicant_client.post(url, {**data, "action": "continue"})
    assert response.status_code == 302, response.content.decode()
    answers = Application.objects.get(pk=application.pk).answers
    assert Decimal(answers["monthly_salary"]) == Decimal("3400.50")
    assert Decimal(answers["weekly_hours"]) == Decimal("37.5")


AUTOCOMPLETE = {
    "personal": {
        "family_name": "family-name",
        "given_names": "given-name",
        "date_of_birth": "bday",
    },
    "contact": {
        "email": "email",
        "phone": "tel",
        "address": "street-address",
        "country_of_residence": "country",
    },
}


@pytest.mark.parametrize("section", AUTOCOMPLETE)
def test_the_applicants_own_details_carry_autocomplete_tokens(
    applicant_client, applicant, start_draft, section
):
    application = start_draft(applicant)
    url = reverse("applications:section", args=[application.pk, section])
    page = _page(applicant_client, "fi", "get", url)
    controls = {control.get("name"): control for control in page_structure(page).controls}
    for name, token in AUTOCOMPLETE[section].items():
        assert controls[name].get("autocomplete") == token, name
    # Someone else's or non-personal details are not offered the applicant's own.
    assert "autocomplete" not in controls.get("passport_number", {})


def test_the_family_members_name_is_not_autofilled_with_the_applicants(
    applicant_client, applicant, start_draft, permit_types
):
    application = start_draft(applicant, permit_types["family-ties"])
    sections = [section["key"] for section in application.schema["sections"]]
    pages = [
        _page(
            applicant_client,
            "en",
            "get",
            reverse("applications:section", args=[application.pk, key]),
        )
        for key in sections
    ]
    controls = {
        control.get("name"): control for page in pages for control in page_structure(page).controls
    }
    assert "sponsor_family_name" in controls
    assert "autocomplete" not in controls["sponsor_family_name"]


def test_a_start_without_a_choice_says_what_to_choose(applicant_client, permit_types):
    page = _page(applicant_client, "en", "post", reverse("applications:start"))
    _assert_summary_first_with_focus(page)
    assert '<a href="#id_permit_type_0">Choose what you want to apply for.</a>' in page


def test_an_upload_too_large_still_names_the_file_box(
    applicant_client, applicant, start_draft, settings
):
    settings.UPLOAD_MAX_BYTES = 1_024
    application = start_draft(applicant)
    page = _page(
        applicant_client,
        "en",
        "post",
        reverse("applications:attachments", args=[application.pk]),
        {
            "upload_kind": "passport_copy",
            "passport_copy-file": pdf_upload("p.pdf", b"%PDF" + b"x" * 4096),
        },
    )
    _assert_summary_first_with_focus(page)
    assert 'href="#id_passport_copy-file"' in _summary(page)
