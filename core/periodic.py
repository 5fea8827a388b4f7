"""Work that must run on a schedule (reminders, sweeps, pruning), enqueued as ordinary tasks.

Each app declares its periodic tasks in its AppConfig (`periodic_tasks = ("app.tasks.name", ...)`)
and marks each of them with `@periodic` where it is defined; the core collects the declarations of
every installed app. The task queue has no scheduler of its own: operators run
`manage.py enqueue_periodic_tasks` from cron every few minutes, and `manage.py serve` (`make run`)
does the same. Every periodic task is idempotent and cheap when there is nothing to do, so enqueuing
it early or twice does no harm.
"""

from __future__ import annotations

import inspect

from django.apps import apps
from django.core import checks
from django.utils.module_loading import import_string
from django_tasks.base import Task

_marked: set[str] = set()


def periodic(task: Task) -> Task:
    """Mark a task (put it above `@task()`) as periodic, so the system check and the tests can
    prove that its app declares it and the cron command runs it."""
    _marked.add(task.module_path)
    return task


def marked_periodic_tasks() -> frozenset[str]:
    """The tasks marked `@periodic` among the modules imported so far."""
    return frozenset(_marked)


def declared_periodic_tasks() -> tuple[str, ...]:
    """Dotted paths from every installed app's `periodic_tasks`, in app order."""
    paths: list[str] = []
    for config in apps.get_app_configs():
        paths.extend(getattr(config, "periodic_tasks", ()))
    return tuple(paths)


def enqueue_periodic_tasks() -> list[str]:
    enqueued = []
    for path in declared_periodic_tasks():
        import_string(path).enqueue()
        enqueued.append(path)
    return enqueued


@checks.register()
def check_periodic_tasks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A declared path must be a task marked @periodic that can run without arguments."""
    errors = []
    for path in declared_periodic_tasks():
        try:
            task = import_string(path)
        except ImportError as error:
            errors.append(
                checks.Error(f"periodic task {path} cannot be imported: {error}", id="core.E110")
            )
            continue
        if not isinstance(task, Task) or path not in _marked:
            errors.append(
                checks.Error(
                    f"{path} is declared periodic but is not a @periodic task", id="core.E111"
                )
            )
            continue
        required = [
            parameter.name
            for parameter in inspect.signature(task.func).parameters.values()
            if parameter.default is inspect.Parameter.empty
            and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        ]
        if required:
            errors.append(
                checks.Error(f"periodic task {path} needs arguments {required}", id="core.E112")
            )
    return errors
