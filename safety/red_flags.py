"""The red-flag checker: applies the rules of ``safety.rules`` to one set of answers
(``check_answers``) or to a whole episode (``check_episode``).

Pure functions only (no request, no ORM, nothing from Django), so the rules can be
tested as a table of cases and reused by the pain log, the quick check and the session
player's safety check. The rules and their care levels are data in ``safety.rules``;
the questions are declared in ``safety.signs``.

Over an episode: a fall or serious accident reported in it carries forward, so later
severe pain raises the urgent flag without the question being answered again. A
person's acknowledgement ("I have been checked by a doctor about this", "I have booked
an appointment") covers the reports made up to that moment; a sign reported again
afterwards is a new warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from safety.dates import long_day
from safety.pain import MEANINGFUL_CHANGE, SEVERE_PAIN
from safety.rules import (
    CODE_ORDER,
    ENTRY_RULES,
    INJURY_SIGNS,
    LONG_PAIN_DAYS,
    RULES,
    WORSENING_ENTRIES,
    Rule,
    Urgency,
)
from safety.signs import Signs


@dataclass(frozen=True)
class Acknowledgement:
    """The person's "I have been checked" (or "booked") for a flag, at a moment."""

    code: str
    at: datetime


@dataclass(frozen=True)
class Flag:
    code: str
    urgency: Urgency
    title: str
    seen: str
    first_reported: date
    source: str  # "document" or "nhs"
    last_reported: date | None = None
    times_reported: int = 1
    acknowledged: bool = False
    acknowledged_at: datetime | None = None  # the latest acknowledgement, if any
    reported_again: bool = False  # reported after an acknowledgement that no longer covers it
    keys: frozenset = field(default_factory=frozenset)  # the entries that report it

    @property
    def is_immediate(self) -> bool:
        return self.urgency == Urgency.IMMEDIATE

    @property
    def is_active(self) -> bool:
        return not self.acknowledged

    @property
    def acknowledgement(self) -> str:
        return self.urgency.acknowledgement

    @property
    def again_text(self) -> str:
        """Why an acknowledged flag is back."""
        if self.urgency == Urgency.NON_URGENT:
            return "You reported this again after booking an appointment."
        return "You reported this again after seeing a doctor."


def sign_codes(signs: Signs) -> list[str]:
    """The codes one entry's answers raise on their own."""
    return [rule.code for rule in ENTRY_RULES if rule.raised_by(signs)]


def is_long_pain(*, onset: date, on: date, pain: int | None) -> bool:
    """Pain (1 or more) on a day more than two weeks after onset: 14 days no, 15 yes."""
    return pain is not None and pain >= 1 and (on - onset).days > LONG_PAIN_DAYS


def _seen_text(rule: Rule, reports: list[Signs]) -> str:
    first, last, times = reports[0].on, reports[-1].on, len(reports)
    text = f"You reported {rule.what} on {long_day(first)}"
    if times > 1:
        text += f", and {times - 1} more time{'s' if times > 2 else ''}"
        if last != first:
            text += f", most recently on {long_day(last)}"
    return text + "."


def _make_flag(rule: Rule, reports: list[Signs], seen: str) -> Flag:
    return Flag(
        code=rule.code,
        urgency=rule.urgency,
        title=rule.title,
        seen=seen,
        first_reported=reports[0].on,
        last_reported=reports[-1].on,
        times_reported=len(reports),
        source=rule.source,
        keys=frozenset(s.key for s in reports if s.key is not None),
    )


def sort_flags(flags: Iterable[Flag]) -> list[Flag]:
    """Most urgent first; then the guide's order of signs."""
    return sorted(flags, key=lambda f: (f.urgency.rank, CODE_ORDER.get(f.code, 99)))


def _entry_reports(entries: list[Signs]) -> dict[str, list[Signs]]:
    """For each entry rule, the entries that raise it, oldest first; with severe pain
    after a fall or serious accident reported earlier in the episode carried forward."""
    reports: dict[str, list[Signs]] = {}
    injury_from: date | None = None
    for signs in entries:
        if injury_from is None and any(signs[s] is True for s in INJURY_SIGNS):
            injury_from = signs.on
        codes = sign_codes(signs)
        carried = (
            injury_from is not None
            and signs.pain is not None
            and signs.pain >= SEVERE_PAIN
            and "fall_severe_pain" not in codes
        )
        for code in codes + (["fall_severe_pain"] if carried else []):
            reports.setdefault(code, []).append(signs)
    # A more urgent flag covers a milder one of the same sign (both legs covers one leg).
    for code in list(reports):
        for covered in RULES[code].covers:
            reports.pop(covered, None)
    return reports


