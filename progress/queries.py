"""What the progress page and the doctor summary read, in a fixed number of queries.

The period's entries and practices are each read once, as plain values (rows bounded by
the period: a 90-day page reads a few hundred small rows), and counted in
progress/insights.py with the wording; geometry lives in progress/chart.py. One query
per table, not one GROUP BY per number: building each ORM query cost more (0.5-1 ms)
than running it.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, Q

from progress import insights
from routines.models import Practice
from safety.red_flags import Acknowledgement, Flag, check_episode
from safety.signs import Signs
from symptoms.episode_flags import ROW_FIELDS, row_signs
from symptoms.models import Episode, FlagAcknowledgement, PainEntry

# The summary's chart shows at most this many days (the end of the range).
REPORT_CHART_DAYS = 90
REPORT_NOTES = 8


@dataclass
class PeriodData:
    start: date
    end: date
    daily: dict[date, int]
    sessions: dict[date, int]
    overall: insights.Effect
    per_routine: list[insights.Effect]
    triggers: list[insights.Count]
    reliefs: list[insights.Count]
    entries: int
    locations: list[insights.Count]


def period_data(user, start: date, end: date, zone: zoneinfo.ZoneInfo) -> PeriodData:
    """Two queries, whatever the length of the history."""
    entries = list(
        PainEntry.objects.for_owner(user)
        .in_period(start, end)
        .order_by()
        .values_list("local_date", "pain", "triggers", "reliefs", "locations")
    )
    practices = list(
        Practice.objects.for_owner(user)
        .in_period(start, end, zone)
        .order_by()
        .values_list("started_at", "routine_name", "pain_before", "pain_after")
    )
    groups = insights.practice_groups((name, b, a) for _, name, b, a in practices)
    overall, per_routine = insights.practice_effects(groups)
    count = len(entries)
    return PeriodData(
        start=start,
        end=end,
        daily=insights.worst_per_day((day, pain) for day, pain, *_ in entries),
        sessions=insights.sessions_per_day((started for started, *_ in practices), zone),
        overall=overall,
        per_routine=per_routine,
        triggers=insights.trigger_counts((t for _, _, t, _, _ in entries), entries=count),
        reliefs=insights.relief_counts((r for _, _, _, r, _ in entries), entries=count),
        entries=count,
        locations=insights.location_counts((w for *_, w in entries), entries=count),
    )


@dataclass(frozen=True)
class FlagHistory:
    flag: Flag
    seen_at: datetime | None
    episode_uid: str = ""


def flag_history(user, entries) -> list[FlagHistory]:
    """Every warning sign reported by ``entries``, per episode, with its acknowledgement.

    A resolved episode has nothing left to act on, but a summary for a doctor needs the
    history: each episode is checked as if open (``as_if_open``).
    """
    rows = list(
        entries.order_by("local_date", "recorded_at", "pk").values("episode_id", *ROW_FIELDS)
    )
    episode_ids = {row["episode_id"] for row in rows}
    episodes = {
        pk: (onset, str(uid))
        for pk, onset, uid in Episode.objects.for_owner(user)
        .filter(pk__in=episode_ids)
        .values_list("pk", "onset_date", "uid")
    }
    acks: dict[int, list[Acknowledgement]] = defaultdict(list)
    for episode_id, code, seen_at in FlagAcknowledgement.objects.filter(
        owner=user, episode_id__in=episode_ids
    ).values_list("episode_id", "code", "seen_at"):
        acks[episode_id].append(Acknowledgement(code, seen_at))
    signs: dict[int, list[Signs]] = defaultdict(list)
    for row in rows:
        signs[row["episode_id"]].append(row_signs(row))
    history = []
    for episode_id, (onset, uid) in sorted(episodes.items(), key=lambda item: item[1]):
        for flag in check_episode(
            onset=onset,
            resolved_on=None,
            entries=signs[episode_id],
            acknowledged=acks[episode_id],
        ):
            history.append(FlagHistory(flag=flag, seen_at=flag.acknowledged_at, episode_uid=uid))
    return history


def report_data(user, start: date, end: date, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """Everything on the summary page, in a fixed number of queries."""
    data = period_data(user, start, end, zone)
    entries = PainEntry.objects.for_owner(user).in_period(start, end).order_by()
    stats = entries.aggregate(
        average=Avg("pain"), count=Count("pk"), notes=Count("pk", filter=~Q(note=""))
    )
    latest = entries.order_by("-recorded_at", "-pk").values_list("pain", "recorded_at").first()
    notes = list(
        entries.exclude(note="")
        .order_by("-recorded_at", "-pk")
        .values("local_date", "pain", "note")[:REPORT_NOTES]
    )
    return {
        "period": data,
        "pain": insights.pain_summary(
            data.daily, latest=latest[0] if latest else None, average=stats["average"]
        ),
        "latest_at": latest[1] if latest else None,
        "entries_count": stats["count"],
        "flags": flag_history(user, entries),
        "notes": notes,
        "notes_total": stats["notes"],
        "chart_start": max(start, end - timedelta(days=REPORT_CHART_DAYS - 1)),
    }
