"""Every write of the trust center; import from here (trust.services.<function>)."""

from trust.services.campaigns import (
    campaign_publish,
    campaign_refresh_counts,
    campaign_unpublish,
    campaign_update,
    scam_report_group,
)
from trust.services.channels import (
    official_channel_add,
    official_channel_set_active,
    official_channels_load_from_profile,
)
from trust.services.reports import (
    run_check,
    scam_report_content,
    scam_report_evidence,
    scam_report_reporter_address,
    scam_report_result,
    scam_report_submit,
)
from trust.services.verification_checks import verification_code_attempt, verification_code_checker

__all__ = [
    "campaign_publish",
    "campaign_refresh_counts",
    "campaign_unpublish",
    "campaign_update",
    "official_channel_add",
    "official_channel_set_active",
    "official_channels_load_from_profile",
    "run_check",
    "scam_report_content",
    "scam_report_evidence",
    "scam_report_group",
    "scam_report_reporter_address",
    "scam_report_result",
    "scam_report_submit",
    "verification_code_attempt",
    "verification_code_checker",
]
