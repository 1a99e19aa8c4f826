"""What a worker does with one claimed slot: check it is still wanted, then push and mail.

Privacy: a push payload and an email say only "Time to log your pain" or the session's
name, and link to a page; never a pain score, a note or a warning sign.
"""

from __future__ import annotations

import email.policy
import logging
from datetime import datetime

import requests
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reminders import push, schedule
from reminders.models import PushSubscription, Reminder, ReminderClaim
from symptoms.models import PainEntry

logger = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "reminders.unsubscribe"
_session: requests.Session | None = None


def unsubscribe_token(reminder: Reminder) -> str:
    """A signed token for the one-click unsubscribe; it works signed out and never expires
    (an old email's link still stops the emails)."""
    return signing.dumps({"r": reminder.pk, "o": reminder.owner_id}, salt=_UNSUBSCRIBE_SALT)


def reminder_for_token(token: str) -> Reminder | None:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Reminder.objects.filter(pk=data.get("r"), owner_id=data.get("o")).first()


def unsubscribe_url(reminder: Reminder) -> str:
    path = reverse("reminders:unsubscribe", args=[unsubscribe_token(reminder)])
    return settings.SITE_URL + path


def push_payload(reminder: Reminder, claim: ReminderClaim) -> dict:
    return {
        "title": "SpasmCare",
        "body": reminder.title,
        "url": reminder.target_path,
        "tag": f"reminder-{reminder.pk}",
    }


class ReminderEmail(EmailMessage):
    """Mail programs read List-Unsubscribe as a plain <URL>: keep each header on one line
    (up to RFC 5322's 998 characters) rather than folded into encoded words at 78."""

    def message(self, *, policy: email.policy.Policy = email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def reminder_email(reminder: Reminder) -> EmailMessage:
    unsubscribe = unsubscribe_url(reminder)
    body = render_to_string(
        "reminders/reminder_email.txt",
        {
            "reminder": reminder,
            "open_url": settings.SITE_URL + reminder.target_path,
            "manage_url": settings.SITE_URL + reverse("reminders:list"),
            "unsubscribe_url": unsubscribe,
        },
    )
    return ReminderEmail(
        subject=reminder.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.owner.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show "Unsubscribe" and post to it.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def skip_reason(claim: ReminderClaim, now: datetime) -> str:
    """Why this slot should not go out now, or "" if it should."""
    reminder = claim.reminder
    zone = reminder.zone
    if schedule.is_late(claim.due_at, now):
        return "too late"
    if reminder.routine is not None and reminder.routine.deleted_at is not None:
        return "session deleted"  # kept a day for undo: no reminder for it meanwhile
    if not (reminder.by_push or reminder.by_email):
        return "no channel"
    if reminder.is_paused(claim.local_date):
        return "paused"
    quiet = reminder.quiet
    if quiet is not None and quiet.covers(timezone.localtime(now, zone).time()):
        return "quiet hours"
    if reminder.kind == Reminder.Kind.PAIN and (
        PainEntry.objects.for_owner(reminder.owner_id)
        .in_period(claim.local_date, claim.local_date)
        .exists()
    ):
        return "pain already logged that day"
    return ""


def send_claim(claim_id: int, *, now: datetime | None = None) -> str:
    """Send one claimed slot at most once; returns what happened (for the task result)."""
    now = now or timezone.now()
    # The one conditional UPDATE that makes this slot this worker's: a second task for
    # the same claim (a retry, a restarted worker, a duplicate) updates nothing.
    taken = ReminderClaim.objects.filter(pk=claim_id, status=ReminderClaim.Status.PENDING).update(
        status=ReminderClaim.Status.SENDING
    )
    if not taken:
        return "already handled"
    claim = ReminderClaim.objects.select_related(
        "reminder__owner__profile", "reminder__owner__quiet_hours", "reminder__routine"
    ).get(pk=claim_id)
    if reason := skip_reason(claim, now):
        return _finish(claim, ReminderClaim.Status.SKIPPED, reason)
    reminder = claim.reminder
    sent, failed = [], []
    if reminder.by_push and push.enabled():
        pushed, push_failures = _push_all(reminder, claim)
        sent += ["push"] * pushed
        failed += push_failures
    if reminder.by_email and reminder.owner.email:
        try:
            reminder_email(reminder).send()
            sent.append("email")
        except OSError as error:
            logger.warning("Reminder mail for claim %s failed: %s", claim.pk, type(error).__name__)
            failed.append("email")
    if sent:
        return _finish(claim, ReminderClaim.Status.SENT, f"{len(sent)} sent, {len(failed)} failed")
    if failed:
        return _finish(claim, ReminderClaim.Status.FAILED, f"{len(failed)} failed")
    return _finish(claim, ReminderClaim.Status.SKIPPED, "nowhere to send it")


def _push_all(reminder: Reminder, claim: ReminderClaim) -> tuple[int, list[str]]:
    global _session
    if _session is None:
        _session = requests.Session()
    payload = push_payload(reminder, claim)
    pushed, failed = 0, []
    for subscription in PushSubscription.objects.filter(owner_id=reminder.owner_id):
        try:
            push.send(subscription.info, payload, session=_session)
            pushed += 1
        except push.Gone:
            subscription.delete()
        except (push.WebPushException, requests.RequestException) as error:
            logger.warning("Push for claim %s failed: %s", claim.pk, type(error).__name__)
            failed.append("push")
    return pushed, failed


def _finish(claim: ReminderClaim, status: str, outcome: str) -> str:
    ReminderClaim.objects.filter(pk=claim.pk).update(
        status=status, outcome=outcome[:100], finished_at=timezone.now()
    )
    return f"{status}: {outcome}"


def fail_claim(claim_id: int) -> None:
    """After an unexpected error: the slot is not retried (it may have gone out)."""
    ReminderClaim.objects.filter(
        pk=claim_id, status__in=[ReminderClaim.Status.PENDING, ReminderClaim.Status.SENDING]
    ).update(status=ReminderClaim.Status.FAILED, outcome="error", finished_at=timezone.now())
