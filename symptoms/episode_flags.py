"""An episode's flags: reading what the checker needs, and the person's acts on a flag.

The pure checker (safety.red_flags) decides; this module only feeds it the episode's
entries that can matter and the person's acknowledgements, in a fixed number of queries
whatever the episode's length, and stores acknowledgements and shown alerts.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, Q, Subquery
from django.utils import timezone

from safety.pain import SEVERE_PAIN
from safety.red_flags import (
    CODES,
    LONG_PAIN_DAYS,
    WORSENING_ENTRIES,
    Acknowledgement,
    Flag,
    Urgency,
    check_episode,
)
from safety.signs import SIGN_CODES, Signs
from symptoms.models import (
    Episode,
    FlagAcknowledgement,
    FlagNotice,
    PainEntry,
    reports_a_sign,
)

ROW_FIELDS = ("pk", "local_date", "recorded_at", "updated_at", "pain", *SIGN_CODES)


def _ids(queryset) -> Subquery:
    return Subquery(queryset.values("pk"))


def flag_rows(episode: Episode):
    """The episode's entries that can raise a flag, as checker input rows.

    A pre-filter only, so the pure checker stays the one place the rules live: every
    entry reporting a warning sign; the first entry and the latest few (pain getting
    worse); the earliest entry with pain more than two weeks after onset; and, once a
    fall or serious accident is reported, every entry with severe pain (it carries
    forward). Everything else cannot change ``check_episode``'s answer, so a long
    episode costs no more queries than a short one.
    """
    entries = episode.entries.order_by()
    oldest = entries.order_by("local_date", "recorded_at", "pk")
    newest = entries.order_by("-local_date", "-recorded_at", "-pk")
    long_pain = oldest.filter(
        local_date__gt=episode.onset_date + timedelta(days=LONG_PAIN_DAYS), pain__gte=1
    )
    injury = entries.filter(Q(after_fall=True) | Q(serious_accident=True))
    may_flag = (
        Q(pk__in=_ids(entries.reporting_a_sign()))
        | Q(pk__in=_ids(oldest[:1]))
        | Q(pk__in=_ids(newest[:WORSENING_ENTRIES]))
        | Q(pk__in=_ids(long_pain[:1]))
        | (Q(pain__gte=SEVERE_PAIN) & Exists(injury))
    )
    return entries.filter(may_flag).values(*ROW_FIELDS)


def row_signs(row: dict) -> Signs:
    """A row of ``ROW_FIELDS`` values as the checker's input."""
    return Signs.of(
        row,
        on=row["local_date"],
        pain=row["pain"],
        at=row["recorded_at"],
        saved_at=row["updated_at"],
        key=row["pk"],
    )


def acknowledgements(episode: Episode) -> list[Acknowledgement]:
    return [
        Acknowledgement(code, at)
        for code, at in episode.acknowledgements.values_list("code", "seen_at")
    ]


def for_episode(episode: Episode | None, *, history: bool = False) -> list[Flag]:
    """The checker's flags for an episode: a few small queries, whatever its length.

    A resolved episode has none to act on; with ``history``, the flags it raised (for
    the episode page and the doctor summary).
    """
    if episode is None or (episode.resolved_on is not None and not history):
        return []
    return check_episode(
        onset=episode.onset_date,
        resolved_on=episode.resolved_on,
        entries=[row_signs(row) for row in flag_rows(episode)],
        acknowledged=acknowledgements(episode),
        as_if_open=history,
    )


def banner_flags(user) -> list[Flag]:
    """The active immediate and urgent flags of the person's open episode, for the
    banner on every page: one query when nothing in the episode reports a sign.

    Those flags come from entries alone (a reported sign, or severe pain after a fall
    or accident reported earlier), so only such rows are read: severe pain only once the
    episode has a fall or accident in it, so a long episode of bad days without one costs
    no more than a short one. Acknowledgements are read only when there are some.
    """
    open_entries = PainEntry.objects.filter(owner=user, episode__resolved_on__isnull=True)
    # Not correlated (no OuterRef): the database answers it once, not once per row.
    injury = Exists(open_entries.filter(Q(after_fall=True) | Q(serious_accident=True)))
    rows = list(
        open_entries.filter(reports_a_sign() | (Q(pain__gte=SEVERE_PAIN) & injury)).values(
            "episode_id", *ROW_FIELDS
        )
    )
    if not any(PainEntry.reports(row) for row in rows):
        return []
    acks = [
        Acknowledgement(code, at)
        for code, at in FlagAcknowledgement.objects.filter(
            episode_id=rows[0]["episode_id"]
        ).values_list("code", "seen_at")
    ]
    flags = check_episode(
        onset=min(row["local_date"] for row in rows),
        resolved_on=None,
        entries=[row_signs(row) for row in rows],
        acknowledged=acks,
    )
    return active_urgent(flags)


def alert_for(entry: PainEntry) -> list[Flag]:
    """The flags that make saving ``entry`` open the alert page first, most urgent first.

    An immediate or urgent flag the entry itself reports (a report after an
    acknowledgement included); a non-urgent flag of the episode whose alert has not been
    shown yet in this episode (each interrupts once, then stays listed on the log).
    """
    episode = entry.episode
    active = [f for f in for_episode(episode) if f.is_active]
    urgent = [f for f in active if f.urgency != Urgency.NON_URGENT and entry.pk in f.keys]
    non_urgent = [f for f in active if f.urgency == Urgency.NON_URGENT]
    if non_urgent:
        shown = set(episode.notices.values_list("code", flat=True))
        non_urgent = [f for f in non_urgent if f.code not in shown]
    return urgent + non_urgent


@transaction.atomic
def note_alert_shown(*, episode: Episode, flags: list[Flag]) -> None:
    """Remember that the non-urgent flags among ``flags`` have interrupted the person."""
    now = timezone.now()
    for flag in flags:
        if flag.urgency == Urgency.NON_URGENT:
            FlagNotice.objects.get_or_create(
                episode=episode, code=flag.code, defaults={"shown_at": now}
            )


def acknowledge_flag(*, episode: Episode, code: str) -> FlagAcknowledgement:
    """Record the person's acknowledgement of one flag, now: it covers every report of
    the sign made so far."""
    if code not in CODES:
        raise ValueError(f"unknown flag code {code!r}")
    return FlagAcknowledgement.objects.create(
        owner_id=episode.owner_id, episode=episode, code=code, seen_at=timezone.now()
    )


def undo_acknowledgement(*, episode: Episode, code: str) -> bool:
    """Take back the latest acknowledgement of a flag; False if there was none."""
    latest = episode.acknowledgements.filter(code=code).order_by("-seen_at", "-pk").first()
    if latest is None:
        return False
    latest.delete()
    return True


def active_urgent(flags: list[Flag]) -> list[Flag]:
    """The immediate and urgent flags still to act on."""
    return [f for f in flags if f.is_active and f.urgency != Urgency.NON_URGENT]


def has_active_immediate(flags: list[Flag]) -> bool:
    return any(f.is_active and f.urgency == Urgency.IMMEDIATE for f in flags)
