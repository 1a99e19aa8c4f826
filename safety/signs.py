"""The warning-sign questions, declared once.

Each sign is one question a pain entry, the quick check and the session player's safety
check ask, with its answers and the plain words the log uses when an answer reports the
sign. Everything else is derived from ``SIGNS``: the pain entry's model fields
(``safety.models.WarningAnswers``), the warning-questions form (``safety.forms``), the
checker's input (``Signs``), the log's "Warning signs reported", the export columns and
the guide page's list. The rules that turn answers into flags are in
``safety.rules``, applied by ``safety.red_flags``.

Pure Python (no Django), like the checker that reads it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

Answer = bool | str | None


@dataclass(frozen=True)
class Choice:
    """One answer of a multiple-choice sign."""

    value: str
    label: str  # as offered in the form
    reported: str = ""  # the log's words when this answer is given; "" reports nothing


@dataclass(frozen=True)
class Group:
    """Questions shown together, so the form stays quick to read. ``summary`` names
    the group's signs in a few words, for the one-line list above the questions."""

    code: str
    title: str
    summary: str


GROUPS: tuple[Group, ...] = (
    Group("legs", "Your legs", "numbness, tingling or weakness in your legs"),
    Group(
        "below",
        "Bladder, bowels, genitals and bottom",
        "a change in bladder or bowel control, or numbness around your genitals or bottom",
    ),
    Group("start", "How the pain started", "pain that started after a fall or an accident"),
    Group(
        "body",
        "Elsewhere in your body",
        "chest pain, a high temperature, weight loss, or a lump in your back",
    ),
    Group(
        "pain",
        "How the pain behaves",
        "pain that is worse at night, at rest, when coughing, or between the shoulder blades",
    ),
)


@dataclass(frozen=True)
class Sign:
    """One warning question. ``code`` is also the model field, form field and export
    column name. Without ``choices`` it is a yes/no question: ``question`` is what a
    person ticks when it applies, and ``reported`` what a "yes" reports in the log.
    A sign that is no longer ``asked`` keeps its stored answers and their meaning."""

    code: str
    question: str
    group: str
    reported: str = ""
    choices: tuple[Choice, ...] = ()
    asked: bool = True

    @property
    def is_yes_no(self) -> bool:
        return not self.choices

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    @property
    def no(self) -> Answer:
        """The answer meaning "this does not apply" (False, or the choice that reports
        nothing)."""
        if self.is_yes_no:
            return False
        return next(choice.value for choice in self.choices if not choice.reported)

    def reported_text(self, answer: Answer) -> str:
        """What this answer reports, in plain words ("" when it reports nothing)."""
        if self.is_yes_no:
            return self.reported if answer is True else ""
        for choice in self.choices:
            if choice.value == answer:
                return choice.reported
        return ""

    def is_valid(self, answer: Any) -> bool:
        """None (not answered) or one of the sign's answers."""
        if answer is None:
            return True
        if self.is_yes_no:
            return isinstance(answer, bool)
        return answer in self.values


