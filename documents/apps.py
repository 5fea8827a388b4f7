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
        from documents import checks  # noqa: F401 (registers the system checks)
