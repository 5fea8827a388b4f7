"""The security team's pages (administrators): campaigns, exports, evidence, the registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.submissions import accepted_once
from audit.services import audit_record
from core.permissions import role_required
from trust.forms import CampaignTextsForm, OfficialChannelForm, WarningPublishForm
from trust.models import Campaign, IndicatorKind, OfficialChannel, ScamReport
from trust.selectors import (
    campaign_counts_by_day,
    campaign_list,
    campaign_reports,
    campaign_warning_candidates,
    latest_warning,
    official_channel_list,
    official_channels,
    ungrouped_report_count,
)
from trust.services import (
    campaign_publish,
    campaign_unpublish,
    campaign_update,
    official_channel_add,
    official_channel_set_active,
    scam_report_evidence,
)
from trust.stix import campaign_indicators_json, campaign_stix_bundle
from trust.views.reports import evidence_response
from trust.watchlist import watchlist_rows, write_watchlist_csv

team_only = role_required(Role.ADMINISTRATOR)


@team_only
@require_GET
def campaigns(request):
    status = request.GET.get("status", "")
    return render(
        request,
        "trust/team/campaigns.html",
        {
            "campaigns": campaign_list(status=status),
            "status": status,
            "ungrouped": ungrouped_report_count(),
        },
    )


@team_only
@require_http_methods(["GET", "POST"])
@accepted_once
def campaign_detail(request, public_id):
    campaign = get_object_or_404(Campaign, public_id=public_id)
    form = CampaignTextsForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign_update(
            campaign=campaign,
            request=request,
            **{name: form.cleaned_data[name] for name in form.fields},
        )
        messages.success(request, _("The campaign was saved."))
        return redirect("trust:campaign", public_id=campaign.public_id)
    audit_record(action="trust.campaign.viewed", request=request, target=campaign)
    candidates = campaign_warning_candidates(campaign)
    warning = latest_warning(campaign)
    context = {
        "campaign": campaign,
        "form": form,
        "publish_form": WarningPublishForm(candidates=candidates, previous=warning),
        "candidates": candidates,
        "kind_labels": dict(IndicatorKind.choices),
        "warning": warning,
        "missing_texts": [
            Campaign._meta.get_field(name).verbose_name
            for name in campaign.missing_required_texts()
        ],
        "reports_since": campaign.report_count - warning.report_count if warning else 0,
        "days": campaign_counts_by_day(campaign),
        "reports": campaign_reports(campaign)[:200],
    }
    return render(request, "trust/team/campaign.html", context, status=400 if form.errors else 200)


@team_only
@require_POST
@accepted_once
def campaign_publish_view(request, public_id):
    campaign = get_object_or_404(Campaign, public_id=public_id)
    form = WarningPublishForm(request.POST, candidates=campaign_warning_candidates(campaign))
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Some of the chosen indicators can no longer be published. "
                "Check the list and publish again."
            ),
        )
        return redirect("trust:campaign", public_id=campaign.public_id)
    try:
        campaign_publish(campaign=campaign, indicators=form.chosen(), request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The warning is now public. Reporters who left an address are told.")
        )
    return redirect("trust:campaign", public_id=campaign.public_id)


@team_only
@require_POST
@accepted_once
def campaign_unpublish_view(request, public_id):
    campaign = get_object_or_404(Campaign, public_id=public_id)
    campaign_unpublish(campaign=campaign, request=request)
    messages.success(request, _("The warning is no longer public."))
    return redirect("trust:campaign", public_id=campaign.public_id)


def _export(request, public_id, action: str):
    campaign = get_object_or_404(Campaign, public_id=public_id)
    audit_record(action=action, request=request, target=campaign)
    # Every indicator of the campaign except people's own addresses and numbers.
    return campaign, campaign_warning_candidates(campaign, per_kind=None).by_kind


@team_only
@require_GET
def campaign_json(request, public_id):
    campaign, indicators = _export(request, public_id, "trust.campaign.exported_json")
    response = JsonResponse(campaign_indicators_json(campaign, indicators))
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.public_id}.json"'
    return response


@team_only
@require_GET
def campaign_stix(request, public_id):
    campaign, indicators = _export(request, public_id, "trust.campaign.exported_stix")
    response = JsonResponse(
        campaign_stix_bundle(campaign, indicators), content_type="application/stix+json;version=2.1"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="campaign-{campaign.public_id}.stix.json"'
    )
    return response


@team_only
@require_POST
@accepted_once
def campaigns_regroup(request):
    from trust.tasks import scam_reports_regroup

    transaction.on_commit(lambda: scam_reports_regroup.enqueue())
    messages.success(request, _("Reports not in a campaign are being grouped again."))
    return redirect("trust:campaigns")


@team_only
@require_GET
def team_evidence(request, public_id):
    report = get_object_or_404(ScamReport, public_id=public_id)
    return evidence_response(
        *scam_report_evidence(report=report, request=request, by="security_team")
    )


@team_only
@require_http_methods(["GET", "POST"])
@accepted_once
def channels_manage(request):
    form = OfficialChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            official_channel_add(request=request, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The channel was added."))
            return redirect("trust:channels_manage")
    return render(
        request,
        "trust/team/channels.html",
        {"form": form, "rows": official_channel_list()},
        status=400 if form.errors else 200,
    )


@team_only
@require_POST
@accepted_once
def channel_set_active(request, pk):
    channel = get_object_or_404(OfficialChannel, pk=pk)
    official_channel_set_active(
        channel=channel, active=request.POST.get("active") == "1", request=request
    )
    messages.success(request, _("The channel was changed."))
    return redirect("trust:channels_manage")


@team_only
@require_GET
def watchlist_download(request, file_format: str):
    """The lookalike candidates of every official web and email domain, for blocklists."""
    channels = official_channels()
    rows = watchlist_rows([*channels.web_domains, *channels.email_domains])
    audit_record(action="trust.watchlist_downloaded", request=request, details={"rows": len(rows)})
    if file_format == "json":
        response = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        write_watchlist_csv(rows, response)
    response["Content-Disposition"] = f'attachment; filename="lookalike-watchlist.{file_format}"'
    return response