SIGNS: tuple[Sign, ...] = (
    Sign(
        code="leg_symptoms",
        question="Numbness, tingling or weakness in your legs",
        group="legs",
        choices=(
            Choice("none", "No"),
            Choice(
                "one",
                "Numbness, tingling or weakness in one leg",
                "Numbness, tingling or weakness in one leg",
            ),
            Choice(
                "both",
                "Numbness, tingling, weakness or pain in both legs",
                "Numbness, tingling, weakness or pain in both legs",
            ),
        ),
    ),
    Sign(
        code="saddle_numbness",
        question=(
            "Numbness or a change in feeling around your genitals, bottom or back passage "
            "(for example when you wipe, or during sex)"
        ),
        group="below",
        reported="Numbness or altered feeling around the genitals, bottom or back passage",
    ),
    Sign(
        code="bladder_bowel",
        question=(
            "Loss of bladder or bowel control, leaking, new trouble starting or stopping "
            "peeing, or not being able to tell if your bladder is full"
        ),
        group="below",
        reported="Loss of bladder or bowel control, or a new problem peeing",
    ),
    Sign(
        code="serious_accident",
        question=(
            "The pain started after a serious accident, such as a car accident or a fall "
            "from a height"
        ),
        group="start",
        reported="Started after a serious accident",
    ),
    Sign(
        code="after_fall",
        question="The pain started after a fall or a knock",
        group="start",
        reported="Started after a fall or knock",
    ),
    Sign(
        code="chest_pain",
        question="Chest pain as well as your back pain",
        group="body",
        reported="Chest pain with the back pain",
    ),
    Sign(
        code="fever",
        question="A high temperature, or feeling hot and shivery",
        group="body",
        reported="A high temperature, or feeling hot and shivery",
    ),
    Sign(
        code="weight_loss",
        question="Losing weight without trying",
        group="body",
        reported="Weight loss without trying",
    ),
    Sign(
        code="lump_or_shape",
        question="A lump or swelling in your back, or a change in the shape of your back",
        group="body",
        reported="A lump or swelling in the back, or a change in its shape",
    ),
    Sign(
        code="rest_night",
        question="Pain that does not get better with rest, or is worse at night",
        group="pain",
        reported="Pain no better with rest, or worse at night",
    ),
    Sign(
        code="cough_sneeze",
        question="Pain that is worse when you cough, sneeze or go to the toilet",
        group="pain",
        reported="Pain worse when coughing, sneezing or going to the toilet",
    ),
    Sign(
        code="upper_back",
        question="Pain high up in your back, between your shoulder blades",
        group="pain",
        reported="Pain high up, between the shoulder blades",
    ),
    # Asked until fever and weight loss became two questions; old answers keep meaning.
    Sign(
        code="fever_or_weight_loss",
        question="A high temperature (fever), or weight loss without trying",
        group="body",
        reported="High temperature or weight loss without trying (asked as one question)",
        asked=False,
    ),
)
SIGN_CODES: tuple[str, ...] = tuple(sign.code for sign in SIGNS)
SIGNS_BY_CODE: dict[str, Sign] = {sign.code: sign for sign in SIGNS}
ASKED: tuple[Sign, ...] = tuple(sign for sign in SIGNS if sign.asked)


def _value(source: Any, code: str) -> Answer:
    if isinstance(source, Mapping):
        return source.get(code)
    return getattr(source, code, None)


class Signs:
    """One entry's answers, the checker's input. A sign left out, or None, means "not
    answered", which is not the same as "no".

    ``Signs(on=day, pain=7, bladder_bowel=True)``; ``Signs.of(entry, on=..., pain=...)``
    reads every sign from a model instance or a mapping.
    """

    __slots__ = ("answers", "at", "key", "on", "pain", "saved_at")

    def __init__(
        self,
        on: date,
        pain: int | None = None,
        *,
        at: datetime | None = None,
        saved_at: datetime | None = None,
        key: Any = None,
        **answers: Answer,
    ) -> None:
        unknown = set(answers) - set(SIGN_CODES)
        if unknown:
            raise TypeError(f"unknown warning sign(s): {', '.join(sorted(unknown))}")
        self.on = on
        self.pain = pain
        self.at = at  # when the pain was recorded: orders entries within a day
        self.saved_at = saved_at  # when the person last saved it: a report's moment
        self.key = key  # which stored entry these answers are (its id), if any
        self.answers: dict[str, Answer] = {code: answers.get(code) for code in SIGN_CODES}

    @classmethod
    def of(
        cls,
        source: Any,
        *,
        on: date,
        pain: int | None,
        at: datetime | None = None,
        saved_at: datetime | None = None,
        key: Any = None,
    ) -> Signs:
        """The answers held by ``source`` (an object with the sign fields, or a mapping)."""
        answers = {code: _value(source, code) for code in SIGN_CODES}
        return cls(on, pain, at=at, saved_at=saved_at, key=key, **answers)

    @property
    def order(self) -> tuple:
        """Oldest first: by date, then time recorded, then id."""
        return (self.on, self.at or datetime.min.replace(tzinfo=UTC), str(self.key or ""))

    def __getitem__(self, code: str) -> Answer:
        return self.answers[code]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signs):
            return NotImplemented
        mine = (self.on, self.pain, self.at, self.saved_at, self.key, self.answers)
        return mine == (other.on, other.pain, other.at, other.saved_at, other.key, other.answers)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        given = ", ".join(f"{k}={v!r}" for k, v in self.answers.items() if v is not None)
        return f"Signs(on={self.on!r}, pain={self.pain!r}{', ' if given else ''}{given})"


def reported_signs(source: Any) -> Iterator[str]:
    """The signs an entry's answers report, in plain words, in the order of SIGNS."""
    for sign in SIGNS:
        text = sign.reported_text(_value(source, sign.code))
        if text:
            yield text


def reports_any(source: Any) -> bool:
    """Whether these answers (an entry, or a row of values) report any warning sign."""
    return any(True for _ in reported_signs(source))
