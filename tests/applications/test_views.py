"""The applicant's pages, in Finnish, Swedish and English; bad input; access; query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, Status
from audit.models import AuditEvent
from tests.applications.conftest import WORK_SECTIONS, attach_required, fill_sections, pdf_upload
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]


def in_language(client, language: str):
    client.cookies["django_language"] = language
    return client


def content(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_start_page_lists_types_with_fee_and_processing_time(
    applicant_client, permit_types, language
):
    from applications.catalogue import permit_type_fees_ensure, permit_types_load_directory

    # The fee shown is the fee table's (seeded from the catalogue file), not the file itself.
    permit_type_fees_ensure(results=permit_types_load_directory())
    response = in_language(applicant_client, language).get(reverse("applications:start"))
    assert response.status_code == 200
    page = content(response)
    assert f'<html lang="{language}">' in page
    assert permit_types["work-employed"].name(language) in page
    fee = {"fi": "480,00\xa0€", "sv": "480,00\xa0€", "en": "€480.00"}[language]
    assert fee in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_whole_journey_from_start_to_a_case_on_the_home_page(
    applicant_client, applicant, permit_types, language
):
    client = in_language(applicant_client, language)
    response = client.post(reverse("applications:start"), {"permit_type": "work-employed"})
    application = Application.objects.get(applicant=applicant)
    assert response.url == reverse("applications:section", args=[application.pk, "personal"])

    page = content(client.get(response.url))
    label = permit_types["work-employed"].schema["sections"][0]["fields"][0]["label"][language]
    assert label in page
    for key, data in WORK_SECTIONS.items():
        url = reverse("applications:section", args=[application.pk, key])
        response = client.post(url, {**data, "action": "continue"})
        assert response.status_code == 302, content(client.get(url))
    assert response.url == reverse("applications:attachments", args=[application.pk])

    for kind in ("passport_copy", "employment_contract"):
        response = client.post(
            reverse("applications:attachments", args=[application.pk]),
            {"upload_kind": kind, f"{kind}-file": pdf_upload(f"{kind}.pdf")},
        )
        assert response.status_code == 302
    attachments_page = content(
        client.get(reverse("applications:attachments", args=[application.pk]))
    )
    assert "employment_contract.pdf" in attachments_page

    review_url = reverse("applications:review", args=[application.pk])
    review = content(client.get(review_url))
    assert "Pohjolan Ohjelmisto Oy" in review
    response = client.post(review_url, {"declaration": "on"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    # One case page, with the confirmation panel of a just-sent application.
    assert response.url == reverse("cases:detail", args=[application.pk]) + "?sent=1"
    case_page = content(client.get(response.url))
    assert application.case_number in case_page
    assert 'id="sent-title"' in case_page and 'id="sent-title"' not in content(
        client.get(reverse("cases:detail", args=[application.pk]))
    )
    old_address = client.get(reverse("applications:case", args=[application.pk]))
    assert old_address.url == reverse("cases:detail", args=[application.pk])
    assert "Nguyen" in case_page
    home = content(client.get(reverse("applications:home")))
    assert application.case_number in home
    assert permit_types["work-employed"].name(language) in home


@pytest.mark.parametrize(
    ("language", "date_text", "salary_text"),
    [
        ("fi", "17. huhtikuuta 1991", "4200,50"),
        ("sv", "17 april 1991", "4200,50"),
        ("en", "17 April 1991", "4200.50"),
    ],
)
def test_answers_are_shown_with_dates_and_numbers_in_the_languages_format(
    applicant_client, applicant, start_draft, language, date_text, salary_text
):
    application = fill_sections(start_draft(applicant))
    page = content(
        in_language(applicant_client, language).get(
            reverse("applications:review", args=[application.pk])
        )
    )
    assert salary_text in page
    assert date_text in page


def test_bad_input_keeps_what_was_typed_shows_the_error_summary_and_saves_nothing(
    applicant_client, applicant, start_draft
):
    application = start_draft(applicant)
    url = reverse("applications:section", args=[application.pk, "personal"])
    data = {**WORK_SECTIONS["personal"], "passport_number": "c 123", "given_names": "Thi Lan"}
    response = in_language(applicant_client, "en").post(url, data)
    assert response.status_code == 200
    page = content(response)
    assert 'class="error-summary"' in page
    assert 'href="#id_passport_number"' in page
    assert 'value="c 123"' in page
    assert 'value="Thi Lan"' in page
    assert Application.objects.get(pk=application.pk).answers == {}


def test_a_field_with_two_errors_has_one_error_element_its_input_points_to(
    applicant_client, applicant, start_draft
):
    application = start_draft(applicant)
    url = reverse("applications:section", args=[application.pk, "personal"])
    # Too short and not capitals: two errors on one field.
    data = {**WORK_SECTIONS["personal"], "passport_number": "c 1", "marital_status": "x"}
    page = content(in_language(applicant_client, "en").post(url, data))
    assert page.count('id="id_passport_number_error"') == 1
    assert "at least 5 characters" in page and "capital letters" in page
    field = re.search(r'<input[^>]*name="passport_number"[^>]*>', page).group(0)
    assert "id_passport_number_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
    assert page.count('id="id_marital_status_error"') == 1
    fieldset = re.search(r'<fieldset[^>]*id="id_marital_status"[^>]*>', page).group(0)
    assert "id_marital_status_error" in fieldset


def test_nonsense_input_never_answers_500(applicant_client, applicant, start_draft):
    application = start_draft(applicant)
    url = reverse("applications:section", args=[application.pk, "employment"])
    response = applicant_client.post(
        url,
        {
            "monthly_salary": "lots",
            "weekly_hours": "1e999",
            "start_date": "31.02.2030",
            "contract_type": ["permanent", "x" * 10_000],
        },
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=application.pk).answers == {}


def test_a_conditional_field_appears_after_its_answer_is_saved(
    applicant_client, applicant, start_draft
):
    application = start_draft(applicant)
    url = reverse("applications:section", args=[application.pk, "background"])
    assert 'name="previous_permit_number"' not in content(applicant_client.get(url))
    response = applicant_client.post(url, {"previous_finnish_permit": "yes", "action": "continue"})
    assert response.url == url  # stays, because a new question appeared
    assert 'name="previous_permit_number"' in content(applicant_client.get(url))


def test_save_draft_goes_back_home(applicant_client, applicant, start_draft):
    application = start_draft(applicant)
    url = reverse("applications:section", args=[application.pk, "contact"])
    response = applicant_client.post(url, {**WORK_SECTIONS["contact"], "action": "save"})
    assert response.url == reverse("applications:home")


def test_the_missing_page_links_to_each_missing_item(applicant_client, applicant, start_draft):
    application = start_draft(applicant)
    page = content(applicant_client.get(reverse("applications:missing", args=[application.pk])))
    section_url = reverse("applications:section", args=[application.pk, "personal"])
    assert f'href="{section_url}#id_family_name"' in page
    attachments_url = reverse("applications:attachments", args=[application.pk])
    assert f'href="{attachments_url}#kind-passport_copy"' in page


def test_submitting_without_the_declaration_shows_an_error(
    applicant_client, applicant, start_draft
):
    application = attach_required(fill_sections(start_draft(applicant)))
    response = applicant_client.post(reverse("applications:review", args=[application.pk]), {})
    assert response.status_code == 200
    assert 'href="#id_declaration"' in content(response)
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_a_double_submit_answers_with_the_existing_case_number(
    applicant_client, applicant, start_draft
):
    application = attach_required(fill_sections(start_draft(applicant)))
    url = reverse("applications:review", args=[application.pk])
    applicant_client.post(url, {"declaration": "on"})
    response = applicant_client.post(url, {"declaration": "on"}, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.case_number in content(response)
    assert application.events.filter(kind="submitted").count() == 1


def test_a_rejected_upload_shows_the_message_and_attaches_nothing(
    applicant_client, applicant, start_draft
):
    application = start_draft(applicant)
    response = applicant_client.post(
        reverse("applications:attachments", args=[application.pk]),
        {
            "upload_kind": "passport_copy",
            "passport_copy-file": pdf_upload("x.pdf", b"MZ" + bytes(300)),
        },
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in content(response)
    assert not application.attachments.exists()


def test_a_page_showing_an_error_says_so_first_in_its_title(
    applicant_client, applicant, start_draft
):
    application = start_draft(applicant)
    client = in_language(applicant_client, "en")
    assert "<title>Error:" not in content(client.get(reverse("applications:start")))
    assert "<title>Error:" in content(client.post(reverse("applications:start"), {}))
    url = reverse("applications:attachments", args=[application.pk])
    assert "<title>Error:" not in content(client.get(url))
    response = client.post(
        url, {"upload_kind": "passport_copy", "passport_copy-file": pdf_upload("x.pdf", b"MZ")}
    )
    assert "<title>Error:" in content(response)


def test_an_attachment_is_removed_in_draft(applicant_client, applicant, start_draft):
    from applications.services import application_attach_document

    application = start_draft(applicant)
    attachment = application_attach_document(
        application=application, kind="passport_copy", uploaded_file=pdf_upload()
    )
    response = applicant_client.post(
        reverse("applications:remove_attachment", args=[application.pk, attachment.pk])
    )
    assert response.status_code == 302
    assert not application.attachments.exists()


def test_a_draft_is_deleted_after_confirmation(applicant_client, applicant, start_draft):
    application = start_draft(applicant)
    url = reverse("applications:delete_draft", args=[application.pk])
    assert applicant_client.get(url).status_code == 200
    assert applicant_client.post(url).status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()


def test_viewing_answers_is_audited_with_ids_only(applicant_client, applicant, start_draft):
    application = fill_sections(start_draft(applicant))
    applicant_client.get(reverse("applications:review", args=[application.pk]))
    event = AuditEvent.objects.filter(action="application.viewed").latest("id")
    assert (event.object_type, event.object_id) == ("applications.application", str(application.pk))
    assert event.details == {"page": "review"}


def test_a_page_shown_again_after_a_refused_post_is_audited_as_a_view(
    applicant_client, applicant, start_draft
):
    application = fill_sections(start_draft(applicant))
    applicant_client.post(reverse("applications:review", args=[application.pk]), {})
    applicant_client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"upload_kind": "passport_copy", "passport_copy-file": pdf_upload("x.pdf", b"MZ")},
    )
    pages = (
        AuditEvent.objects.filter(action="application.viewed", object_id=str(application.pk))
        .order_by("id")
        .values_list("details", flat=True)
    )
    assert list(pages) == [{"page": "review"}, {"page": "attachments"}]


def test_another_users_application_is_not_found(applicant_client, other_applicant, start_draft):
    application = start_draft(other_applicant)
    for name in ("case", "review", "attachments", "missing", "delete_draft"):
        assert (
            applicant_client.get(reverse(f"applications:{name}", args=[application.pk])).status_code
            == 404
        )


def test_pages_need_the_second_factor(client, applicant, permit_types):
    client.force_login(applicant)
    response = client.get(reverse("applications:home"))
    assert response.status_code == 302
    assert "two-factor" in response.url


def test_caseworkers_are_refused_the_applicant_pages(client, caseworker):
    sign_in_with_second_factor(client, caseworker)
    assert client.get(reverse("applications:home")).status_code == 403


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:home"))
    assert response.status_code == 200
    return len(queries)


def _make_cases(applicant, start_draft, submit, count: int) -> None:
    for _index in range(count):
        submit(attach_required(fill_sections(start_draft(applicant))))
    start_draft(applicant)


def test_the_home_page_query_count_does_not_grow_with_cases(
    applicant_client, applicant, start_draft, submit
):
    _make_cases(applicant, start_draft, submit, 2)
    # The first signed-in request records the session's activity (a write at most once a minute).
    _home_queries(applicant_client)
    with_two = _home_queries(applicant_client)
    _make_cases(applicant, start_draft, submit, 10)
    assert Application.objects.filter(applicant=applicant).count() == 14
    assert _home_queries(applicant_client) == with_two


def test_the_home_page_shows_each_cases_timeline_and_number(
    applicant_client, applicant, start_draft, submit
):
    case = submit(attach_required(fill_sections(start_draft(applicant))))
    page = content(in_language(applicant_client, "en").get(reverse("applications:home")))
    assert case.case_number in page
    assert re.search(r"Application submitted", page)
    assert "Application started" in page


def test_starting_without_choosing_a_type_shows_an_error(applicant_client, permit_types):
    response = applicant_client.post(reverse("applications:start"), {})
    assert response.status_code == 200
    assert 'class="error-summary"' in content(response)
    assert not Application.objects.exists()


def test_an_upload_for_an_unknown_kind_is_refused_without_500(
    applicant_client, applicant, start_draft
):
    application = start_draft(applicant)
    response = applicant_client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"upload_kind": "selfie", "selfie-file": pdf_upload()},
        follow=True,
    )
    assert response.status_code == 200
    assert not application.attachments.exists()


def test_a_submitted_case_sends_its_edit_pages_to_the_case_page(
    applicant_client, applicant, start_draft, submit
):
    case = submit(attach_required(fill_sections(start_draft(applicant))))
    response = applicant_client.get(reverse("applications:section", args=[case.pk, "personal"]))
    assert response.url == reverse("applications:case", args=[case.pk])
    response = applicant_client.post(
        reverse("applications:section", args=[case.pk, "personal"]), WORK_SECTIONS["personal"]
    )
    assert response.url == reverse("applications:case", args=[case.pk])


def test_a_scanned_attachment_links_to_its_download_and_the_download_works(
    applicant_client, draft, django_capture_on_commit_callbacks
):
    from tests.applications.conftest import attach_required

    with django_capture_on_commit_callbacks(execute=True):  # the virus scan runs after commit
        attach_required(draft)
    attachment = draft.attachments.select_related("document").first()
    response = applicant_client.get(f"/applications/{draft.pk}/attachments/")
    download_url = f"/documents/{attachment.document.pk}/download/"
    assert download_url.encode() in response.content
    download = applicant_client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_each_upload_box_is_labelled_with_its_kind_of_attachment(applicant_client, draft):
    import re

    html = applicant_client.get(f"/applications/{draft.pk}/attachments/").content.decode()
    label = re.search(r'<label for="id_passport_copy-file">([^<]+)', html)
    assert label is not None
    assert label.group(1).strip() != "File"


@pytest.mark.parametrize(
    "language,add,download",
    [
        ("fi", "Lisää liite", "Lataa"),
        ("sv", "Lägg till bilaga", "Ladda ned"),
        ("en", "Add attachment", "Download"),
    ],
)
def test_the_upload_button_says_add_attachment_never_the_word_for_download(
    applicant_client, draft, language, add, download
):
    """Finnish "Lataa" meant both upload and download (issue 11): the button adds an attachment."""
    html = applicant_client.get(
        f"/applications/{draft.pk}/attachments/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    buttons = [
        " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for text in re.findall(r'<button type="submit">(.*?)</button>', html, flags=re.S)
    ]
    uploads = [text for text in buttons if text.startswith(add)]
    assert uploads, buttons
    assert not any(download in text for text in buttons), buttons


def test_the_case_pages_attachment_rows_name_each_files_kind(
    applicant_client, applicant, start_draft, submit
):
    case = submit(attach_required(fill_sections(start_draft(applicant))))
    labels = {kind["code"]: kind["label"]["en"] for kind in case.submitted_schema["attachments"]}
    page = content(in_language(applicant_client, "en").get(reverse("cases:detail", args=[case.pk])))
    for code in ("passport_copy", "employment_contract"):
        row = rf'{code}\.pdf(</a>)?</td>\s*<td data-label="Kind of attachment">{labels[code]}</td>'
        assert re.search(row, page), code
