"""The red-flag checker: which warning signs mean "see a doctor", and how soon.

Pure functions only (no request, no ORM, nothing from Django), so the rules can be
tested as a table of cases and reused by the pain log, the quick check and the session
player's safety check. The questions themselves are declared in ``safety.signs``.

The document's own four signs (numbness, tingling or weakness in the legs; pain longer
than two weeks; loss of bladder or bowel control; severe pain after a fall or accident)
are all covered; numbness around the genitals or buttocks and fever or weight loss come
from NHS guidance and are marked ``source="nhs"``. Urgency follows the NHS care cards.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from safety.dates import long_day
from safety.pain import SEVERE_PAIN
from safety.signs import Signs

# Pain "longer than two weeks": an entry more than this many days after onset.
LONG_PAIN_DAYS = 14


class Urgency(StrEnum):
    IMMEDIATE = "immediate"
    URGENT = "urgent"
    NON_URGENT = "non_urgent"

    @property
    def rank(self) -> int:
        """0 is the most urgent; sort by this."""
        return _URGENCY_RANK[self]

    @property
    def label(self) -> str:
        """Short name, e.g. for a badge: "Immediate"."""
        return _URGENCY_LABEL[self]

    @property
    def heading(self) -> str:
        """What the urgency asks of the person, in plain words."""
        return _URGENCY_HEADING[self]


_URGENCY_RANK = {Urgency.IMMEDIATE: 0, Urgency.URGENT: 1, Urgency.NON_URGENT: 2}
_URGENCY_LABEL = {
    Urgency.IMMEDIATE: "Immediate",
    Urgency.URGENT: "Urgent",
    Urgency.NON_URGENT: "Non-urgent",
}
_URGENCY_HEADING = {
    Urgency.IMMEDIATE: "Get emergency care now",
    Urgency.URGENT: "See a doctor today",
    Urgency.NON_URGENT: "Book an appointment with a doctor",
}

ACTIONS = {
    Urgency.IMMEDIATE: (
        "Get emergency care now: call 999 (or your local emergency number, such as 112 "
        "or 911) or go to the nearest emergency department."
    ),
    Urgency.URGENT: (
        "See a doctor today: ask your doctor's surgery for an urgent appointment, or, if "
        "it is closed, call your urgent advice line (NHS 111 in the UK)."
    ),
    Urgency.NON_URGENT: (
        "Book an appointment with a doctor. It is not an emergency, but pain that lasts "
        "longer than two weeks should be checked."
    ),
}


@dataclass(frozen=True)
class Flag:
    code: str
    urgency: Urgency
    title: str
    seen: str
    first_reported: date
    action: str
    source: str  # "document" or "nhs"
    acknowledged: bool = False
    last_reported: date | None = None
    times_reported: int = 1

    @property
    def is_immediate(self) -> bool:
        return self.urgency == Urgency.IMMEDIATE


@dataclass(frozen=True)
class Rule:
    """One red flag. ``raised_by`` decides it from one entry's answers; a rule without
    it is decided over a whole episode (pain lasting longer than two weeks)."""

    code: str
    urgency: Urgency
    title: str
    what: str  # completes "You reported ..."
    source: str  # "document" or "nhs"
    source_line: str  # the line of the source guide or NHS guidance it restates
    signs: tuple[str, ...] = ()  # the sign answers it reads (safety.signs)
    raised_by: Callable[[Signs], bool] | None = None
    covers: tuple[str, ...] = ()  # less urgent flags it makes redundant

    @property
    def action(self) -> str:
        return ACTIONS[self.urgency]


def _severe_after_fall(s: Signs) -> bool:
    return s["after_fall"] is True and s.pain is not None and s.pain >= SEVERE_PAIN


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            code="bladder_bowel",
            urgency=Urgency.IMMEDIATE,
            title="Loss of bladder or bowel control, or difficulty peeing",
            what="loss of bladder or bowel control, or difficulty peeing",
            source="document",
            source_line="Loss of bladder or bowel control",
            signs=("bladder_bowel",),
            raised_by=lambda s: s["bladder_bowel"] is True,
        ),
        Rule(
            code="saddle_numbness",
            urgency=Urgency.IMMEDIATE,
            title="Numbness or tingling around the genitals or buttocks",
            what="numbness or tingling around the genitals or buttocks",
            source="nhs",
            source_line="Numbness or tingling around your genitals or buttocks",
            signs=("saddle_numbness",),
            raised_by=lambda s: s["saddle_numbness"] is True,
        ),
        Rule(
            code="legs_both",
            urgency=Urgency.IMMEDIATE,
            title="Numbness, tingling or weakness in both legs",
            what="numbness, tingling or weakness in both legs",
            source="document",
            source_line="Numbness, tingling, or weakness in legs",
            signs=("leg_symptoms",),
            raised_by=lambda s: s["leg_symptoms"] == "both",
            covers=("leg_one",),
        ),
        Rule(
            code="leg_one",
            urgency=Urgency.URGENT,
            title="Numbness, tingling or weakness in one leg",
            what="numbness, tingling or weakness in one leg",
            source="document",
            source_line="Numbness, tingling, or weakness in legs",
            signs=("leg_symptoms",),
            raised_by=lambda s: s["leg_symptoms"] == "one",
        ),
        Rule(
            code="fall_severe_pain",
            urgency=Urgency.URGENT,
            title="Severe pain after a fall or accident",
            what="severe pain (7 or more out of 10) after a fall or accident",
            source="document",
            source_line="Severe pain after a fall or accident",
            signs=("after_fall",),
            raised_by=_severe_after_fall,
        ),
        Rule(
            code="fever_weight_loss",
            urgency=Urgency.URGENT,
            title="A high temperature or weight loss without trying",
            what="a high temperature (fever) or weight loss without trying",
            source="nhs",
            source_line="Back pain with a high temperature or weight loss without trying",
            signs=("fever_or_weight_loss",),
            raised_by=lambda s: s["fever_or_weight_loss"] is True,
        ),
        Rule(
            code="pain_over_two_weeks",
            urgency=Urgency.NON_URGENT,
            title="Pain lasting longer than two weeks",
            what="pain more than two weeks after it started",
            source="document",
            source_line="Pain that persists longer than two weeks",
        ),
    )
}
CODES: tuple[str, ...] = tuple(RULES)
# The rules one entry's answers decide on their own, in the order of RULES.
ENTRY_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES.values() if rule.raised_by)
# Fixed order inside one urgency: the order of RULES.
_CODE_ORDER = {code: index for index, code in enumerate(CODES)}


def rules_in_order() -> list[Rule]:
    """Every rule, most urgent first (the guide's and the quick check's order)."""
    return sorted(RULES.values(), key=lambda r: (r.urgency.rank, _CODE_ORDER[r.code]))


def sign_codes(signs: Signs) -> list[str]:
    """The codes one entry's answers raise on their own (every rule but long pain)."""
    return [rule.code for rule in ENTRY_RULES if rule.raised_by(signs)]


