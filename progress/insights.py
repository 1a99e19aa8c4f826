"""Findings from a person's own pain log and practices, in plain words.

Pure functions on plain data (no request, no ORM): progress.queries reads the period's
rows as plain values and everything is counted here, so the numbers can be tested on
hand-made data.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from safety.pain import is_meaningful_drop
from symptoms.models import LOCATION_LABELS, Relief, Trigger

TOP_COUNT = 3


@dataclass(frozen=True)
class PracticeGroup:
    """Practices of one routine in the period, counted."""

    name: str
    played: int  # all practices, rated after or not
    rated: int  # with a pain score before and after
    change_total: int  # sum of (after - before) over the rated ones
    meaningful: int  # rated ones where pain fell by a meaningful amount (2 points or more)

    @classmethod
    def of(cls, name: str, scores: Iterable[tuple[int, int | None]]) -> PracticeGroup:
        """From each practice's (pain before, pain after or None if not rated)."""
        scores = list(scores)
        changes = [after - before for before, after in scores if after is not None]
        return cls(
            name=name,
            played=len(scores),
            rated=len(changes),
            change_total=sum(changes),
            meaningful=sum(is_meaningful_drop(change) for change in changes),
        )


def practice_groups(rows: Iterable[tuple[str, int, int | None]]) -> list[PracticeGroup]:
    """Practices as (routine name, pain before, pain after or None), one group per name."""
    scores: defaultdict[str, list[tuple[int, int | None]]] = defaultdict(list)
    for name, before, after in rows:
        scores[name].append((before, after))
    return [PracticeGroup.of(name, pairs) for name, pairs in scores.items()]


def worst_per_day(rows: Iterable[tuple[date, int]]) -> dict[date, int]:
    """The worst pain of each local date, from (local date, pain) of each entry."""
    worst: dict[date, int] = {}
    for day, pain in rows:
        worst[day] = max(pain, worst.get(day, pain))
    return worst


def sessions_per_day(started: Iterable[datetime], zone: zoneinfo.ZoneInfo) -> dict[date, int]:
    """How many practices started on each local date in ``zone``."""
    return dict(Counter(moment.astimezone(zone).date() for moment in started))


@dataclass(frozen=True)
class Effect:
    name: str
    played: int
    rated: int
    average_change: float | None  # after - before: negative means less pain
    meaningful: int

    @property
    def is_meaningful(self) -> bool:
        """On average, pain fell by 2 points or more."""
        return is_meaningful_drop(self.average_change)

    @property
    def meaningful_percent(self) -> int | None:
        return round(100 * self.meaningful / self.rated) if self.rated else None

    @property
    def change_words(self) -> str:
        return change_words(self.average_change)


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int
    percent: int  # of the entries in the period


@dataclass(frozen=True)
class Finding:
    heading: str
    text: str
    numbers: list[str] = field(default_factory=list)


def change_words(change: float | None) -> str:
    """ "fell by 1.5 points", "rose by 1 point", "stayed the same"."""
    if change is None:
        return "no pain score after"
    rounded = round(change, 1)
    if rounded == 0:
        return "stayed the same on average"
    size = abs(rounded)
    number = f"{size:g}"
    unit = "point" if size == 1 else "points"
    return f"{'fell' if rounded < 0 else 'rose'} by {number} {unit} on average"


def effect(group: PracticeGroup) -> Effect:
    return Effect(
        name=group.name,
        played=group.played,
        rated=group.rated,
        average_change=(group.change_total / group.rated) if group.rated else None,
        meaningful=group.meaningful,
    )


def practice_effects(groups: Iterable[PracticeGroup]) -> tuple[Effect, list[Effect]]:
    """(all practices together, one per routine most played first)."""
    groups = list(groups)
    overall = effect(
        PracticeGroup(
            name="All sessions",
            played=sum(g.played for g in groups),
            rated=sum(g.rated for g in groups),
            change_total=sum(g.change_total for g in groups),
            meaningful=sum(g.meaningful for g in groups),
        )
    )
    per_routine = sorted((effect(g) for g in groups), key=lambda e: (-e.played, e.name))
    return overall, per_routine


def top_counts(
    lists: Iterable[Iterable[str]],
    labels: Mapping[str, str],
    *,
    entries: int,
    limit: int = TOP_COUNT,
) -> list[Count]:
    """The most frequent codes across entries; ties keep the order of ``labels``."""
    counter: Counter[str] = Counter()
    for codes in lists:
        counter.update(set(codes or []))
    order = {code: index for index, code in enumerate(labels)}
    ranked = sorted(
        (code for code in counter if code in labels),
        key=lambda code: (-counter[code], order[code]),
    )
    return [
        Count(
            code=code,
            label=labels[code],
            count=counter[code],
            percent=round(100 * counter[code] / entries) if entries else 0,
        )
        for code in ranked[:limit]
    ]


