"""The task of bench/task_queue.py, in a module of its own: django-tasks stores a task by its
module path, so the workers must import it by name (the bench script itself runs as __main__)."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def bench_task(work_ms: float = 0.0) -> None:
    """No work at all (the queue's own cost), or a wait standing for I/O such as an SMTP send."""
    if work_ms:
        time.sleep(work_ms / 1000)
