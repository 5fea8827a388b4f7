from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    periodic_tasks = (
        "documents.tasks.scans_requeue_stalled",
        "documents.tasks.purge_orphan_blobs",
    )
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from core.sealed_fields import register_sealed_field
        from documents import checks  # noqa: F401 (registers the system checks)

        register_sealed_field(
            "documents.Document",
            "original_filename_sealed",
            lambda document: document.filename_associated_data,
        )
