"""Demo data for development: permit types, demo accounts with known secrets, and applications.

Idempotent: a second run changes nothing. Known passwords and TOTP keys must never reach
production, so the `load_demo_data` command refuses to run outside development and test mode.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.codes import recovery_code_digest
from accounts.models import Role, User
from accounts.services import totp_device_with_known_secret
from applications.catalogue import (
    LoadResult,
    permit_type_fees_ensure,
    permit_types_load_directory,
)
from applications.models import Application, PermitType
from applications.services import (
    application_attach_document,
    application_fee,
    application_pay,
    application_save_section,
    application_start,
    application_submit,
)
from payments.models import EventSource, Fee, FeeCondition
from payments.providers import get_provider
from payments.providers.embedded.provider import Choice
from payments.services import fee_create, payment_handle_provider_message

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
DEMO_PDF = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    password: str
    totp_key_hex: str  # 20 bytes, the RFC 6238 default
    recovery_codes: tuple[str, ...]

    @property
    def totp_key_base32(self) -> str:
        """The form an authenticator app takes when the key is typed in."""
        return base64.b32encode(bytes.fromhex(self.totp_key_hex)).decode("ascii")


def _codes(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{number:02d}" for number in range(1, 6))


DEMO_ACCOUNTS = (
    DemoAccount(
        "applicant@demo.invalid",
        Role.APPLICANT,
        "demo applicant password",
        "3132333435363738393031323334353637383930",
        _codes("demoapplicant"),
    ),
    DemoAccount(
        "applicant2@demo.invalid",
        Role.APPLICANT,
        "second demo applicant password",
        "4142434445464748494a4b4c4d4e4f5051525354",
        _codes("demosecond"),
    ),
    DemoAccount(
        "caseworker@demo.invalid",
        Role.CASEWORKER,
        "demo caseworker password",
        "6162636465666768696a6b6c6d6e6f7071727374",
        _codes("democasework"),
    ),
    DemoAccount(
        "admin@demo.invalid",
        Role.ADMINISTRATOR,
        "demo administrator password",
        "2a2b2c2d2e2f3031323334353637383940414243",
        _codes("demoadmin"),
    ),
)


def _ensure_account(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User(email=account.email, email_verified_at=timezone.now())
        user.set_password(account.password)
    changed = user.pk is None
    wanted = {"role": account.role, "is_staff": account.role == Role.ADMINISTRATOR}
    for name, value in wanted.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        changed = True
    if user.pk is not None and not user.check_password(account.password):
        user.set_password(account.password)
        changed = True
    if changed:
        user.full_clean()
        user.save()
    totp_device_with_known_secret(
        user=user, name=TOTP_DEVICE_NAME, secret=bytes.fromhex(account.totp_key_hex)
    )
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    if not static.confirmed:
        static.confirmed = True
        static.save()
    # A used code is gone from the table: put it back, so the printed list always works.
    # Stored as digests like every other recovery code.
    present = set(static.token_set.values_list("token", flat=True))
    digests = dict.fromkeys(recovery_code_digest(code) for code in account.recovery_codes)
    StaticToken.objects.bulk_create(
        [StaticToken(device=static, token=digest) for digest in digests if digest not in present]
    )
    return user


def _iso(days_from_today: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days_from_today)).isoformat()


def _personal(family_name, given_names, born, place, country, passport) -> dict:
    return {
        "family_name": family_name,
        "given_names": given_names,
        "date_of_birth": born,
        "place_of_birth": place,
        "nationality": country,
        "marital_status": "married",
        "passport_number": passport,
        "passport_issuing_country": country,
        "passport_expiry": _iso(3 * 365),
    }


def _contact(email, phone, country, address) -> dict:
    return {"email": email, "phone": phone, "country_of_residence": country, "address": address}


def _work_sections() -> dict:
    return {
        "personal": _personal("Santos", "Maria Clara", "1990-03-14", "Manila", "PH", "P4821937A"),
        "contact": _contact(
            "maria.santos@example.org", "+63 917 555 0142", "PH", "14 Mabini St, Manila"
        ),
        "employment": {
            "employer_name": "Helsingin Hoivapalvelut Oy",
            "employer_business_id": "2345678-9",
            "job_title": "Practical nurse",
            "monthly_salary": "2650.00",
            "weekly_hours": "38.3",
            "contract_type": "fixed_term",
            "contract_end_date": _iso(2 * 365),
            "start_date": _iso(60),
        },
        "background": {"previous_finnish_permit": "no"},
    }


def _studies_sections() -> dict:
    return {
        "personal": _personal("Okafor", "Chinedu", "2001-09-02", "Enugu", "NG", "A09876543"),
        "contact": _contact(
            "chinedu.okafor@example.org", "+234 803 555 0199", "NG", "5 Zik Avenue, Enugu"
        ),
        "studies": {
            "institution_name": "University of Tampere",
            "degree_programme": "Master's Programme in Computational Big Data Analytics",
            "degree_level": "master",
            "study_start_date": _iso(90),
            "study_end_date": _iso(90 + 2 * 365),
            "tuition_fee": "12000",
            "scholarship": "yes",
            "scholarship_amount": "6000",
        },
        "funds": {"available_funds": "9500", "insurance_company": "Swisscare"},
    }


def _citizenship_sections() -> dict:
    return {
        "personal": _personal("Haddad", "Rami", "1984-11-23", "Aleppo", "SY", "N01234567"),
        "contact": _contact(
            "rami.haddad@example.org", "+358 40 555 0123", "FI", "Hämeenkatu 5 B 12, Tampere"
        ),
        "residence": {
            "residence_years": "9",
            "continuous_residence_start": "2016-05-10",
            "days_abroad": "120",
        },
        "language_skills": {"language": "finnish", "language_proof": "yki", "yki_level": "4"},
        "integrity": {
            "criminal_record": "no",
            "livelihood": "Permanent employment as a bus driver at a municipal transport company.",
        },
    }


def _family_partial() -> dict:
    return {"personal": _personal("Ivanova", "Olga", "1993-07-30", "Tallinn", "EE", "K1234567")}


def _extended_partial() -> dict:
    return {
        "personal": _personal("Kowalski", "Piotr", "1988-01-05", "Gdańsk", "PL", "EA1234567"),
        "contact": _contact(
            "piotr.kowalski@example.org", "+358 50 555 0177", "FI", "Kauppakatu 3, Oulu"
        ),
    }


def _fill(application: Application, sections: dict) -> Application:
    for key, data in sections.items():
        application = application_save_section(
            application=application, section_key=key, data=data
        ).application
    return application


def _attach(application: Application, kinds: list[str]) -> None:
    for kind in kinds:
        upload = SimpleUploadedFile(f"{kind}.pdf", DEMO_PDF, content_type="application/pdf")
        application_attach_document(application=application, kind=kind, uploaded_file=upload)


def _case(applicant: User, code: str, sections: dict, kinds: list[str]) -> Application:
    application = _fill(
        application_start(applicant=applicant, permit_type=PermitType.objects.get(code=code)),
        sections,
    )
    _attach(application, kinds)
    fee = application_fee(application=application)
    if fee is None or fee.is_exempt:
        return application_submit(
            application=application, declaration_confirmed=True, actor=applicant, language="en"
        )
    # Paid as the demo user pays: through the embedded provider, its signed callback confirming.
    payment = application_pay(
        application=application,
        declaration_confirmed=True,
        actor=applicant,
        language="en",
        provider_name="embedded",
    )
    provider = get_provider("embedded")
    params, kind = provider.signed_parameters(payment=payment, choice=Choice.SUCCESS)
    payment_handle_provider_message(
        provider_name="embedded", params=params, kind=kind, source=EventSource.CALLBACK
    )
    application.refresh_from_db()
    return application


def _draft(applicant: User, code: str, sections: dict) -> Application:
    permit_type = PermitType.objects.get(code=code)
    return _fill(application_start(applicant=applicant, permit_type=permit_type), sections)


def _ensure_applications(applicant: User, second: User) -> int:
    """Creates the demo applications for an applicant who has none; returns how many."""
    created = 0
    if not Application.objects.filter(applicant=applicant).exists():
        _case(
            applicant, "work-employed", _work_sections(), ["passport_copy", "employment_contract"]
        )
        _case(
            applicant,
            "studies",
            _studies_sections(),
            ["passport_copy", "acceptance_letter", "proof_of_funds", "insurance_certificate"],
        )
        _draft(applicant, "family-ties", _family_partial())
        _draft(applicant, "extended-permit", _extended_partial())
        created += 4
    if not Application.objects.filter(applicant=second).exists():
        _case(
            second,
            "citizenship",
            _citizenship_sections(),
            ["passport_copy", "language_certificate"],
        )
        # Left submitted, so that the back office's queue has a new case to take.
        _case(
            second,
            "studies",
            _studies_sections(),
            ["passport_copy", "acceptance_letter", "proof_of_funds", "insurance_certificate"],
        )
        _draft(second, "work-employed", {"personal": _work_sections()["personal"]})
        created += 3
    return created


def _ensure_minor_exemption(code: str) -> None:
    """An exemption as data: a child joining family pays nothing (amount 0 for minors)."""
    permit_type = PermitType.objects.get(code=code)
    if not Fee.objects.filter(permit_type=permit_type, condition=FeeCondition.MINOR).exists():
        fee_create(
            permit_type=permit_type,
            amount_cents=0,
            condition=FeeCondition.MINOR,
            valid_from=timezone.localdate(),
        )


@dataclass(frozen=True)
class DemoSummary:
    permit_types: list[LoadResult]
    accounts: tuple[DemoAccount, ...]
    applications_created: int


@transaction.atomic
def load_demo_data() -> DemoSummary:
    permit_types = permit_types_load_directory()
    permit_type_fees_ensure(results=permit_types)
    _ensure_minor_exemption("family-ties")
    users = {account.email: _ensure_account(account) for account in DEMO_ACCOUNTS}
    created = _ensure_applications(
        users["applicant@demo.invalid"], users["applicant2@demo.invalid"]
    )
    return DemoSummary(permit_types, DEMO_ACCOUNTS, created)
