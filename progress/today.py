"""The signed-in home page, "Today": what it shows, read in a fixed number of queries.

In order: the warning signs still to act on (an emergency or urgent one is the banner
above the header, as on every page; the others are listed first in the page), the
quick pain entry, the session to
continue (an unfinished practice) or to start (the last one played), the last 7 days
at a glance, and the last session's pain before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from accounts.services import get_profile
from routines.models import Practice, Routine
from safety.pain import pain_words
from safety.red_flags import Flag, Urgency
from symptoms import episode_flags, services
from symptoms.forms import PainEntryForm
from symptoms.models import Episode, PainEntry

GLANCE_DAYS = 7
# An unfinished practice is offered to continue for this long after it started.
CONTINUE_WITHIN = timedelta(hours=12)


@dataclass(frozen=True)
class GlanceDay:
    """One day of the 7-day glance: the worst pain logged that day, if any."""

    day: date
    worst: int | None
    is_today: bool = False

    @property
    def words(self) -> str:
        return pain_words(self.worst)


@dataclass
class Today:
    today: date
    episode: Episode | None
    flags: list[Flag]  # the non-urgent ones, listed in the page
    banner: list[Flag]  # the immediate and urgent ones, the banner above the header
    form: PainEntryForm
    unfinished: Practice | None
    start_routine: Routine | None
    week: list[GlanceDay]
    last_session: Practice | None

    @property
    def week_logged(self) -> int:
        return sum(1 for d in self.week if d.worst is not None)


def week_glance(user, today: date) -> list[GlanceDay]:
    """The last 7 local days, oldest first: one query."""
    start = today - timedelta(days=GLANCE_DAYS - 1)
    worst = PainEntry.objects.for_owner(user).in_period(start, today).daily_worst()
    days = (start + timedelta(days=n) for n in range(GLANCE_DAYS))
    return [GlanceDay(day, worst.get(day), is_today=day == today) for day in days]


def session_to_offer(user, now) -> tuple[Practice | None, Routine | None]:
    """The session to continue, or else the one to start: from the latest practice of a
    session that still exists, in one query. It is offered to continue if it started in
    the last 12 hours and was neither finished nor stopped, else to start again; with no
    such practice, the first starter session is offered."""
    latest = (
        Practice.objects.for_owner(user)
        .filter(routine__isnull=False)
        .select_related("routine")
        .first()
    )
    if latest is None:
        return None, Routine.objects.starters().order_by("name", "pk").first()
    unfinished = latest.finished_at is None and latest.stopped_at is None
    if unfinished and latest.started_at >= now - CONTINUE_WITHIN:
        return latest, None
    return None, latest.routine


def last_rated_session(user) -> Practice | None:
    """The latest practice with a pain score after it."""
    return Practice.objects.for_owner(user).filter(pain_after__isnull=False).first()


def today_for(user, *, form: PainEntryForm | None = None) -> Today:
    """Everything on Today for ``user``: about seven queries, whatever the history."""
    zone = get_profile(user).zone
    now = timezone.now()
    today = timezone.localdate(now, timezone=zone)
    episode = services.open_episode(user)
    # Immediate and urgent flags are the banner (base.html); the others are listed here.
    flags = episode_flags.for_episode(episode)
    if form is None:
        form = PainEntryForm(zone=zone, ask_onset=episode is None)
    unfinished, start_routine = session_to_offer(user, now)
    return Today(
        today=today,
        episode=episode,
        flags=[f for f in flags if f.is_active and f.urgency == Urgency.NON_URGENT],
        banner=episode_flags.active_urgent(flags),
        form=form,
        unfinished=unfinished,
        start_routine=start_routine,
        week=week_glance(user, today),
        last_session=last_rated_session(user),
    )
