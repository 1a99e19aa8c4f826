"""Background tasks of the reminders app (Django's tasks framework; docs/deploy.md)."""

import logging

from django.conf import settings
from django.tasks import task

from reminders import sending

logger = logging.getLogger(__name__)


@task(queue_name=settings.TASK_QUEUE_NAME)
def send_reminders(claim_ids: list[int]) -> dict[str, int]:
    """Send claimed reminder slots, each at most once. Only the claims' ids are queued:
    no address, no message, nothing about anyone's health sits in the queue."""
    outcomes: dict[str, int] = {}
    for claim_id in claim_ids:
        try:
            outcome = sending.send_claim(claim_id).split(":")[0]
        except Exception:  # one slot's failure must not stop the others in this task
            logger.exception("Reminder claim %s failed", claim_id)
            sending.fail_claim(claim_id)
            outcome = "failed"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
