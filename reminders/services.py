"""Reminder writes, and the scheduler's run: claim each due slot once, then enqueue it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reminders import schedule
from reminders.models import PushSubscription, QuietHours, Reminder, ReminderClaim

# Claims kept for looking back at what was sent; older ones are deleted by the scheduler.
CLAIMS_KEPT = timedelta(days=30)
# One task sends this many claimed slots: enqueueing is a write per task, so 100,000
# reminders due in one minute make 2,000 tasks, which any number of workers share.
CLAIMS_PER_TASK = 50
_BATCH = 1000


def save_reminder(*, reminder: Reminder, now: datetime | None = None) -> Reminder:
    """Save a new or changed reminder with its next slot."""
    if reminder.kind == Reminder.Kind.PAIN:
        reminder.routine = None
    reminder.plan(after=now or timezone.now())
    reminder.save()
    return reminder


def pause(*, reminder: Reminder, days: int, today: date) -> Reminder:
    reminder.paused_until = today + timedelta(days=days)
    return save_reminder(reminder=reminder)


def resume(*, reminder: Reminder) -> Reminder:
    reminder.paused_until = None
    return save_reminder(reminder=reminder)


def stop_emails(*, reminder: Reminder) -> Reminder:
    """The one-click unsubscribe: this reminder sends no more email."""
    reminder.by_email = False
    return save_reminder(reminder=reminder)


@transaction.atomic
def replan_owner(owner: AbstractBaseUser, *, now: datetime | None = None) -> None:
    """After a change of time zone or quiet hours: every reminder's next slot again."""
    now = now or timezone.now()
    reminders = list(
        Reminder.objects.for_owner(owner).select_related("owner__profile", "owner__quiet_hours")
    )
    for reminder in reminders:
        reminder.plan(after=now)
    _save_next_slots(reminders)


def _save_next_slots(reminders: list[Reminder]) -> None:
    """Write each reminder's next slot: one UPDATE per distinct slot (reminders due in the
    same minute mostly share a few), not one per reminder."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for reminder in reminders:
        groups[(reminder.next_due_at, reminder.next_local_date)].append(reminder.pk)
    for (due_at, local_date), pks in groups.items():
        for start in range(0, len(pks), _BATCH):
            Reminder.objects.filter(pk__in=pks[start : start + _BATCH]).update(
                next_due_at=due_at, next_local_date=local_date
            )


def set_quiet_hours(*, owner: AbstractBaseUser, start: time | None, end: time | None) -> None:
    """Quiet hours from start to end; both None switches them off."""
    if start is None or end is None:
        QuietHours.objects.filter(owner=owner).delete()
    else:
        QuietHours.objects.update_or_create(owner=owner, defaults={"start": start, "end": end})
    replan_owner(owner)


def subscribe_push(
    *, owner: AbstractBaseUser, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """A browser turned push on: it now belongs to this person (even if someone else
    turned it on there before)."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"owner": owner, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def unsubscribe_push(*, owner: AbstractBaseUser, endpoint: str | None = None) -> int:
    """Forget one browser's subscription, or all of this person's (endpoint None)."""
    subscriptions = PushSubscription.objects.filter(owner=owner)
    if endpoint is not None:
        subscriptions = subscriptions.filter(endpoint=endpoint)
    return subscriptions.delete()[0]


@dataclass(frozen=True)
class Run:
    claimed: int  # slots claimed and enqueued by this run
    missed: int  # slots more than an hour old: dropped, not sent
    due: int  # reminders the query found


def schedule_due(now: datetime | None = None) -> Run:
    """One scheduler run: find the due reminders with one indexed query, claim each slot
    (a unique row, so concurrent runs claim it once between them), plan each reminder's
    next slot, and once all that is committed enqueue the claims, CLAIMS_PER_TASK a task."""
    from reminders.tasks import send_reminders

    now = now or timezone.now()
    run = uuid.uuid4()
    with transaction.atomic():
        # Another scheduler's rows are skipped, not waited for (PostgreSQL; SQLite's
        # write transaction already lets only one run in at a time).
        due = list(Reminder.objects.due(now).select_for_update(skip_locked=True, of=("self",)))
        claims = [
            ReminderClaim(
                reminder=reminder,
                local_date=reminder.next_local_date,
                local_time=reminder.local_time,
                due_at=reminder.next_due_at,
                claimed_at=now,
                run=run,
            )
            for reminder in due
            if not schedule.is_late(reminder.next_due_at, now)
        ]
        ReminderClaim.objects.bulk_create(claims, ignore_conflicts=True, batch_size=_BATCH)
        for reminder in due:
            reminder.plan(after=now)
        _save_next_slots(due)
        claim_ids = list(ReminderClaim.objects.filter(run=run).values_list("pk", flat=True))

        def enqueue() -> None:
            with transaction.atomic():
                for start in range(0, len(claim_ids), CLAIMS_PER_TASK):
                    send_reminders.enqueue(claim_ids[start : start + CLAIMS_PER_TASK])

        transaction.on_commit(enqueue)
    return Run(claimed=len(claim_ids), missed=len(due) - len(claims), due=len(due))


def tidy_claims(now: datetime | None = None) -> int:
    """Mark claims no worker picked up within the catch-up hour as failed (they will not
    be sent now), and delete claims older than CLAIMS_KEPT."""
    now = now or timezone.now()
    ReminderClaim.objects.filter(
        status=ReminderClaim.Status.PENDING, claimed_at__lt=now - schedule.CATCH_UP
    ).update(status=ReminderClaim.Status.FAILED, outcome="not picked up in time", finished_at=now)
    deleted, _ = ReminderClaim.objects.filter(claimed_at__lt=now - CLAIMS_KEPT).delete()
    return deleted
