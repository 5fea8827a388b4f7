"""Every change to accounts: registration, email codes, passwords, second factor, sessions.

Each change is audited here, so that it is recorded whether a page, a command or demo data made
it; `request` only adds the client's address and the request id to the record."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.addresses import email_normalize
from accounts.authenticators import AuthenticatorDevice
from accounts.codes import (
    code_consume,
    code_issue,
    code_recently_issued,
    codes_discard,
    recovery_code_digest,
    recovery_code_stored_digest,
)
from accounts.models import CodePurpose, Role, User
from audit.services import audit_record
from notifications.selectors import email_recently_sent
from notifications.services import email_send_templated

RECOVERY_CODE_COUNT = 10
EXISTING_ACCOUNT_NOTICE_INTERVAL = timedelta(hours=1)
_LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _language(value: str | None) -> str:
    return value if value in _LANGUAGE_CODES else settings.LANGUAGE_CODE


def _send_account_email(*, user: User, template: str, kind: str, context: dict | None = None):
    email_send_templated(
        to=user.email,
        template_prefix=f"accounts/email/{template}",
        context=context or {},
        language=_language(user.preferred_language),
        kind=kind,
    )


def user_find_by_email(email: str) -> User | None:
    return User.objects.filter(email=email_normalize(email), is_active=True).first()


@transaction.atomic
def user_register(
    *, email: str, password: str, preferred_language: str, request=None
) -> User | None:
    """Create an applicant and mail a verification code.

    None when the address already has an account: its owner gets a notice instead, and the caller
    shows the same page either way.
    """
    email = email_normalize(email)
    existing = User.objects.filter(email=email).first()
    if existing is None:
        user = User(
            email=email, role=Role.APPLICANT, preferred_language=_language(preferred_language)
        )
        validate_password(password, user)
        user.set_password(password)
        # Uniqueness is left to the database: a "this address exists" message would reveal it.
        user.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Someone registered the same address a moment ago: treat it as an existing account.
            existing = User.objects.filter(email=email).first()
        else:
            audit_record(action="account.registered", request=request, actor=user, target=user)
            email_verification_send(user=user)
            return user
    # Hash the password anyway, so that the response takes as long as for a new account.
    make_password(password)
    # At most one notice an hour: registering someone else's address must not flood their inbox.
    if (
        existing is not None
        and existing.is_active
        and not email_recently_sent(
            to=existing.email,
            kind="account.existing_notice",
            within=EXISTING_ACCOUNT_NOTICE_INTERVAL,
        )
    ):
        _send_account_email(
            user=existing, template="existing_account", kind="account.existing_notice"
        )
    return None


@transaction.atomic
def email_verification_send(*, user: User) -> bool:
    """Mail a new verification code, unless the address is verified or a code just went out."""
    if user.email_verified or code_recently_issued(
        user=user, purpose=CodePurpose.EMAIL_VERIFICATION
    ):
        return False
    code = code_issue(user=user, purpose=CodePurpose.EMAIL_VERIFICATION)
    _send_account_email(
        user=user,
        template="verification_code",
        kind="account.verification_code",
        context={"code": code},
    )
    return True


@transaction.atomic
def email_verify(*, user: User, code: str, request=None) -> bool:
    if user.email_verified:
        return False
    if not code_consume(user=user, purpose=CodePurpose.EMAIL_VERIFICATION, code=code):
        return False
    user.email_verified_at = timezone.now()
    user.full_clean()
    user.save(update_fields=["email_verified_at"])
    codes_discard(user=user, purpose=CodePurpose.EMAIL_VERIFICATION)
    audit_record(action="account.email_verified", request=request, actor=user, target=user)
    return True


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Mail a reset code if the address has an account; say nothing about whether it has."""
    user = user_find_by_email(email)
    if user is None or code_recently_issued(user=user, purpose=CodePurpose.PASSWORD_RESET):
        return
    code = code_issue(user=user, purpose=CodePurpose.PASSWORD_RESET)
    _send_account_email(
        user=user,
        template="password_reset_code",
        kind="account.password_reset_code",
        context={"code": code},
    )


@transaction.atomic
def password_reset_code_verify(*, email: str, code: str) -> User | None:
    """The account whose reset code this is (the code is used up), or None."""
    user = user_find_by_email(email)
    if user is None or not code_consume(user=user, purpose=CodePurpose.PASSWORD_RESET, code=code):
        return None
    return user


def _password_set(user: User, new_password: str) -> None:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.full_clean()


@transaction.atomic
def password_reset_confirm(*, user: User, new_password: str, request=None) -> None:
    """Set the new password and end every session.

    The code proved control of the address, so the address counts as verified.
    """
    _password_set(user, new_password)
    user.session_generation += 1
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
    user.save()
    codes_discard(user=user, purpose=CodePurpose.PASSWORD_RESET)
    audit_record(action="account.password_reset", request=request, actor=user, target=user)
    transaction.on_commit(lambda: _axes_reset(user.email))
    _send_account_email(user=user, template="password_changed", kind="account.password_changed")


def _axes_reset(email: str) -> None:
    # The owner proved control of the address: their account's lock-out no longer protects anyone.
    from axes.utils import reset

    reset(username=email)


@transaction.atomic
def password_change(*, user: User, new_password: str, request=None) -> None:
    """The caller has checked the current password (through authenticate(), so lock-out applies).

    Other sessions end because the session hash covers the password hash.
    """
    _password_set(user, new_password)
    user.save()
    audit_record(action="account.password_changed", request=request, actor=user, target=user)
    _send_account_email(user=user, template="password_changed", kind="account.password_changed")


