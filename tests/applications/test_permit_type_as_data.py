"""A permit type written only as a JSON file works end to end, and changing its file later changes
what new drafts ask without touching sent cases or breaking drafts already under way."""

from __future__ import annotations

import io
import json
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, PermitType, Status
from tests.applications.conftest import pdf_upload

pytestmark = pytest.mark.django_db

CODE = "seasonal-work"


def _texts(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


def seasonal_work_file() -> dict:
    """A type the code has never heard of: its questions, a conditional field, a conditional
    attachment kind and its fee are all in this file."""
    return {
        "code": CODE,
        "names": _texts("Kausityö", "Säsongsarbete", "Seasonal work"),
        "description": _texts("Marjanpoimintaan.", "För bärplockning.", "For berry picking."),
        "fee": {"amount": "1234.50", "currency": "EUR"},
        "target_processing_days": 30,
        "schema": {
            "sections": [
                {
                    "key": "work",
                    "title": _texts("Työ", "Arbete", "Work"),
                    "fields": [
                        {
                            "key": "farm_name",
                            "type": "text",
                            "label": _texts("Tilan nimi", "Gårdens namn", "Name of the farm"),
                            "required": True,
                        },
                        {
                            "key": "harvest_days",
                            "type": "number",
                            "label": _texts("Sadonkorjuupäivät", "Skördedagar", "Harvest days"),
                            "required": True,
                            "validation": {"min_value": 1, "max_value": 180, "decimal_places": 0},
                        },
                        {
                            "key": "arrival_date",
                            "type": "date",
                            "label": _texts("Saapumispäivä", "Ankomstdag", "Arrival date"),
                            "required": True,
                        },
                        {
                            "key": "has_housing",
                            "type": "boolean",
                            "label": _texts(
                                "Järjestääkö työnantaja asunnon?",
                                "Ordnar arbetsgivaren bostad?",
                                "Does the employer arrange housing?",
                            ),
                            "required": True,
                        },
                        {
                            "key": "housing_address",
                            "type": "textarea",
                            "label": _texts(
                                "Asunnon osoite", "Bostadens adress", "Housing address"
                            ),
                            "required": True,
                            "show_if": {"field": "has_housing", "equals": True},
                        },
                    ],
                }
            ],
            "attachments": [
                {
                    "code": "work_offer",
                    "label": _texts("Työtarjous", "Arbetserbjudande", "Offer of work"),
                    "min_count": 1,
                },
                {
                    "code": "housing_contract",
                    "label": _texts("Asuntosopimus", "Bostadsavtal", "Housing contract"),
                    "min_count": 1,
                    "show_if": {"field": "has_housing", "equals": True},
                },
            ],
        },
    }


def load(directory, data: dict) -> PermitType:
    (directory / f"{data['code']}.json").write_text(json.dumps(data), encoding="utf-8")
    call_command("load_permit_types", str(directory), stdout=io.StringIO())
    return PermitType.objects.get(code=data["code"])


def page(client, url: str, language: str = "en") -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


ANSWERS = {
    "farm_name": "Mäkelän marjatila",
    "harvest_days": "45",
    "arrival_date": "2031-03-05",
    "has_housing": "yes",
}


@pytest.mark.parametrize(
    ("language", "fee", "arrival"),
    [
        ("fi", "1\xa0234,50\xa0€", "5. maaliskuuta 2031"),
        ("sv", "1\xa0234,50\xa0€", "5 mars 2031"),
        ("en", "€1,234.50", "5 March 2031"),
    ],
)
def test_a_type_added_as_a_file_is_applied_for_through_the_pages(
    applicant_client, applicant, tmp_path, language, fee, arrival
):
    permit_type = load(tmp_path, seasonal_work_file())
    start_page = page(applicant_client, reverse("applications:start"), language)
    assert permit_type.name(language) in start_page
    assert fee in start_page

    response = applicant_client.post(reverse("applications:start"), {"permit_type": CODE})
    application = Application.objects.get(applicant=applicant)
    section_url = reverse("applications:section", args=[application.pk, "work"])
    assert response.url == section_url
    form_page = page(applicant_client, section_url, language)
    farm_label = _texts("Tilan nimi", "Gårdens namn", "Name of the farm")[language]
    assert f'<label for="id_farm_name">{farm_label}</label>' in form_page
    assert 'name="farm_name"' in form_page
    assert 'name="housing_address"' not in form_page

    # Housing arranged: its address is asked on the same page, then its contract as a file.
    response = applicant_client.post(section_url, {**ANSWERS, "action": "continue"})
    assert response.url == section_url
    assert 'name="housing_address"' in page(applicant_client, section_url, language)
    response = applicant_client.post(
        section_url, {**ANSWERS, "housing_address": "Peltotie 1", "action": "continue"}
    )
    attachments_url = reverse("applications:attachments", args=[application.pk])
    assert response.url == attachments_url
    assert 'id="kind-housing_contract"' in page(applicant_client, attachments_url, language)
    missing = page(applicant_client, reverse("applications:missing", args=[application.pk]))
    assert "#kind-work_offer" in missing and "#kind-housing_contract" in missing

    for kind in ("work_offer", "housing_contract"):
        response = applicant_client.post(
            attachments_url, {"upload_kind": kind, f"{kind}-file": pdf_upload(f"{kind}.pdf")}
        )
        assert response.status_code == 302
    review_url = reverse("applications:review", args=[application.pk])
    review = page(applicant_client, review_url, language)
    assert fee in review
    assert arrival in review
    assert "Peltotie 1" in review

    # The fee from the file is in the fee table: the applicant pays before the case is sent.
    response = applicant_client.post(review_url, {"declaration": "on"})
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    payment_page = urlsplit(response.url).path
    response = applicant_client.post(payment_page, {"choice": "success"})
    assert response.status_code == 302
    applicant_client.get(response.url)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    home = page(applicant_client, reverse("applications:home"), language)
    assert application.case_number in home and permit_type.name(language) in home


def test_a_field_added_to_the_file_is_asked_in_new_drafts_but_not_in_sent_cases(
    applicant_client, applicant, tmp_path, submit
):
    from applications.services import (
        application_attach_document,
        application_save_section,
        application_start,
    )

    data = seasonal_work_file()
    permit_type = load(tmp_path, data)
    case = application_start(applicant=applicant, permit_type=permit_type)
    application_save_section(
        application=case, section_key="work", data={**ANSWERS, "has_housing": "no"}
    )
    application_attach_document(application=case, kind="work_offer", uploaded_file=pdf_upload())
    case = submit(case)

    data["schema"]["sections"][0]["fields"].append(
        {
            "key": "berry_kind",
            "type": "choice",
            "label": _texts("Marjalaji", "Bärsort", "Kind of berry"),
            "required": True,
            "validation": {
                "choices": [
                    {"value": "bilberry", "label": _texts("Mustikka", "Blåbär", "Bilberry")},
                    {"value": "lingonberry", "label": _texts("Puolukka", "Lingon", "Lingonberry")},
                ]
            },
        }
    )
    permit_type = load(tmp_path, data)
    assert permit_type.version == 2

    draft = application_start(applicant=applicant, permit_type=permit_type)
    section = page(applicant_client, reverse("applications:section", args=[draft.pk, "work"]))
    assert "Kind of berry" in section and 'value="lingonberry"' in section
    missing = page(applicant_client, reverse("applications:missing", args=[draft.pk]))
    assert "#id_berry_kind" in missing

    case_page = page(applicant_client, reverse("cases:detail", args=[case.pk]))
    assert case.case_number in case_page
    assert "Mäkelän marjatila" in case_page
    assert "Kind of berry" not in case_page


def test_a_field_whose_type_changed_under_a_draft_is_shown_for_correction_not_a_500(
    applicant_client, applicant, tmp_path
):
    from applications.services import application_save_section, application_start

    data = seasonal_work_file()
    draft = application_start(applicant=applicant, permit_type=load(tmp_path, data))
    application_save_section(application=draft, section_key="work", data=ANSWERS)
    fields = {field["key"]: field for field in data["schema"]["sections"][0]["fields"]}
    fields["farm_name"]["type"] = "number"  # "Mäkelän marjatila" is no number
    fields["harvest_days"]["type"] = "date"  # nor is 45 a date
    fields["harvest_days"].pop("validation")
    load(tmp_path, data)

    review = page(applicant_client, reverse("applications:review", args=[draft.pk]))
    assert "Mäkelän marjatila" in review and ">45<" in review
    missing = page(applicant_client, reverse("applications:missing", args=[draft.pk]))
    assert "#id_farm_name" in missing and "#id_harvest_days" in missing
    section = page(applicant_client, reverse("applications:section", args=[draft.pk, "work"]))
    assert 'value="Mäkelän marjatila"' in section
