"""Which named URL patterns the browser tests visit, and which they leave out and why.

tests/accessibility/test_site_map.py fails when a named pattern is in neither list, so a new page
cannot be forgotten: it is either visited by the browser tests (and checked with axe) or listed
here with a reason."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Not pages: actions that only take a POST, downloads and machine-readable answers. Each reason
# says why a person never sees it as an HTML page.
EXCLUDED: dict[str, str] = {
    "set_language": "POST only: the language switch redirects back",
    "core:live": "machine-readable liveness check, not a page",
    "core:ready": "machine-readable readiness check, not a page",
    "applications:case": "the old address of the case page: redirects to cases:detail (visited there)",
    "accounts:dev_mailbox": "development-only mail viewer (404 outside PERMITSAFE_MODE=development)",
    "accounts:dev_mailbox_message": "development-only mail viewer; a message body is not a page",
    "applications:remove_attachment": "POST only: removes an attachment",
    "documents:download": "a file download (PDF), not a page",
    "casework:take": "POST only: takes the case",
    "casework:assign": "POST only: assigns the case",
    "casework:add_note": "POST only: adds a note",
    "casework:resume": "POST only: resumes processing",
    "casework:mark_seen": "POST only: marks the case seen",
    "casework:close": "POST only: closes the case",
    "casework:document": "a file download (an attachment), not a page",
    "casework:securemail_assign": "POST only: assigns the conversation",
    "casework:securemail_link_case": "POST only: links the conversation to a case",
    "casework:securemail_close": "POST only: closes the conversation",
    "casework:securemail_reopen": "POST only: reopens the conversation",
    "casework:securemail_attachment": "a file download, not a page",
    "cases:withdraw": "POST only: withdraws the application",
    "payments:resume": "POST only: returns to the provider",
    "payments:receipt_pdf": "a PDF download, not a page",
    "payments:admin_refund": "POST only: refunds a payment",
    "payments:daily_report": "a CSV download, not a page",
    "payments:return": "the provider's redirect back; it redirects to the payment's page",
    "payments:callback": "the provider's server-to-server callback, not a page",
    "securemail:attachment": "a file download, not a page",
    "securemail:sign_out": "POST only: ends the Securemail session",
    "trust:channels_json": "machine-readable list of channels",
    "trust:security_txt": "RFC 9116 text file, not a page",
    "trust:api_check": "JSON API",
    "trust:openapi": "the API's OpenAPI document (JSON)",
    "trust:report_evidence": "a file download (the reporter's evidence)",
    "trust:campaigns_regroup": "POST only: regroups the reports",
    "trust:campaign_publish": "POST only: publishes a warning",
    "trust:campaign_unpublish": "POST only: withdraws a warning",
    "trust:campaign_json": "machine-readable indicators (JSON)",
    "trust:campaign_stix": "machine-readable indicators (STIX JSON)",
    "trust:team_evidence": "a file download (a report's evidence)",
    "trust:watchlist_csv": "machine-readable watch list (CSV)",
    "trust:watchlist_json": "machine-readable watch list (JSON)",
    "trust:channel_active": "POST only: turns a channel on or off",
}


def named_patterns() -> set[str]:
    """Every named URL pattern, with its namespace: "casework:queue"."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names
