"""The red-flag rules as data: which warning signs mean "see a doctor", and how soon.

Three care levels (``Urgency``). Immediate (emergency care now) and urgent (see a
doctor today) flags are raised by one entry's answers (``Rule.when``); two of the
document's own signs and the rest follow NHS guidance on back pain (``source``).
Non-urgent flags (book an appointment) are decided over a whole episode: pain lasting
longer than ``LONG_PAIN_DAYS``, and pain getting worse over ``WORSENING_ENTRIES``.
The checker that applies them is ``safety.red_flags``; the questions are declared in
``safety.signs``. Pure data and pure functions: nothing from Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from safety.pain import SEVERE_PAIN
from safety.signs import Answer, Signs

# Pain "longer than two weeks": an entry more than this many days after onset.
LONG_PAIN_DAYS = 14
# Pain getting worse: this many of the latest entries, each MEANINGFUL_CHANGE above the first.
WORSENING_ENTRIES = 3


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

    @property
    def acknowledgement(self) -> str:
        """What the person says once they have acted on a flag of this urgency."""
        if self == Urgency.NON_URGENT:
            return "I have booked an appointment"
        return "I have been checked by a doctor or at an emergency department about this"


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


@dataclass(frozen=True)
class Condition:
    """One entry's answer to ``sign`` is one of ``answers``."""

    sign: str
    answers: tuple[Answer, ...] = (True,)

    def holds(self, signs: Signs) -> bool:
        return signs[self.sign] in self.answers


@dataclass(frozen=True)
class Rule:
    """One red flag. With ``when``, one entry raises it when every condition holds (and
    pain is at least ``min_pain``); without, it is decided over a whole episode."""

    code: str
    urgency: Urgency
    title: str
    what: str  # completes "You reported ..."
    source: str  # "document" (the source guide) or "nhs" (NHS guidance)
    source_line: str  # the line of the source it restates
    when: tuple[Condition, ...] = ()
    min_pain: int | None = None
    covers: tuple[str, ...] = ()  # less urgent flags it makes redundant

    @property
    def from_one_entry(self) -> bool:
        return bool(self.when)

    def raised_by(self, signs: Signs) -> bool:
        if not self.when or not all(c.holds(signs) for c in self.when):
            return False
        return self.min_pain is None or (signs.pain is not None and signs.pain >= self.min_pain)


