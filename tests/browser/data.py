"""Small factories that put data in the live server's database for the browser tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safety.signs import ASKED

# Answers that raise a flag of each urgency (see safety/rules.py).
URGENCY_SIGNS = {
    "immediate": {"bladder_bowel": True},
    "urgent": {"leg_symptoms": "one"},
    "non_urgent": {},  # pain more than two weeks after onset
}
# Every warning question answered "no" (what "None of these" stores).
NO_SIGNS = {sign.code: sign.no for sign in ASKED}


def make_entry(person, *, pain: int = 5, onset_days_ago: int = 0, **signs):
    """A pain entry recorded now, in an episode that began onset_days_ago."""
    from symptoms import services
    from symptoms.models import PainEntry

    now = timezone.now()
    entry = PainEntry(recorded_at=now, pain=pain, note="Stiff after gardening.", **signs)
    onset = (now - timedelta(days=onset_days_ago)).date()
    return services.save_entry(owner=person, entry=entry, onset_date=onset)


def make_flagged_entry(person, urgency: str):
    signs = {**NO_SIGNS, **URGENCY_SIGNS[urgency]}
    onset = 20 if urgency == "non_urgent" else 0
    return make_entry(person, pain=6, onset_days_ago=onset, **signs)


def starter_routine():
    from routines.models import Routine

    routine = Routine.objects.filter(owner=None).order_by("pk").first()
    assert routine is not None, "no starter session: is the content loaded?"
    return routine


def make_routine(person, *, name: str = "My morning stretches", slugs=("knee-to-chest",)):
    from routines.models import Routine, RoutineStep, Stretch

    routine = Routine.objects.create(owner=person, name=name)
    for position, slug in enumerate(slugs, start=1):
        stretch = Stretch.objects.get(slug=slug)
        RoutineStep.objects.create(
            routine=routine, stretch=stretch, position=position, hold_seconds=20, repeats=2
        )
    return routine


def start_practice(person, routine, *, pain_before: int = 4):
    from routines import services

    return services.start_practice(
        routine=routine, owner=person, pain_before=pain_before, steps_total=routine.steps.count()
    )


def make_finished_practice(person, routine):
    from routines import services

    practice = start_practice(person, routine)
    return services.finish_practice(practice=practice, pain_after=2, note="Felt looser.")


def make_reminder(person, *, kind: str = "pain", routine=None, **fields):
    from datetime import time

    from reminders import services
    from reminders.models import Reminder

    fields = {"local_time": time(8, 0), "by_email": True, **fields}
    reminder = Reminder(owner=person, kind=kind, routine=routine, **fields)
    return services.save_reminder(reminder=reminder)


def make_reminders(person):
    """A pain reminder, a paused session reminder, quiet hours and a push subscription."""
    from datetime import date, time

    from reminders import services

    make_reminder(person, by_push=True, weekdays=0b0011111)
    session = make_reminder(
        person,
        kind="session",
        routine=make_routine(person, name="Evening unwind with a longer name to wrap"),
        local_time=time(21, 30),
        weekdays=0b1000001,
    )
    services.pause(reminder=session, days=3, today=date.today())
    services.set_quiet_hours(owner=person, start=time(22, 0), end=time(7, 0))
    services.subscribe_push(
        owner=person,
        endpoint="https://push.example.org/subscription/1",
        p256dh="B" + "A" * 86,
        auth="A" * 22,
    )
    return session


def make_share_link(person, **choices) -> str:
    """Entries, a warning sign and a practice for person, and a share link to them; returns
    the link's path. Starts a fresh window of the share pages' rate limits."""
    from django.core.cache import cache
    from django.utils import timezone

    from progress.summary import default_span
    from sharing import services

    cache.clear()
    make_entry(person, pain=7, onset_days_ago=3, **NO_SIGNS)
    make_flagged_entry(person, "urgent")
    make_finished_practice(person, make_routine(person))
    today = timezone.localdate()
    _, token = services.create_link(
        owner=person,
        span=default_span(person, today),
        days=choices.get("days", 7),
        max_openings=choices.get("max_openings"),
        display_name=choices.get("display_name", "Sam"),
        allow_fhir=choices.get("allow_fhir", True),
        now=timezone.now(),
    )
    return f"/s/{token}/"