def _episode_flags(onset: date, entries: list[Signs]) -> list[Flag]:
    """The non-urgent flags decided over the whole episode."""
    flags = []
    long_pain = next((s for s in entries if is_long_pain(onset=onset, on=s.on, pain=s.pain)), None)
    if long_pain is not None:
        days = (long_pain.on - onset).days
        seen = (
            f"Your pain started on {long_day(onset)}, and on {long_day(long_pain.on)} "
            f"({days} days later) you still had pain of {long_pain.pain} out of 10."
        )
        flags.append(_make_flag(RULES["pain_over_two_weeks"], [long_pain], seen))
    scored = [s for s in entries if s.pain is not None]
    if len(scored) > WORSENING_ENTRIES:
        first, latest = scored[0], scored[-WORSENING_ENTRIES:]
        if all(s.pain >= first.pain + MEANINGFUL_CHANGE for s in latest):
            scores = ", ".join(str(s.pain) for s in latest[:-1]) + f" and {latest[-1].pain}"
            seen = (
                f"Your first entry of this episode had pain of {first.pain} out of 10; your "
                f"last {WORSENING_ENTRIES} entries had {scores}, each {MEANINGFUL_CHANGE} "
                "points or more higher."
            )
            flags.append(_make_flag(RULES["pain_getting_worse"], latest, seen))
    return flags


def _covering(code: str) -> set[str]:
    """The code and the more urgent codes that cover it (both legs covers one leg)."""
    return {code} | {r.code for r in RULES.values() if code in r.covers}


def _apply_acknowledgements(
    flags: list[Flag], reports: dict[str, list[Signs]], acks: list[Acknowledgement]
) -> list[Flag]:
    """Mark each flag acknowledged when an acknowledgement covers its reports.

    An acknowledgement of a reported sign covers the reports saved up to its moment; a
    later report makes the flag active again. An acknowledgement of an episode's
    non-urgent flag covers it for the rest of the episode.
    """
    result = []
    for flag in flags:
        mine = [a for a in acks if a.code in _covering(flag.code)]
        if not mine:
            result.append(flag)
            continue
        latest = max(a.at for a in mine)
        covered = True
        if flag.code in reports:  # reported by entries: a later report is a new warning
            saved = [s.saved_at for s in reports[flag.code] if s.saved_at is not None]
            covered = not saved or max(saved) <= latest
        result.append(
            replace(
                flag,
                acknowledged=covered,
                acknowledged_at=latest,
                reported_again=not covered,
            )
        )
    return result


def check_episode(
    *,
    onset: date,
    resolved_on: date | None,
    entries: Iterable[Signs],
    acknowledged: Iterable[Acknowledgement] = (),
    as_if_open: bool = False,
) -> list[Flag]:
    """Every flag an episode raises, most urgent first.

    A sign reported in any entry stays listed until the episode is resolved, marked
    acknowledged where an acknowledgement covers it. A resolved episode raises nothing,
    unless ``as_if_open`` (its history, for the episode page and the doctor summary).
    """
    if resolved_on is not None and not as_if_open:
        return []
    ordered = sorted(entries, key=lambda s: s.order)
    reports = _entry_reports(ordered)
    flags = [
        _make_flag(RULES[code], found, _seen_text(RULES[code], found))
        for code, found in reports.items()
    ]
    flags += _episode_flags(onset, ordered)
    if not flags:
        return []  # nothing for an acknowledgement to cover (``acknowledged`` stays unread)
    return sort_flags(_apply_acknowledgements(flags, reports, list(acknowledged)))


def check_answers(signs: Signs, *, days_of_pain: int | None = None) -> list[Flag]:
    """Flags for one set of answers that is not stored (quick check, safety check).

    ``days_of_pain`` is how many days the person has had this pain; more than 14 raises
    "pain lasting longer than two weeks" unless they say they have no pain now (0).
    """
    reports = _entry_reports([signs])
    flags = [
        _make_flag(RULES[code], found, _seen_text(RULES[code], found))
        for code, found in reports.items()
    ]
    if days_of_pain is not None and days_of_pain > LONG_PAIN_DAYS and signs.pain != 0:
        seen = f"You said you have had this pain for {days_of_pain} days."
        flags.append(_make_flag(RULES["pain_over_two_weeks"], [signs], seen))
    return sort_flags(flags)


def split_flags(flags: Iterable[Flag]) -> tuple[list[Flag], list[Flag]]:
    """(still to act on, already acknowledged), each most urgent first."""
    active: list[Flag] = []
    seen: list[Flag] = []
    for flag in flags:
        (seen if flag.acknowledged else active).append(flag)
    return active, seen
