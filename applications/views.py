"""The applicant's pages: home, start, a page per section, attachments, review and submit, case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.submissions import accepted_once
from applications.display import answer_sections, missing_item_text
from applications.forms import AttachmentForm, DeclarationForm, SectionForm, StartForm
from applications.hooks import home_reads
from applications.schema import attachment_kinds, localized, section_by_key, sections
from applications.selectors import (
    application_of_applicant,
    applications_for_applicant,
    attachment_removed_by,
    attachments_of,
    draft_deleted_by,
    permit_types_available,
)
from applications.services import (
    AlreadySubmitted,
    PaymentRequired,
    SectionInvalid,
    application_attach_document,
    application_delete_draft,
    application_fee,
    application_missing_items,
    application_pay,
    application_remove_attachment,
    application_save_section,
    application_start,
    application_submit,
)
from audit.services import audit_record, audit_record_bound
from core.permissions import role_required
from payments.providers import ProviderUnavailable
from payments.selectors import (
    application_open_payment,
    application_paid_payment,
    application_payments,
    fee_in_force,
)
from payments.services import AlreadyPaid, NothingToPay

applicant_required = role_required(Role.APPLICANT)


def _own_application(request, application_id: int):
    return application_of_applicant(request.user, application_id)


def _own_draft(request, application_id: int):
    """The user's application, or None (with a message) when it has been sent already."""
    application = _own_application(request, application_id)
    if not application.is_draft:
        messages.info(request, _("This application has been sent. You can follow it here."))
        return application, redirect("applications:case", application_id=application.pk)
    return application, None


def _section_nav(application, current_key: str = "") -> list[dict]:
    return [
        {
            "key": section["key"],
            "title": localized(section["title"]),
            "current": section["key"] == current_key,
        }
        for section in sections(application.schema)
    ]


