"""Readable, translated names for the audit log's action codes, object types and roles.

One mapping keyed by the action code, wherever the code is recorded (a view or a service): moving
an audit_record call leaves its label here. tests/audit/test_labels.py fails when a code recorded
anywhere in the project has no label here, or has one without a Finnish or Swedish translation.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from core.roles import Role

ACTION_LABELS = {
    "account.staff_created": _("Staff account created"),
    "casework.scope_added": _("Caseworker's scope added"),
    "casework.securemail_inbox_viewed": _("Secure inbox viewed"),
    "payments.receipt_downloaded": _("Payment receipt downloaded"),
    "payments.receipt_viewed": _("Payment receipt viewed"),
    "payments.refunded": _("Payment refunded"),
    "payments.report_downloaded": _("Payments report downloaded"),
    "payments.report_written": _("Payments report written"),
    # Accounts
    "account.registered": _("Account created"),
    "account.email_verified": _("Email address verified"),
    "account.signed_in": _("Signed in"),
    "account.sign_in_failed": _("Sign-in failed"),
    "account.signed_out": _("Signed out"),
    "account.signed_out_everywhere": _("Signed out on every device"),
    "account.second_factor_set_up": _("Second factor set up"),
    "account.second_factor_passed": _("Second factor passed"),
    "account.second_factor_failed": _("Second factor failed"),
    "account.recovery_codes_regenerated": _("Recovery codes renewed"),
    "account.recovery_codes_voided": _("Recovery codes voided by an operator"),
    "account.password_changed": _("Password changed"),
    "account.password_reset": _("Password reset"),
    "account.security_viewed": _("Account security page viewed"),
    # Applications
    "application.created": _("Application started"),
    "application.changed": _("Application changed"),
    "application.listed": _("Applications listed"),
    "application.viewed": _("Application viewed"),
    "application.attachment_added": _("Attachment added to an application"),
    "application.attachment_removed": _("Attachment removed from a draft"),
    "application.draft_deleted": _("Draft deleted"),
    "application.submitted": _("Application submitted"),
    "application.information_added": _("Information added to an application"),
    "application.supplement_answered": _("Request for supplementary information answered"),
    "application.withdrawn": _("Application withdrawn"),
    # Casework
    "casework.queue_viewed": _("Case queue viewed"),
    "casework.case_viewed": _("Case viewed"),
    "casework.case_taken": _("Case taken"),
    "casework.case_assigned": _("Case assigned"),
    "casework.case_marked_seen": _("New information marked as read"),
    "casework.note_added": _("Internal note added"),
    "casework.supplement_requested": _("Supplementary information requested"),
    "casework.processing_resumed": _("Processing resumed"),
    "casework.decided": _("Decision made"),
    "casework.case_closed": _("Case closed"),
    "casework.document_downloaded": _("Case document downloaded"),
    # Documents
    "document.stored": _("Document stored"),
    "document.downloaded": _("Document downloaded"),
    "document.quarantined": _("Document quarantined: a virus was found"),
    # Payments
    "payments.fee_created": _("Fee added"),
    "payments.fee_changed": _("Fee changed"),
    "payments.started": _("Payment started"),
    "payments.paid": _("Payment received"),
    "payments.failed": _("Payment failed"),
    "payments.cancelled": _("Payment cancelled"),
    "payments.mismatch": _("Payment message did not match the payment"),
    "payments.needs_refund": _("Payment to be refunded"),
    "payments.signature_refused": _("Payment message refused: bad signature"),
    "payments.viewed": _("Payment viewed"),
    # Securemail
    "securemail.access_code_requested": _("Secure mail access code requested"),
    "securemail.access_code_verified": _("Secure mail access code accepted"),
    "securemail.access_code_failed": _("Secure mail access code refused"),
    "securemail.conversation_started": _("Conversation started"),
    "securemail.conversation_assigned": _("Conversation assigned"),
    "securemail.conversation_linked_to_case": _("Conversation linked to a case"),
    "securemail.conversation_closed": _("Conversation closed"),
    "securemail.conversation_reopened": _("Conversation reopened"),
    "securemail.conversation_deleted_by_retention": _(
        "Conversation deleted at the end of its retention period"
    ),
    "securemail.message_sent_by_authority": _("Message sent by the authority"),
    "securemail.message_sent_by_public": _("Message sent by the correspondent"),
    "securemail.message_opened_by_authority": _("Message opened by the authority"),
    "securemail.message_opened_by_correspondent": _("Message opened by the correspondent"),
    "securemail.attachment_opened_by_authority": _("Attachment opened by the authority"),
    "securemail.attachment_opened_by_correspondent": _("Attachment opened by the correspondent"),
    "securemail.topic_created": _("Secure mail topic added"),
    "securemail.topic_changed": _("Secure mail topic changed"),
    # Trust center
    "trust.report.created": _("Scam report received"),
    "trust.report.viewed": _("Scam report viewed"),
    "trust.report.evidence_downloaded": _("Reported message downloaded"),
    "trust.campaign.viewed": _("Campaign viewed"),
    "trust.campaign.updated": _("Campaign texts changed"),
    "trust.campaign.published": _("Warning published"),
    "trust.campaign.unpublished": _("Warning withdrawn"),
    "trust.campaign.exported_json": _("Campaign exported as JSON"),
    "trust.campaign.exported_stix": _("Campaign exported as STIX"),
    "trust.channel.added": _("Official channel added"),
    "trust.channel.activated": _("Official channel activated"),
    "trust.channel.deactivated": _("Official channel deactivated"),
    "trust.watchlist_downloaded": _("Lookalike watchlist downloaded"),
    # The audit log itself
    "audit.viewed": _("Audit log viewed"),
}


def action_label(code: str) -> str:
    """The translated name of an action; an unknown code (an old one) is shown as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    """(code, label) for the log's filter, sorted by the label in the active language."""
    return sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda x: x[1])


def object_type_label(object_type: str) -> str:
    """The model's translated name for an "app_label.model" object type."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()


def role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role
