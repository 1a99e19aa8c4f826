"""Background tasks of the reminders app (Django's tasks framework; docs/deploy.md)."""

from django.conf import settings
from django.tasks import task

from reminders import sending


@task(queue_name=settings.TASK_QUEUE_NAME)
def send_reminder(claim_id: int) -> str:
    """Send one claimed reminder slot. Only the claim's id is queued: no address, no
    message, nothing about the person's health sits in the queue."""
    return sending.send_claim(claim_id)
