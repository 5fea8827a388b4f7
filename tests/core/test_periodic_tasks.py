import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string

from core.periodic import PERIODIC_TASKS


def test_every_periodic_task_is_a_task_that_takes_no_arguments():
    for path in PERIODIC_TASKS:
        task = import_string(path)
        assert hasattr(task, "enqueue"), path


@pytest.mark.django_db
def test_the_command_enqueues_every_periodic_task(capsys):
    call_command("enqueue_periodic_tasks")
    printed = capsys.readouterr().out
    for path in PERIODIC_TASKS:
        assert f"enqueued {path}" in printed
