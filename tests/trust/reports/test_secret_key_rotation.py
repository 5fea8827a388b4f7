"""Rotating SECRET_KEY: people's addresses remembered under the old key stay withheld from
warnings, and an address told about a campaign is not told again."""

import pytest

from tests.secret_key_rotation import after_rotation, before_rotation
from trust.models import Campaign, ScamReport
from trust.selectors import campaign_warning_candidates
from trust.services.campaigns import reporter_feedback_claim
from trust.services.rotation import scam_reports_rehash_personal_digests

from ..web.helpers import SCAM_TEXT, scam_result
from .grouping import submit_grouped

pytestmark = pytest.mark.django_db

PERSON = "info@migri-fi.com"
RESULT = scam_result(domains=("migri-fi.com",), email_addresses=(PERSON,))


def _report(text: str, **extra) -> ScamReport:
    return submit_grouped(
        source="web",
        channel="email",
        content_kind="text",
        content=text.encode(),
        result=RESULT,
        **extra,
    )


@pytest.fixture
def campaign_with_a_person() -> Campaign:
    """A campaign whose indicator is also one of its reporters' address (under the old key)."""
    with before_rotation():
        _report(SCAM_TEXT)
        _report(SCAM_TEXT.replace("24 hours", "3 days"), reporter_address=PERSON)
    return Campaign.objects.get()


def _withheld(campaign: Campaign) -> bool:
    return ("email_address", PERSON) not in campaign_warning_candidates(campaign).allowed()


def test_a_person_remembered_under_the_old_key_stays_withheld_while_it_is_a_fallback(
    campaign_with_a_person,
):
    with after_rotation():
        assert _withheld(campaign_with_a_person)
    with after_rotation(fallback=False):
        assert not _withheld(campaign_with_a_person)


def test_rehashed_personal_digests_outlive_the_fallback(campaign_with_a_person):
    with after_rotation():
        assert scam_reports_rehash_personal_digests() == 1
        assert scam_reports_rehash_personal_digests() == 0
    with after_rotation(fallback=False):
        assert _withheld(campaign_with_a_person)


@pytest.mark.parametrize(("fallback", "told_again"), [(True, False), (False, True)])
def test_an_address_told_under_the_old_key_is_not_told_again_while_it_is_a_fallback(
    fallback, told_again
):
    with before_rotation():
        _report(SCAM_TEXT)
        _report(SCAM_TEXT.replace("24 hours", "2 days"))
        campaign = Campaign.objects.get()
        assert reporter_feedback_claim(campaign=campaign, address="victim@example.org")
    with after_rotation(fallback=fallback):
        assert (
            reporter_feedback_claim(campaign=campaign, address="Victim@Example.org") is told_again
        )
