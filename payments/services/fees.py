"""Fee table changes by administrators: each change validated and audited."""

from __future__ import annotations

import datetime

from django.db import transaction

from audit.services import audit_record
from payments.models import Channel, Fee, FeeCondition


@transaction.atomic
def fee_create(
    *,
    permit_type,
    amount_cents: int,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    channel: str = Channel.ELECTRONIC,
    condition: str = FeeCondition.EVERYONE,
    currency: str = "EUR",
    actor=None,
    request=None,
) -> Fee:
    fee = Fee(
        permit_type_id=getattr(permit_type, "pk", permit_type),
        channel=channel,
        condition=condition,
        amount_cents=amount_cents,
        currency=currency,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    fee.full_clean()
    fee.save()
    audit_record(
        action="payments.fee_created",
        request=request,
        actor=actor,
        target=fee,
        details={"amount_cents": fee.amount_cents, "channel": fee.channel},
    )
    return fee


@transaction.atomic
def fee_update(*, fee: Fee, actor=None, request=None, **changes) -> Fee:
    """Change a fee row (e.g. end it with valid_to); a price already charged is copied onto each
    payment, so a change never alters what was paid."""
    allowed = {"amount_cents", "valid_from", "valid_to", "channel", "condition", "currency"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"fee_update cannot change {sorted(unknown)}")
    fee = Fee.objects.select_for_update().get(pk=fee.pk)
    for name, value in changes.items():
        setattr(fee, name, value)
    fee.full_clean()
    fee.save()
    audit_record(
        action="payments.fee_changed",
        request=request,
        actor=actor,
        target=fee,
        details={"amount_cents": fee.amount_cents, "channel": fee.channel},
    )
    return fee


def fee_ensure_catalogue_fee(
    *, permit_type, amount_cents: int, currency: str = "EUR", valid_from: datetime.date
) -> Fee | None:
    """The electronic fee of a permit type from its catalogue file, created only when the type
    has no fee row at all (so that an administrator's later changes are never overwritten)."""
    permit_type_id = getattr(permit_type, "pk", permit_type)
    if Fee.objects.filter(permit_type_id=permit_type_id).exists():
        return None
    return fee_create(
        permit_type=permit_type_id,
        amount_cents=amount_cents,
        currency=currency,
        valid_from=valid_from,
    )
