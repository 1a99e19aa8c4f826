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

from django.db.models import Q
from django.utils import timezone

from accounts.services import get_profile
from progress import insights
from routines.models import Practice, Routine
from safety.pain import pain_words
from safety.red_flags import Flag
from safety.rules import Urgency
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
    rows = PainEntry.objects.for_owner(user).in_period(start, today).order_by()
    worst = insights.worst_per_day(rows.values_list("local_date", "pain"))
    days = (start + timedelta(days=n) for n in range(GLANCE_DAYS))
    return [GlanceDay(day, worst.get(day), is_today=day == today) for day in days]


# Today's two practices (the one played last, the last one rated) are nearly always
# among a person's latest few: read them in one query, with a query more only if not.
RECENT_PRACTICES = 5


@dataclass(frozen=True)
class SessionsToShow:
    unfinished: Practice | None  # to continue
    start_routine: Routine | None  # else, to start
    last_rated: Practice | None  # the last session's pain before and after


def sessions_to_show(user, now) -> SessionsToShow:
    """The session to continue or else to start, from the latest practice of a session
    that still exists: to continue if it started in the last 12 hours and was neither
    finished nor stopped, else to start again (with none, the first starter session);
    and the latest practice with a pain score after it.

    Both come from the latest few practices that are either (one query): the first of
    them of each kind is the person's latest of that kind. Only when the few hold none
    of a kind and there may be older ones is that kind read on its own."""
    practices = Practice.objects.for_owner(user).select_related("routine")
    either = Q(routine__isnull=False) | Q(pain_after__isnull=False)
    recent = list(practices.filter(either)[:RECENT_PRACTICES])
    complete = len(recent) < RECENT_PRACTICES  # every practice of either kind is here

    def latest_with(field: str) -> Practice | None:
        attname = Practice._meta.get_field(field).attname
        found = next((p for p in recent if getattr(p, attname) is not None), None)
        if found is None and not complete:
            found = practices.filter(**{f"{field}__isnull": False}).first()
        return found

    played, rated = latest_with("routine"), latest_with("pain_after")
    if played is None:
        starter = Routine.objects.starters().order_by("name", "pk").first()
        return SessionsToShow(unfinished=None, start_routine=starter, last_rated=rated)
    unfinished = played.finished_at is None and played.stopped_at is None
    if unfinished and played.started_at >= now - CONTINUE_WITHIN:
        return SessionsToShow(unfinished=played, start_routine=None, last_rated=rated)
    return SessionsToShow(unfinished=None, start_routine=played.routine, last_rated=rated)


def today_for(user, *, form: PainEntryForm | None = None) -> Today:
    """Everything on Today for ``user``: about six queries, whatever the history."""
    zone = get_profile(user).zone
    now = timezone.now()
    today = timezone.localdate(now, timezone=zone)
    episode = services.open_episode(user)
    # Immediate and urgent flags are the banner (base.html); the others are listed here.
    flags = episode_flags.for_episode(episode)
    if form is None:
        form = PainEntryForm(zone=zone, ask_onset=episode is None)
    sessions = sessions_to_show(user, now)
    return Today(
        today=today,
        episode=episode,
        flags=[f for f in flags if f.is_active and f.urgency == Urgency.NON_URGENT],
        banner=episode_flags.active_urgent(flags),
        form=form,
        unfinished=sessions.unfinished,
        start_routine=sessions.start_routine,
        week=week_glance(user, today),
        last_session=sessions.last_rated,
    )
