from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    # Collected with every other app's by core.periodic; run by `enqueue_periodic_tasks`.
    periodic_tasks = (
        "core.tasks.rate_limit_counters_prune",
        "core.tasks.task_results_delete_expired",
        "core.tasks.task_results_fail_abandoned",
    )
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Registers the system checks, and core.pg_timestamps its connection receiver.
        from core import checks, periodic, pg_timestamps, sealed_fields  # noqa: F401
