"""The fee table: the price in force on a day, per permit type and channel, with reductions and
exemptions as data; overlapping periods refused; administrators edit it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from payments.models import Channel, Fee, FeeCondition
from payments.selectors import fee_in_force
from payments.services import fee_create, fee_ensure_catalogue_fee, fee_update

D = datetime.date


def test_the_price_in_force_on_the_day_applies(permit_type):
    fee_create(
        permit_type=permit_type,
        amount_cents=47_000,
        valid_from=D(2024, 1, 1),
        valid_to=D(2024, 12, 31),
    )
    fee_create(permit_type=permit_type, amount_cents=48_000, valid_from=D(2025, 1, 1))
    assert fee_in_force(permit_type=permit_type, on_date=D(2024, 12, 31)).amount_cents == 47_000
    assert fee_in_force(permit_type=permit_type, on_date=D(2025, 1, 1)).amount_cents == 48_000
    assert fee_in_force(permit_type=permit_type.pk, on_date=D(2030, 6, 1)).amount_cents == 48_000
    assert fee_in_force(permit_type=permit_type, on_date=D(2023, 12, 31)) is None


def test_paper_and_electronic_applications_have_their_own_prices(permit_type):
    fee_create(permit_type=permit_type, amount_cents=48_000, valid_from=D(2025, 1, 1))
    fee_create(
        permit_type=permit_type,
        amount_cents=60_000,
        valid_from=D(2025, 1, 1),
        channel=Channel.PAPER,
    )
    day = D(2025, 3, 1)
    assert fee_in_force(permit_type=permit_type, on_date=day).amount_cents == 48_000
    assert (
        fee_in_force(permit_type=permit_type, channel=Channel.PAPER, on_date=day).amount_cents
        == 60_000
    )


def test_a_reduction_for_minors_applies_only_to_minors(permit_type):
    fee_create(permit_type=permit_type, amount_cents=48_000, valid_from=D(2025, 1, 1))
    fee_create(
        permit_type=permit_type,
        amount_cents=24_000,
        valid_from=D(2025, 1, 1),
        condition=FeeCondition.MINOR,
    )
    day = D(2025, 3, 1)
    adult = fee_in_force(permit_type=permit_type, on_date=day)
    minor = fee_in_force(permit_type=permit_type, on_date=day, applicant_is_minor=True)
    assert (adult.amount_cents, adult.condition) == (48_000, "")
    assert (minor.amount_cents, minor.condition) == (24_000, "minor")


def test_a_type_without_a_fee_is_an_exemption(permit_type, other_permit_type):
    fee_create(permit_type=other_permit_type, amount_cents=0, valid_from=D(2025, 1, 1))
    exempt = fee_in_force(permit_type=other_permit_type, on_date=D(2025, 3, 1))
    assert exempt.is_exempt and exempt.amount_cents == 0


def test_two_rows_of_one_rule_in_force_on_the_same_day_are_refused(permit_type):
    fee_create(
        permit_type=permit_type,
        amount_cents=48_000,
        valid_from=D(2025, 1, 1),
        valid_to=D(2025, 6, 30),
    )
    with pytest.raises(ValidationError):
        fee_create(permit_type=permit_type, amount_cents=50_000, valid_from=D(2025, 6, 30))
    with pytest.raises(ValidationError):
        fee_create(permit_type=permit_type, amount_cents=50_000, valid_from=D(2024, 1, 1))
    fee_create(permit_type=permit_type, amount_cents=50_000, valid_from=D(2025, 7, 1))
    assert Fee.objects.filter(permit_type=permit_type).count() == 2


def test_a_period_that_ends_before_it_starts_is_refused(permit_type):
    with pytest.raises(ValidationError):
        fee_create(
            permit_type=permit_type,
            amount_cents=1,
            valid_from=D(2025, 2, 1),
            valid_to=D(2025, 1, 1),
        )


def test_fee_changes_are_audited(permit_type, administrator):
    fee = fee_create(
        permit_type=permit_type, amount_cents=48_000, valid_from=D(2025, 1, 1), actor=administrator
    )
    fee_update(fee=fee, valid_to=D(2025, 12, 31), actor=administrator)
    actions = list(
        AuditEvent.objects.filter(object_id=str(fee.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["payments.fee_changed", "payments.fee_created"]


def test_the_catalogue_fee_is_created_once_and_never_overwrites_an_administrators_fee(permit_type):
    created = fee_ensure_catalogue_fee(
        permit_type=permit_type, amount_cents=48_000, valid_from=D(2020, 1, 1)
    )
    assert created is not None
    assert (
        fee_ensure_catalogue_fee(permit_type=permit_type, amount_cents=1, valid_from=D(2020, 1, 1))
        is None
    )
    assert Fee.objects.get(permit_type=permit_type).amount_cents == 48_000


def test_administrators_add_a_fee_through_the_form(administrator_client, permit_type):
    response = administrator_client.post(
        "/payments/fees/new/",
        {
            "permit_type": permit_type.pk,
            "channel": "electronic",
            "condition": "",
            "amount": "480.00",
            "valid_from": "2025-01-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 302, response.content
    assert Fee.objects.get(permit_type=permit_type).amount_cents == 48_000
    listing = administrator_client.get("/payments/fees/")
    assert listing.status_code == 200 and b"/payments/fees/" in listing.content


def test_an_overlapping_fee_in_the_form_is_a_clear_error_and_keeps_what_was_typed(
    administrator_client, permit_type
):
    fee_create(permit_type=permit_type, amount_cents=48_000, valid_from=D(2025, 1, 1))
    response = administrator_client.post(
        "/payments/fees/new/",
        {
            "permit_type": permit_type.pk,
            "channel": "electronic",
            "condition": "",
            "amount": "490.00",
            "valid_from": "2025-05-01",
        },
    )
    assert response.status_code == 200
    assert b"in force in this period" in response.content
    assert b"490.00" in response.content
    assert Fee.objects.filter(permit_type=permit_type).count() == 1


def test_applicants_cannot_see_the_fee_table(applicant_client):
    assert applicant_client.get("/payments/fees/").status_code == 403


def test_a_finnish_administrator_types_the_amount_with_a_decimal_comma(
    administrator_client, permit_type
):
    administrator_client.cookies["django_language"] = "fi"
    response = administrator_client.post(
        "/payments/fees/new/",
        {
            "permit_type": permit_type.pk,
            "channel": "electronic",
            "condition": "minor",
            "amount": "240,50",
            "valid_from": "2025-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Fee.objects.get(permit_type=permit_type, condition="minor").amount_cents == 24_050


def test_administrators_change_a_fee_through_its_page_and_the_new_price_applies_from_its_day(
    administrator_client, administrator, permit_type, other_permit_type
):
    fee = fee_create(permit_type=permit_type, amount_cents=48_000, valid_from=D(2025, 1, 1))
    url = f"/payments/fees/{fee.pk}/"
    page = administrator_client.get(url)
    assert page.status_code == 200 and b'name="amount" value="480"' in page.content
    # The old price ends on a day; a new row starts the next day. (The row's permit type stays:
    # payments and the accounting report point to it.)
    response = administrator_client.post(
        url,
        {
            "permit_type": other_permit_type.pk,
            "channel": "electronic",
            "condition": "",
            "amount": "480.00",
            "valid_from": "2025-01-01",
            "valid_to": "2026-06-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    administrator_client.post(
        "/payments/fees/new/",
        {
            "permit_type": permit_type.pk,
            "channel": "electronic",
            "condition": "",
            "amount": "520.00",
            "valid_from": "2026-07-01",
        },
    )
    assert fee_in_force(permit_type=permit_type, on_date=D(2026, 6, 30)).amount_cents == 48_000
    assert fee_in_force(permit_type=permit_type, on_date=D(2026, 7, 1)).amount_cents == 52_000
    fee.refresh_from_db()
    assert (fee.permit_type, fee.valid_to) == (permit_type, D(2026, 6, 30))
    changed = AuditEvent.objects.get(action="payments.fee_changed", object_id=str(fee.pk))
    assert changed.actor_id == administrator.pk
