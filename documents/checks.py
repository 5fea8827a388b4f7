"""System checks: production must have a real virus scanner, and a documents storage it can use."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from documents.s3 import S3_BACKEND
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


@register(deploy=True)
def documents_bucket_configured(app_configs, **kwargs):
    storage = settings.STORAGES["documents"]
    if storage["BACKEND"] == S3_BACKEND and not storage.get("OPTIONS", {}).get("bucket_name"):
        return [
            Error(
                "The documents storage is S3 but names no bucket: no upload could be stored.",
                hint="Set DOCUMENTS_S3_BUCKET (and DOCUMENTS_S3_ENDPOINT_URL for a store "
                "other than AWS).",
                id="documents.E002",
            )
        ]
    return []
