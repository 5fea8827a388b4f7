"""System checks: production must have a real virus scanner."""

from django.core.checks import Error, Tags, register

from documents.scanners import configured_scanner_code


@register(Tags.security, deploy=True)
def virus_scanner_configured(app_configs, **kwargs):
    if configured_scanner_code() is None:
        return [
            Error(
                "No virus scanner is configured: uploaded files would never be scanned or served.",
                hint="Set CLAMD_SOCKET to clamd's unix socket path or host:port.",
                id="documents.E001",
            )
        ]
    return []