def is_long_pain(*, onset: date, on: date, pain: int | None) -> bool:
    """Pain (1 or more) on a day more than two weeks after onset: 14 days no, 15 yes."""
    return pain is not None and pain >= 1 and (on - onset).days > LONG_PAIN_DAYS


def _seen_text(rule: Rule, first: date, last: date, times: int) -> str:
    text = f"You reported {rule.what} on {long_day(first)}"
    if times > 1:
        text += f", and {times - 1} more time{'s' if times > 2 else ''}"
        if last != first:
            text += f", most recently on {long_day(last)}"
    return text + "."


def _long_pain_seen(onset: date, first: date, pain: int) -> str:
    days = (first - onset).days
    return (
        f"Your pain started on {long_day(onset)}, and on {long_day(first)} "
        f"({days} days later) you still had pain of {pain} out of 10."
    )


def _make_flag(rule: Rule, *, seen: str, first: date, last: date, times: int) -> Flag:
    return Flag(
        code=rule.code,
        urgency=rule.urgency,
        title=rule.title,
        seen=seen,
        first_reported=first,
        action=rule.action,
        source=rule.source,
        last_reported=last,
        times_reported=times,
    )


def sort_flags(flags: Iterable[Flag]) -> list[Flag]:
    """Most urgent first; then the guide's order of signs."""
    return sorted(flags, key=lambda f: (f.urgency.rank, _CODE_ORDER.get(f.code, 99)))