def trigger_counts(lists: Iterable[Iterable[str]], *, entries: int) -> list[Count]:
    return top_counts(lists, dict(Trigger.choices), entries=entries)


def relief_counts(lists: Iterable[Iterable[str]], *, entries: int) -> list[Count]:
    return top_counts(lists, dict(Relief.choices), entries=entries)


def location_counts(lists: Iterable[Iterable[str]], *, entries: int) -> list[Count]:
    """Where it hurt most often (the body map's regions, and the older choices)."""
    return top_counts(lists, LOCATION_LABELS, entries=entries)


def period_days(start: date, end: date) -> int:
    return (end - start).days + 1


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _count_list(counts: list[Count]) -> str:
    names = [f"{c.label.lower()} ({c.count})" for c in counts]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def findings(
    *,
    start: date,
    end: date,
    daily: Mapping[date, int],
    entries: int,
    overall: Effect,
    per_routine: list[Effect],
    triggers: list[Count],
    reliefs: list[Count],
    locations: list[Count],
) -> list[Finding]:
    """Plain-language findings for the period, each with the numbers behind it."""
    days = period_days(start, end)
    logged = len(daily)
    result = [
        Finding(
            heading="Days logged",
            text=f"You logged your pain on {logged} of the last {days} days.",
            numbers=[f"{_plural(entries, 'entry', 'entries')} in total"],
        )
    ]

    if overall.played == 0:
        result.append(
            Finding(
                heading="Sessions",
                text="No sessions were played in this period, so there is nothing to compare yet.",
            )
        )
    elif overall.rated == 0:
        result.append(
            Finding(
                heading="Sessions",
                text=(
                    f"You played {_plural(overall.played, 'session')}, but none has a pain "
                    "score from after the session, so their effect cannot be worked out."
                ),
            )
        )
    else:
        if overall.is_meaningful:
            verdict = "That is a meaningful drop (2 points or more)."
        elif overall.average_change is not None and overall.average_change > 0:
            verdict = (
                "If stretching makes your pain worse, stop and ask a doctor or "
                "physiotherapist before you carry on."
            )
        else:
            verdict = "A drop of 2 points or more counts as meaningful; the average is below that."
        result.append(
            Finding(
                heading="Pain after a session",
                text=(
                    f"Across {_plural(overall.rated, 'session')} with a pain score before and "
                    f"after, your pain {overall.change_words}. {verdict}"
                ),
                numbers=[
                    f"{overall.meaningful} of {overall.rated} sessions "
                    f"({overall.meaningful_percent}%) brought pain down by 2 points or more",
                    f"{_plural(overall.played, 'session')} played in total",
                ],
            )
        )
        rated = [e for e in per_routine if e.rated]
        best = min(rated, key=lambda e: (e.average_change, -e.rated)) if rated else None
        if len(rated) > 1 and best.average_change < 0:
            result.append(
                Finding(
                    heading="Which session helped most",
                    text=(
                        f"“{best.name}” helped most: after it your pain {best.change_words}"
                        f" (over {_plural(best.rated, 'rated session')})."
                    ),
                    numbers=[
                        f"{e.name}: {e.change_words}, {e.meaningful} of {e.rated} meaningful"
                        for e in rated
                    ],
                )
            )

    for counts, heading, intro in (
        (locations, "Where it hurt", "The places you marked most often"),
        (triggers, "What set it off", "The triggers you noted most often"),
        (reliefs, "What helped", "The things you said helped most often"),
    ):
        if counts:
            result.append(
                Finding(
                    heading=heading,
                    text=f"{intro}: {_count_list(counts)}.",
                    numbers=[
                        f"{c.label}: {c.count} of {entries} entries ({c.percent}%)" for c in counts
                    ],
                )
            )
    return result


def pain_summary(daily: Mapping[date, int], *, latest: int | None, average: float | None) -> dict:
    """Pain now (latest entry), worst day and average, for the doctor summary."""
    worst_day = max(daily, key=lambda d: (daily[d], d)) if daily else None
    return {
        "now": latest,
        "worst": daily[worst_day] if worst_day else None,
        "worst_day": worst_day,
        "average": round(average, 1) if average is not None else None,
    }