@transaction.atomic
def sessions_sign_out_everywhere(*, user: User, request=None) -> None:
    """Every session's auth hash stops matching, this one included."""
    user.session_generation += 1
    user.full_clean()
    user.save(update_fields=["session_generation"])
    audit_record(action="account.signed_out_everywhere", request=request, actor=user, target=user)


@transaction.atomic
def language_preference_save(*, user: User, language: str) -> bool:
    if language not in _LANGUAGE_CODES:
        return False
    if user.preferred_language != language:
        user.preferred_language = language
        user.full_clean()
        user.save(update_fields=["preferred_language"])
    return True


@transaction.atomic
def totp_device_start(*, user: User) -> AuthenticatorDevice:
    """The unconfirmed authenticator, reused so that a reload keeps the secret already scanned."""
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = AuthenticatorDevice(user=user, name="Authenticator app", confirmed=False)
        device.full_clean()
        device.save()
    else:
        device.user = user  # its set-up address names the user: not read again from the database
    return device


@transaction.atomic
def totp_device_with_known_secret(*, user: User, name: str, secret: bytes) -> AuthenticatorDevice:
    """A confirmed authenticator with a given secret (the demo accounts print theirs); idempotent."""
    device = AuthenticatorDevice.objects.filter(user=user, name=name).first()
    if device is None:
        device = AuthenticatorDevice(user=user, name=name, confirmed=True)
    elif device.bin_key == secret and device.confirmed:
        return device
    device.confirmed = True
    device.with_secret(secret).save()
    return device


@transaction.atomic
def totp_device_confirm(
    *, user: User, device: AuthenticatorDevice, token: str, request=None
) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns the new recovery codes, or None."""
    if device.user_id != user.pk or device.confirmed:
        return None
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    AuthenticatorDevice.objects.filter(user=user, confirmed=False).delete()
    # Whoever knows the password of an account without an authenticator can set up their own;
    # the owner hears of it at once and can take the account back by resetting the password.
    _send_account_email(
        user=user, template="authenticator_added", kind="account.authenticator_added"
    )
    audit_record(action="account.second_factor_set_up", request=request, actor=user, target=user)
    return _recovery_codes_replace(user)


@transaction.atomic
def recovery_codes_generate(*, user: User, request=None) -> list[str]:
    """Ten new single-use recovery codes; earlier ones stop working. Shown once by the caller."""
    codes = _recovery_codes_replace(user)
    audit_record(
        action="account.recovery_codes_regenerated", request=request, actor=user, target=user
    )
    return codes


def recovery_codes_void_users() -> list[int]:
    """The ids of the users who hold unused recovery codes, to void after a leak of their key."""
    return list(
        StaticToken.objects.filter(device__user__is_active=True)
        .order_by("device__user_id")
        .values_list("device__user_id", flat=True)
        .distinct()
    )


def recovery_codes_void(*, user_id: int) -> bool:
    """Void one user's unused recovery codes and tell them by email to make new ones.

    For a leak of the recovery codes' key (RECOVERY_CODE_KEY, else SECRET_KEY): with it, a copy of
    the database would let an attacker find the 40-bit codes behind the stored digests. One
    transaction a user, so that a stopped run leaves every user either done (no codes, told once)
    or untouched, and running it again finishes the rest. False when the user had none left.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None:
            return False
        voided, _by_model = StaticToken.objects.filter(device__user=user).delete()
        if not voided:
            return False
        audit_record(
            action="account.recovery_codes_voided",
            target=user,
            details={"codes": voided, "by": "operator"},
        )
        _send_account_email(
            user=user, template="recovery_codes_voided", kind="account.recovery_codes_voided"
        )
    return True


def _recovery_codes_replace(user: User) -> list[str]:
    # Only their keyed digests are stored (see recovery_code_digest).
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: dict[str, str] = {}
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        codes.setdefault(recovery_code_digest(code), code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=digest) for digest in codes])
    return sorted(codes.values())


@transaction.atomic
def user_staff_create(
    *, email: str, role: str, password: str, full_name: str = "", request=None
) -> User:
    """A caseworker or administrator created by an operator; the address counts as verified."""
    if role not in {Role.CASEWORKER, Role.ADMINISTRATOR}:
        raise ValidationError({"role": ValidationError("not a staff role", code="invalid_role")})
    user = User(
        email=email_normalize(email),
        full_name=" ".join(full_name.split()),
        role=role,
        is_staff=role == Role.ADMINISTRATOR,
        email_verified_at=timezone.now(),
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        action="account.staff_created", request=request, target=user, details={"role": role}
    )
    return user


@dataclass(frozen=True)
class SecondFactorResult:
    device: Device | None = None
    retry_after_seconds: int = 0


@transaction.atomic
def second_factor_verify(*, user: User, token: str) -> SecondFactorResult:
    """Check an authenticator code (six digits) or a single-use recovery code.

    django-otp slows down guessing per device (1, 2, 4, ... seconds after each failure); when a
    device refuses to check yet, the result says how long to wait.
    """
    token = "".join((token or "").split()).lower()[:32]
    if not token:
        return SecondFactorResult()
    is_totp_code = token.isdigit() and len(token) == 6
    model = AuthenticatorDevice if is_totp_code else StaticDevice
    # Recovery codes are stored as digests; django-otp then throttles and deletes the used one.
    candidate = token if is_totp_code else recovery_code_stored_digest(user=user, code=token)
    # Locked so that one recovery code cannot be used by two requests at once.
    devices = list(
        model.objects.select_for_update().filter(user=user, confirmed=True).order_by("id")
    )
    wait = 0
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            if locked_until is not None:
                wait = max(wait, math.ceil((locked_until - timezone.now()).total_seconds()))
            continue
        if device.verify_token(candidate):
            return SecondFactorResult(device=device)
    return SecondFactorResult(retry_after_seconds=max(wait, 0))


def recovery_codes_remaining(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
