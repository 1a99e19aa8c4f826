"""Reminders a person sets, the slots the scheduler claims, and push subscriptions."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from accounts.models import Profile
from reminders import schedule
from routines.models import Routine

UTC = zoneinfo.ZoneInfo("UTC")


class QuietHours(models.Model):
    """A person's quiet hours: no reminder of theirs goes out between start and end."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours"
    )
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        verbose_name_plural = "quiet hours"

    def __str__(self) -> str:
        return f"{self.start:%H:%M} to {self.end:%H:%M}"

    @property
    def rule(self) -> schedule.QuietHours:
        return schedule.QuietHours(start=self.start, end=self.end)


# What Reminder.plan() reads: the scheduler loads these fields only.
PLANNING_FIELDS = (
    "local_time",
    "weekdays",
    "by_push",
    "by_email",
    "paused_until",
    "next_due_at",
    "next_local_date",
    "owner__profile__time_zone",
    "owner__quiet_hours__start",
    "owner__quiet_hours__end",
)


class ReminderQuerySet(models.QuerySet):
    def for_owner(self, user) -> ReminderQuerySet:
        return self.filter(owner=user)

    def shown(self) -> ReminderQuerySet:
        """Leaves out the reminders of a session just deleted (kept a day for undo)."""
        return self.filter(models.Q(routine__isnull=True) | models.Q(routine__deleted_at=None))

    def due(self, now: datetime) -> ReminderQuerySet:
        """Every reminder whose next slot has come: one range scan of reminder_next_due,
        with what planning the following slot needs (time zone, quiet hours) joined in
        and nothing else loaded."""
        return (
            self.filter(next_due_at__lte=now)
            .select_related("owner__profile", "owner__quiet_hours")
            .only(*PLANNING_FIELDS)
            .order_by()
        )


class Reminder(models.Model):
    class Kind(models.TextChoices):
        PAIN = "pain", "Log my pain"
        SESSION = "session", "Do my stretch session"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    routine = models.ForeignKey(
        Routine,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        help_text="The session to do (session reminders only).",
    )
    local_time = models.TimeField(help_text="In the person's time zone.")
    weekdays = models.PositiveSmallIntegerField(
        default=schedule.EVERY_DAY, help_text="Bit mask: Monday is 1, Sunday 64."
    )
    by_push = models.BooleanField(default=False)
    by_email = models.BooleanField(default=False)
    paused_until = models.DateField(
        null=True, blank=True, help_text="Local date the reminder starts again."
    )
    # The next slot, kept by reminders.services: what the scheduler's one query reads.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_local_date = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["local_time", "pk"]
        indexes = [
            models.Index(fields=["next_due_at"], name="reminder_next_due"),
            models.Index(fields=["owner", "local_time"], name="reminder_owner_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="pain", routine__isnull=True)
                | models.Q(kind="session", routine__isnull=False),
                name="reminder_session_has_routine",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.local_time:%H:%M}"

    @property
    def title(self) -> str:
        """What the reminder says: no pain score, note or warning sign, ever."""
        if self.kind == self.Kind.SESSION and self.routine is not None:
            return f"Time for your stretch session: {self.routine.name}"
        return "Time to log your pain"

    @property
    def target_path(self) -> str:
        """The page a notification or email opens."""
        if self.kind == self.Kind.SESSION and self.routine_id is not None:
            return reverse("routines:play_start", args=[self.routine_id])
        return reverse("home")  # Today, with the quick entry at the top

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return self.owner.profile.zone
        except Profile.DoesNotExist:
            return UTC

    @property
    def quiet(self) -> schedule.QuietHours | None:
        try:
            return self.owner.quiet_hours.rule
        except QuietHours.DoesNotExist:
            return None

    @property
    def weekday_words(self) -> str:
        return schedule.weekdays_in_words(self.weekdays)

    @property
    def channel_words(self) -> str:
        channels = [name for name, on in (("push", self.by_push), ("email", self.by_email)) if on]
        return " and ".join(channels) or "no channel (it is off)"

    @property
    def unplanned_reason(self) -> str:
        """Why next_due_at is empty (the form always asks for a weekday)."""
        if not (self.by_push or self.by_email):
            return "none: email and push are both off"
        return "none: its time is in your quiet hours"

    def plan(self, *, after: datetime) -> None:
        """Set the next slot after ``after`` (not saved)."""
        slot = None
        if self.by_push or self.by_email:
            slot = schedule.next_slot(
                after=after,
                local_time=self.local_time,
                weekdays=self.weekdays,
                zone=self.zone,
                paused_until=self.paused_until,
                quiet=self.quiet,
            )
        self.next_due_at = slot.send_at if slot else None
        self.next_local_date = slot.local_date if slot else None

    def is_paused(self, today: date) -> bool:
        return self.paused_until is not None and self.paused_until > today


class ReminderClaim(models.Model):
    """One slot of one reminder, claimed by the scheduler before anything is enqueued.

    The unique (reminder, local date, local time) row is what makes a slot go out at most
    once: two schedulers cannot both insert it, and the send task moves it from pending
    to sending in one conditional UPDATE, so a retried or repeated task sends nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent"
        FAILED = "failed", "Failed"

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="claims")
    local_date = models.DateField()
    local_time = models.TimeField()
    due_at = models.DateTimeField(help_text="When the slot was to go out (UTC).")
    claimed_at = models.DateTimeField()
    run = models.UUIDField(help_text="The scheduler run that claimed it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    outcome = models.CharField(max_length=100, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "local_date", "local_time"], name="one_claim_per_slot"
            ),
        ]
        indexes = [
            models.Index(fields=["run"], name="claim_run"),
            models.Index(fields=["status", "claimed_at"], name="claim_status_claimed"),
            models.Index(fields=["claimed_at"], name="claim_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} on {self.local_date} at {self.local_time:%H:%M}: {self.status}"


class PushSubscription(models.Model):
    """One browser's push subscription (a device belongs to whoever last turned push on)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=120)
    auth = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner"], name="push_owner")]

    def __str__(self) -> str:
        return f"Push subscription of {self.owner_id}"

    @property
    def info(self) -> dict:
        """As pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
