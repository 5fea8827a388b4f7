"""The applicant's pages write dates in the page's language (config/formats), never American."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from applications.models import Application

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 11, 30, 16, 50, tzinfo=zoneinfo.ZoneInfo("Europe/Helsinki"))


@pytest.mark.parametrize(
    ("language", "written"),
    [("fi", "30. marraskuuta 2026"), ("sv", "30 november 2026"), ("en", "30 November 2026")],
)
def test_the_home_page_dates_a_draft_in_the_language_of_the_page(
    applicant_client, draft, language, written
):
    Application.objects.filter(pk=draft.pk).update(created_at=MOMENT, updated_at=MOMENT)
    applicant_client.cookies["django_language"] = language
    page = applicant_client.get(reverse("applications:home")).content.decode()
    assert written in page
    for american in ("Nov. 30, 2026", "November 30, 2026", "11/30/2026"):
        assert american not in page
