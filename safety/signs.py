"""The warning-sign questions, declared once.

Each sign is one question a pain entry, the quick check and the session player's safety
check ask, with its answers and the plain words the log uses when an answer reports the
sign. Everything else is derived from ``SIGNS``: the pain entry's model fields
(``safety.models.WarningAnswers``), the warning-questions form (``safety.forms``), the
checker's input (``Signs``), the log's "Warning signs reported", the export columns and
the guide page's list. The rules that turn answers into flags are in
``safety.red_flags``.

Pure Python (no Django), like the checker that reads it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

Answer = bool | str | None


@dataclass(frozen=True)
class Choice:
    """One answer of a multiple-choice sign."""

    value: str
    label: str  # as offered in the form
    reported: str = ""  # the log's words when this answer is given; "" reports nothing


@dataclass(frozen=True)
class Sign:
    """One warning question. ``code`` is also the model field, form field and export
    column name. Without ``choices`` it is a yes/no question and ``reported`` is what
    a "yes" reports."""

    code: str
    question: str
    reported: str = ""
    choices: tuple[Choice, ...] = ()
    help_text: str = ""

    @property
    def is_yes_no(self) -> bool:
        return not self.choices

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

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
        question="Do you have numbness, tingling or weakness in a leg?",
        choices=(
            Choice("none", "No"),
            Choice("one", "Yes, in one leg", "Numbness, tingling or weakness in one leg"),
            Choice("both", "Yes, in both legs", "Numbness, tingling or weakness in both legs"),
        ),
    ),
    Sign(
        code="saddle_numbness",
        question="Do you have numbness or tingling around your genitals or buttocks?",
        reported="Numbness or tingling around the genitals or buttocks",
    ),
    Sign(
        code="bladder_bowel",
        question=(
            "Have you lost control of your bladder or bowels, or do you have difficulty peeing?"
        ),
        reported="Loss of bladder or bowel control, or difficulty peeing",
    ),
    Sign(
        code="after_fall",
        question="Did this pain start after a fall or accident?",
        reported="Started after a fall or accident",
    ),
    Sign(
        code="fever_or_weight_loss",
        question="Do you have a high temperature (fever), or have you lost weight without trying?",
        reported="High temperature or weight loss without trying",
    ),
)
SIGN_CODES: tuple[str, ...] = tuple(sign.code for sign in SIGNS)
SIGNS_BY_CODE: dict[str, Sign] = {sign.code: sign for sign in SIGNS}


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

    __slots__ = ("answers", "on", "pain")

    def __init__(self, on: date, pain: int | None = None, **answers: Answer) -> None:
        unknown = set(answers) - set(SIGN_CODES)
        if unknown:
            raise TypeError(f"unknown warning sign(s): {', '.join(sorted(unknown))}")
        self.on = on
        self.pain = pain
        self.answers: dict[str, Answer] = {code: answers.get(code) for code in SIGN_CODES}

    @classmethod
    def of(cls, source: Any, *, on: date, pain: int | None) -> Signs:
        """The answers held by ``source`` (an object with the sign fields, or a mapping)."""
        return cls(on, pain, **{code: _value(source, code) for code in SIGN_CODES})

    def __getitem__(self, code: str) -> Answer:
        return self.answers[code]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signs):
            return NotImplemented
        return (self.on, self.pain, self.answers) == (other.on, other.pain, other.answers)

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