def _yes(sign: str) -> tuple[Condition, ...]:
    return (Condition(sign),)


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        # --- Immediate: get emergency care now -------------------------------------
        Rule(
            code="bladder_bowel",
            urgency=Urgency.IMMEDIATE,
            title="Loss of bladder or bowel control, or a new problem peeing",
            what="loss of bladder or bowel control, leaking, or a new problem peeing",
            source="document",
            source_line="Loss of bladder or bowel control",
            when=_yes("bladder_bowel"),
        ),
        Rule(
            code="saddle_numbness",
            urgency=Urgency.IMMEDIATE,
            title="Numbness or altered feeling around the genitals, bottom or back passage",
            what="numbness or a change in feeling around the genitals, bottom or back passage",
            source="nhs",
            source_line="Numbness around your genitals, buttocks or back passage",
            when=_yes("saddle_numbness"),
        ),
        Rule(
            code="legs_both",
            urgency=Urgency.IMMEDIATE,
            title="Numbness, tingling, weakness or pain in both legs",
            what="numbness, tingling, weakness or pain in both legs",
            source="document",
            source_line="Numbness, tingling, or weakness in legs",
            when=(Condition("leg_symptoms", ("both",)),),
            covers=("leg_one",),
        ),
        Rule(
            code="serious_accident",
            urgency=Urgency.IMMEDIATE,
            title="Back pain that started after a serious accident",
            what="back pain that started after a serious accident",
            source="nhs",
            source_line="Back pain after a serious accident, such as a car accident",
            when=_yes("serious_accident"),
        ),
        Rule(
            code="chest_pain",
            urgency=Urgency.IMMEDIATE,
            title="Chest pain as well as back pain",
            what="chest pain as well as back pain",
            source="nhs",
            source_line="Chest pain together with back pain",
            when=_yes("chest_pain"),
        ),
        # --- Urgent: see a doctor today ---------------------------------------------
        Rule(
            code="leg_one",
            urgency=Urgency.URGENT,
            title="Numbness, tingling or weakness in one leg",
            what="numbness, tingling or weakness in one leg",
            source="document",
            source_line="Numbness, tingling, or weakness in legs",
            when=(Condition("leg_symptoms", ("one",)),),
        ),
        Rule(
            code="fall_severe_pain",
            urgency=Urgency.URGENT,
            title="Severe pain after a fall or accident",
            what="severe pain (7 or more out of 10) after a fall or accident",
            source="document",
            source_line="Severe pain after a fall or accident",
            # Also raised by later severe pain in the episode: see check_episode().
            when=(Condition("after_fall"),),
            min_pain=SEVERE_PAIN,
        ),
        Rule(
            code="fever",
            urgency=Urgency.URGENT,
            title="A high temperature, or feeling hot and shivery",
            what="a high temperature, or feeling hot and shivery",
            source="nhs",
            source_line="Back pain with a very high temperature or feeling hot and shivery",
            when=_yes("fever"),
        ),
        Rule(
            code="weight_loss",
            urgency=Urgency.URGENT,
            title="Weight loss without trying",
            what="losing weight without trying",
            source="nhs",
            source_line="Back pain with weight loss you cannot explain",
            when=_yes("weight_loss"),
        ),
        Rule(
            code="lump_or_shape",
            urgency=Urgency.URGENT,
            title="A lump or swelling in the back, or a change in its shape",
            what="a lump or swelling in your back, or a change in its shape",
            source="nhs",
            source_line="A lump or swelling in your back, or your back changing shape",
            when=_yes("lump_or_shape"),
        ),
        Rule(
            code="rest_night",
            urgency=Urgency.URGENT,
            title="Pain no better with rest, or worse at night",
            what="pain that does not get better with rest, or is worse at night",
            source="nhs",
            source_line="Pain that does not improve after resting or is worse at night",
            when=_yes("rest_night"),
        ),
        Rule(
            code="cough_sneeze",
            urgency=Urgency.URGENT,
            title="Pain worse when coughing, sneezing or going to the toilet",
            what="pain that is worse when you cough, sneeze or go to the toilet",
            source="nhs",
            source_line="Pain that is worse when you sneeze, cough or poo",
            when=_yes("cough_sneeze"),
        ),
        Rule(
            code="upper_back",
            urgency=Urgency.URGENT,
            title="Pain high up in the back, between the shoulder blades",
            what="pain high up in your back, between your shoulder blades",
            source="nhs",
            source_line="Pain high up in your back, between your shoulder blades",
            when=_yes("upper_back"),
        ),
        Rule(
            code="fever_weight_loss",
            urgency=Urgency.URGENT,
            title="A high temperature or weight loss without trying",
            what="a high temperature (fever) or weight loss without trying",
            source="nhs",
            source_line="Back pain with a high temperature or weight loss you cannot explain",
            when=_yes("fever_or_weight_loss"),
        ),
        # --- Non-urgent: book an appointment ----------------------------------------
        Rule(
            code="pain_over_two_weeks",
            urgency=Urgency.NON_URGENT,
            title="Pain lasting longer than two weeks",
            what="pain more than two weeks after it started",
            source="document",
            source_line="Pain that persists longer than two weeks",
        ),
        Rule(
            code="pain_getting_worse",
            urgency=Urgency.NON_URGENT,
            title="Pain getting worse",
            what="pain getting worse",
            source="nhs",
            source_line="Back pain that is getting worse",
        ),
    )
}
CODES: tuple[str, ...] = tuple(RULES)
# The rules one entry's answers decide on their own, in the order of RULES.
ENTRY_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES.values() if rule.from_one_entry)
# Rules the guide and the forms no longer ask about; old answers still raise them.
RETIRED: frozenset[str] = frozenset({"fever_weight_loss"})
# Fixed order inside one urgency: the order of RULES.
CODE_ORDER = {code: index for index, code in enumerate(CODES)}
# A fall or a serious accident reported in an episode carries forward to later entries.
INJURY_SIGNS = ("after_fall", "serious_accident")


def rules_in_order(*, retired: bool = False) -> list[Rule]:
    """Every rule still asked about (``retired`` adds the others), most urgent first."""
    rules = [r for r in RULES.values() if retired or r.code not in RETIRED]
    return sorted(rules, key=lambda r: (r.urgency.rank, CODE_ORDER[r.code]))
