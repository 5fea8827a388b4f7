from django.urls import path

from trust.views import check, public, reports, team, verify

app_name = "trust"
urlpatterns = [
    path("trust/", public.trust_center, name="center"),
    path("trust/channels/", public.channels_page, name="channels"),
    path("trust/channels.json", public.channels_json, name="channels_json"),
    path(".well-known/security.txt", public.security_txt, name="security_txt"),
    path("trust/warnings/<uuid:public_id>/", public.warning_detail, name="warning"),
    path("trust/check/", check.check_page, name="check"),
    path("api/v1/check", check.api_check, name="api_check"),
    path("api/v1/openapi.json", check.api_openapi, name="openapi"),
    path("trust/verify/", verify.verify_page, name="verify"),
    path("trust/report/", reports.report_page, name="report"),
    path("trust/report/<uuid:public_id>/", reports.report_result, name="report_result"),
    path(
        "trust/report/<uuid:public_id>/evidence/", reports.report_evidence, name="report_evidence"
    ),
    path("trust/campaigns/", team.campaigns, name="campaigns"),
    path("trust/campaigns/regroup/", team.campaigns_regroup, name="campaigns_regroup"),
    path("trust/campaigns/<uuid:public_id>/", team.campaign_detail, name="campaign"),
    path(
        "trust/campaigns/<uuid:public_id>/publish/",
        team.campaign_publish_view,
        name="campaign_publish",
    ),
    path(
        "trust/campaigns/<uuid:public_id>/unpublish/",
        team.campaign_unpublish_view,
        name="campaign_unpublish",
    ),
    path(
        "trust/campaigns/<uuid:public_id>/indicators.json", team.campaign_json, name="campaign_json"
    ),
    path("trust/campaigns/<uuid:public_id>/stix.json", team.campaign_stix, name="campaign_stix"),
    path(
        "trust/campaigns/reports/<uuid:public_id>/evidence/",
        team.team_evidence,
        name="team_evidence",
    ),
    path("trust/channels/manage/", team.channels_manage, name="channels_manage"),
    path(
        "trust/watchlist.csv", team.watchlist_download, {"file_format": "csv"}, name="watchlist_csv"
    ),
    path(
        "trust/watchlist.json",
        team.watchlist_download,
        {"file_format": "json"},
        name="watchlist_json",
    ),
    path("trust/channels/manage/<int:pk>/active/", team.channel_set_active, name="channel_active"),
]
