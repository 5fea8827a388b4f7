"""Notifications about a case: one function per kind, each saying only that there is new
information, the address to type in, the verification code and the authority's name.

No name, no case number, no status, no link: scams in the authority's name copy exactly this kind of
message and add their link, so a genuine one must teach that a link is itself the warning sign.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.authority import authority
from core.phones import normalize_phone
from notifications.services import email_render, email_send
from notifications.sms import sms_send
from notifications.verification import verification_code_issue

KINDS = ("received", "supplement_requested", "supplement_reminder", "decision_made")


def recipient_language(application) -> str:
    language = application.submitted_language or application.applicant.preferred_language
    return (language or settings.LANGUAGE_CODE)[:2]


def _phone_number(application) -> str:
    """The mobile number the applicant gave in the application, in E.164 form, when the form asked
    for one and it is a number: the code's recipient and the SMS's must be the same spelling."""
    if not application.submitted_answers_sealed:
        return ""
    phone = application.submitted_answers.get("phone")
    return normalize_phone(phone, authority().country) if isinstance(phone, str) else ""


def render_email(*, kind: str, code: str, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of one kind of case notification, in the given language."""
    return email_render(
        template_prefix=f"notifications/case_{kind}",
        context={"code": code, "eservice_address": authority().eservice_address},
        language=language,
    )


def render_sms(*, code: str, language: str) -> str:
    context = {
        "authority": authority(),
        "code": code,
        "eservice_address": authority().eservice_address,
    }
    with translation.override(language):
        return " ".join(render_to_string("notifications/case_sms.txt", context).split())


def case_notify(*, application, kind: str) -> None:
    """Email the applicant (and text their phone, when known) that there is new information.

    Call inside the service's transaction: the messages leave only once it commits."""

    if kind not in KINDS:
        raise ValueError(f"unknown case notification kind {kind!r}")
    language = recipient_language(application)
    email = application.applicant.email
    code = verification_code_issue(recipient=email, channel="email", kind=f"case.{kind}")
    subject, text_body, html_body = render_email(kind=kind, code=code, language=language)
    email_send(
        to=email,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        language=language,
        kind=f"case.{kind}",
    )
    phone = _phone_number(application)
    if phone:
        sms_code = verification_code_issue(recipient=phone, channel="sms", kind=f"case.{kind}")
        sms_send(to=phone, text=render_sms(code=sms_code, language=language), kind=f"case.{kind}")


def notify_case_received(*, application) -> None:
    case_notify(application=application, kind="received")


def notify_supplement_requested(*, application) -> None:
    case_notify(application=application, kind="supplement_requested")


def notify_supplement_reminder(*, application) -> None:
    case_notify(application=application, kind="supplement_reminder")


def notify_decision_made(*, application) -> None:
    case_notify(application=application, kind="decision_made")