def check_episode(
    *,
    onset: date,
    resolved_on: date | None,
    entries: Iterable[Signs],
    acknowledged: Collection[str] = (),
) -> list[Flag]:
    """Every flag an open episode raises, most urgent first.

    A sign reported in any entry stays listed until the episode is resolved; codes in
    ``acknowledged`` ("I have seen a doctor about this") come back with acknowledged=True.
    A resolved episode raises nothing.
    """
    if resolved_on is not None:
        return []
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    times: dict[str, int] = {}
    long_pain: tuple[date, int] | None = None
    for signs in entries:
        for code in sign_codes(signs):
            if code not in first or signs.on < first[code]:
                first[code] = signs.on
            if code not in last or signs.on > last[code]:
                last[code] = signs.on
            times[code] = times.get(code, 0) + 1
        if is_long_pain(onset=onset, on=signs.on, pain=signs.pain) and (
            long_pain is None or signs.on < long_pain[0]
        ):
            long_pain = (signs.on, signs.pain or 0)

    # A more urgent flag covers a milder one of the same sign (both legs covers one leg).
    for code in list(first):
        for covered in RULES[code].covers:
            first.pop(covered, None)

    flags = [
        _make_flag(
            RULES[code],
            seen=_seen_text(RULES[code], first[code], last[code], times[code]),
            first=first[code],
            last=last[code],
            times=times[code],
        )
        for code in first
    ]
    if long_pain is not None:
        day, pain = long_pain
        flags.append(
            _make_flag(
                RULES["pain_over_two_weeks"],
                seen=_long_pain_seen(onset, day, pain),
                first=day,
                last=day,
                times=1,
            )
        )
    acknowledged = set(acknowledged)
    flags = [replace(f, acknowledged=True) if f.code in acknowledged else f for f in flags]
    return sort_flags(flags)


def check_answers(signs: Signs, *, days_of_pain: int | None = None) -> list[Flag]:
    """Flags for one set of answers that is not stored (quick check, safety check).

    ``days_of_pain`` is how many days the person has had this pain; more than 14 raises
    "pain lasting longer than two weeks" unless they say they have no pain now (0).
    """
    flags = check_episode(onset=signs.on, resolved_on=None, entries=[signs])
    if days_of_pain is not None and days_of_pain > LONG_PAIN_DAYS and signs.pain != 0:
        flags.append(
            _make_flag(
                RULES["pain_over_two_weeks"],
                seen=f"You said you have had this pain for {days_of_pain} days.",
                first=signs.on,
                last=signs.on,
                times=1,
            )
        )
    return sort_flags(flags)


def split_flags(flags: Iterable[Flag]) -> tuple[list[Flag], list[Flag]]:
    """(still to act on, already seen by a doctor), each most urgent first."""
    active: list[Flag] = []
    seen: list[Flag] = []
    for flag in flags:
        (seen if flag.acknowledged else active).append(flag)
    return active, seen


def covering_codes(acknowledged: Collection[str]) -> set[str]:
    """The acknowledged codes plus the milder ones they cover (seen both legs: one leg too)."""
    codes = set(acknowledged)
    for code in acknowledged:
        if code in RULES:
            codes.update(RULES[code].covers)
    return codes