@applicant_required
def home(request):
    # The audit record, other parts' reads (casework's open requests) and the applications, sent
    # together (one execute on PostgreSQL).
    names = home_reads.names()
    applications, (_listed, *others) = applications_for_applicant(
        request.user,
        audit_record_bound(action="application.listed", request=request),
        *(home_reads.get(name)(user=request.user) for name in names),
    )
    return render(
        request,
        "applications/home.html",
        {
            "drafts": [item for item in applications if item.is_draft],
            "cases": [item for item in applications if not item.is_draft],
            **dict(zip(names, others, strict=True)),
        },
    )


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def start(request):
    permit_types = list(permit_types_available())
    for permit_type in permit_types:
        # The fee table, not the catalogue file: what the applicant will pay today.
        permit_type.fee_today = fee_in_force(permit_type=permit_type, on_date=timezone.localdate())
    form = StartForm(request.POST if request.method == "POST" else None, permit_types=permit_types)
    if request.method == "POST" and form.is_valid():
        permit_type = next(
            item for item in permit_types if item.code == form.cleaned_data["permit_type"]
        )
        try:
            application = application_start(
                applicant=request.user, permit_type=permit_type, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            first = sections(application.schema)[0]["key"]
            return redirect(
                "applications:section", application_id=application.pk, section_key=first
            )
    return render(request, "applications/start.html", {"form": form, "permit_types": permit_types})


def _after_section_saved(request, application, section_key: str, revealed: list[str]):
    if revealed:
        messages.info(
            request, _("Your answers brought up more questions on this page. Please answer them.")
        )
        return redirect(
            "applications:section", application_id=application.pk, section_key=section_key
        )
    if request.POST.get("action") == "save":
        messages.success(request, _("Your draft has been saved. You can continue later."))
        return redirect("applications:home")
    keys = [section["key"] for section in sections(application.schema)]
    position = keys.index(section_key)
    if position + 1 < len(keys):
        return redirect(
            "applications:section", application_id=application.pk, section_key=keys[position + 1]
        )
    return redirect("applications:attachments", application_id=application.pk)


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def section(request, application_id: int, section_key: str):
    application, elsewhere = _own_draft(request, application_id)
    if elsewhere:
        return elsewhere
    section_schema = section_by_key(application.schema, section_key)
    if section_schema is None:
        raise Http404
    if request.method == "POST":
        try:
            result = application_save_section(
                application=application,
                section_key=section_key,
                data=request.POST,
                request=request,
            )
        except SectionInvalid as error:
            form = error.form
        else:
            return _after_section_saved(request, application, section_key, result.revealed_fields)
    else:
        form = SectionForm(section=section_schema, answers=application.answers)
        audit_record(
            action="application.viewed",
            request=request,
            target=application,
            details={"section": section_key},
        )
    nav = _section_nav(application, section_key)
    position = next(index for index, item in enumerate(nav) if item["current"])
    context = {
        "application": application,
        "section": section_schema,
        "section_title": localized(section_schema["title"]),
        "section_description": localized(section_schema.get("description")),
        "form": form,
        "nav": nav,
        "step": position + 1,
        "steps": len(nav),
    }
    return render(request, "applications/section.html", context)


def _attachment_forms(kinds: list[dict], bound_kind: str = "", data=None, files=None, request=None):
    forms_by_kind = {}
    for kind in kinds:
        form = AttachmentForm(
            data if kind["code"] == bound_kind else None,
            files if kind["code"] == bound_kind else None,
            prefix=kind["code"],
            request=request,
        )
        # Each upload box is named after its kind, so that a screen reader does not hear
        # "File, File, File".
        form.fields["file"].label = localized(kind["label"])
        forms_by_kind[kind["code"]] = form
    return forms_by_kind


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def attachments(request, application_id: int):
    application, elsewhere = _own_draft(request, application_id)
    if elsewhere:
        return elsewhere
    kinds = attachment_kinds(application.schema, application.answers)
    codes = [kind["code"] for kind in kinds]
    bound_kind = request.POST.get("upload_kind", "") if request.method == "POST" else ""
    if request.method == "POST" and bound_kind not in codes:
        messages.error(request, _("Choose the kind of attachment from the list."))
        return redirect("applications:attachments", application_id=application.pk)
    forms_by_kind = _attachment_forms(
        kinds, bound_kind, request.POST, request.FILES, request=request
    )
    if bound_kind:
        form = forms_by_kind[bound_kind]
        if form.is_valid():
            try:
                application_attach_document(
                    application=application,
                    kind=bound_kind,
                    uploaded_file=form.cleaned_data["file"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("The attachment has been added."))
                return redirect("applications:attachments", application_id=application.pk)
    # Also after a refused upload: the page lists the stored files again.
    audit_record(
        action="application.viewed",
        request=request,
        target=application,
        details={"page": "attachments"},
    )
    existing = list(attachments_of(application))
    groups = [
        {
            "kind": kind,
            "label": localized(kind["label"]),
            "help": localized(kind.get("help")),
            "min_count": kind.get("min_count", 0),
            "form": forms_by_kind[kind["code"]],
            "attachments": [item for item in existing if item.kind == kind["code"]],
        }
        for kind in kinds
    ]
    others = [item for item in existing if item.kind not in codes]
    return render(
        request,
        "applications/attachments.html",
        {
            "application": application,
            "groups": groups,
            "others": others,
            "nav": _section_nav(application),
            "upload_failed": bool(bound_kind and forms_by_kind[bound_kind].errors),
            "error_forms": list(forms_by_kind.values()),
        },
    )


@applicant_required
@accepted_once
@require_POST
def remove_attachment(request, application_id: int, attachment_id: int):
    application = _own_application(request, application_id)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None and not attachment_removed_by(
        user=request.user, application=application, attachment_id=attachment_id
    ):
        raise Http404
    try:
        removed = attachment is not None and application_remove_attachment(
            application=application, attachment=attachment, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("applications:case", application_id=application.pk)
    if not removed:
        messages.info(request, _("The attachment has already been removed."))
        return redirect("applications:attachments", application_id=application.pk)
    messages.success(request, _("The attachment has been removed."))
    return redirect("applications:attachments", application_id=application.pk)


def _missing_with_links(application) -> list[dict]:
    items = []
    for item in application_missing_items(application=application):
        if item.kind == "attachment":
            url = reverse("applications:attachments", args=[application.pk]) + f"#kind-{item.code}"
        else:
            url = (
                reverse("applications:section", args=[application.pk, item.section_key])
                + f"#id_{item.code}"
            )
        items.append({"item": item, "url": url, "text": missing_item_text(item)})
    return items


@applicant_required
def missing(request, application_id: int):
    application, elsewhere = _own_draft(request, application_id)
    if elsewhere:
        return elsewhere
    audit_record(
        action="application.viewed",
        request=request,
        target=application,
        details={"page": "missing"},
    )
    return render(
        request,
        "applications/missing.html",
        {
            "application": application,
            "missing": _missing_with_links(application),
            "nav": _section_nav(application),
        },
    )


def _send_or_pay(request, application, form):
    """Send an application with nothing to pay; otherwise start a payment and go to the
    provider. Returns a response, or None when the page shows again (errors are on the form)."""
    fee = application_fee(application=application)
    paid = application_paid_payment(application_id=application.pk)
    try:
        if fee is None or fee.is_exempt or paid is not None:
            application = application_submit(
                application=application,
                declaration_confirmed=form.is_valid(),
                actor=request.user,
                language=get_language() or "",
                request=request,
            )
        else:
            payment = application_pay(
                application=application,
                declaration_confirmed=form.is_valid(),
                actor=request.user,
                language=get_language() or "",
                request=request,
            )
            return redirect(payment.provider_url)
    except AlreadySubmitted as error:
        messages.info(request, error.messages[0])
        return redirect("applications:case", application_id=application.pk)
    except (AlreadyPaid, NothingToPay, PaymentRequired):
        # The fee changed or a payment was confirmed meanwhile: show the page as it is now.
        messages.info(request, _("The payment situation has changed. Check it and try again."))
        return redirect("applications:review", application_id=application.pk)
    except ProviderUnavailable:
        form.add_error(
            None,
            _(
                "The payment service cannot be reached at the moment. Your application has been "
                "saved; try paying again in a moment."
            ),
        )
        return None
    except ValidationError as error:
        if form.is_valid():
            form.add_error(None, error)
        return None
    # The case page shows the confirmation panel (case number, what happens next, the estimate).
    return redirect(reverse("cases:detail", args=[application.pk]) + "?sent=1")


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def review(request, application_id: int):
    application = _own_application(request, application_id)
    if request.method == "GET" and not application.is_draft:
        return redirect("applications:case", application_id=application.pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        response = _send_or_pay(request, application, form)
        if response is not None:
            return response
    # Also after a refused submission: the page shows the stored answers again.
    audit_record(
        action="application.viewed",
        request=request,
        target=application,
        details={"page": "review"},
    )
    payments = list(application_payments(application_id=application.pk)[:1])
    missing = _missing_with_links(application)
    context = {
        "application": application,
        "answer_sections": answer_sections(application.schema, application.answers),
        "attachments": list(attachments_of(application)),
        "kind_labels": {
            kind["code"]: localized(kind["label"])
            for kind in application.schema.get("attachments", [])
        },
        "missing": missing,
        # A refused submission lists what is missing at the top of the page, not only further down.
        "summary_links": missing if form.errors else [],
        "form": form,
        "nav": _section_nav(application),
        "fee": application_fee(application=application),
        "paid_payment": application_paid_payment(application_id=application.pk),
        "open_payment": application_open_payment(application_id=application.pk, payer=request.user),
        "latest_payment": payments[0] if payments else None,
    }
    return render(request, "applications/review.html", context)


@applicant_required
def case(request, application_id: int):
    """The old address of a sent application: the case has one page, the case page (cases:detail,
    found by name so that this app never imports the back office's code)."""
    application = _own_application(request, application_id)
    if application.is_draft:
        return redirect("applications:review", application_id=application.pk)
    return redirect("cases:detail", application_id=application.pk)


@applicant_required
@accepted_once
@require_http_methods(["GET", "POST"])
def delete_draft(request, application_id: int):
    if request.method == "POST" and draft_deleted_by(
        user=request.user, application_id=application_id
    ):
        # A second click on "Delete": the first deleted it. Any other id still answers 404.
        messages.info(request, _("The draft has already been deleted."))
        return redirect("applications:home")
    application, elsewhere = _own_draft(request, application_id)
    if elsewhere:
        return elsewhere
    if request.method == "POST":
        try:
            deleted = application_delete_draft(application=application, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("applications:review", application_id=application.pk)
        if not deleted:
            messages.info(request, _("The draft has already been deleted."))
            return redirect("applications:home")
        messages.success(request, _("The draft has been deleted."))
        return redirect("applications:home")
    return render(request, "applications/delete_draft.html", {"application": application})
