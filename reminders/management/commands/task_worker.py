"""Run a task worker for the configured backend: the database's or RQ's."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run a worker that sends mail and reminders from the task queue: django-tasks-db's "
        "db_worker (TASKS_BACKEND=database) or an RQ worker (TASKS_BACKEND=rq). Start as "
        "many as you like. --batch runs what is queued and exits."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args, batch: bool = False, **options) -> None:
        queue = settings.TASK_QUEUE_NAME
        if settings.TASKS_BACKEND == "rq":
            call_command(
                "rqworker",
                queue,
                job_class="django_tasks_rq.Job",
                burst=batch,
                with_scheduler=False,
            )
        else:
            extra = ["--batch"] if batch else []
            call_command(
                "db_worker", "--queue-name", queue, "--no-startup-delay", "--no-reload", *extra
            )
