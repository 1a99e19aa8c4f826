"""The warning-sign questions and the 0-10 pain field, as used by every form that asks.

The questions are one checklist built from ``safety.signs``: a person ticks each sign
that applies, or "None of these", which answers every question "no" in one tap. An
answer is required: a form with nothing ticked is refused, never read as "no signs".
The pain entry form, the quick check and the session player's safety check all use it.
"""

from __future__ import annotations

from datetime import date

from django import forms

from safety.pain import PAIN_MAX, pain_words
from safety.signs import ASKED, GROUPS, Answer, Sign, Signs
from safety.widgets import PainTiles, SignChecklist

NONE_OF_THESE = "none"
NONE_LABEL = "None of these"


class FixedChoices:
    """For a choice field whose choices are constants (a model's TextChoices, the pain
    scale, the warning signs): each form shares them instead of deep-copying them.

    Django deep-copies every field for every form; for these fields that was mostly the
    choices (lists of lazily translated labels): each such copy went from 0.03 to 0.015 ms,
    about 0.08 ms of a pain entry post.
    The widget is still copied (with its own shallow copy of the choices), and a form
    that needs other choices assigns a new list (the ``choices`` setter) to its own
    copy; nothing changes a list in place.
    """

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class FixedTypedChoiceField(FixedChoices, forms.TypedChoiceField):
    pass


class FixedTypedMultipleChoiceField(FixedChoices, forms.TypedMultipleChoiceField):
    pass


def _option(sign: Sign, value: Answer) -> str:
    """The checklist value of one reporting answer: "bladder_bowel", "leg_symptoms:one"."""
    return sign.code if sign.is_yes_no else f"{sign.code}:{value}"


def sign_options(sign: Sign) -> list[tuple[str, str]]:
    """The checklist options of one sign: its question, or each answer that reports."""
    if sign.is_yes_no:
        return [(_option(sign, True), sign.question)]
    return [(_option(sign, c.value), c.label) for c in sign.choices if c.reported]


def checked_options(answers: dict[str, Answer]) -> list[str]:
    """Stored answers as the checklist's ticked values ("None of these" when every
    question is answered and none reports a sign; nothing when some are unanswered)."""
    ticked = []
    for sign in ASKED:
        answer = answers.get(sign.code)
        if sign.reported_text(answer):
            ticked.append(_option(sign, answer))
    if not ticked and all(answers.get(sign.code) is not None for sign in ASKED):
        return [NONE_OF_THESE]
    return ticked


def answers_from(ticked: list[str]) -> dict[str, Answer]:
    """The checklist's ticked values as one answer per asked sign."""
    answers: dict[str, Answer] = {sign.code: sign.no for sign in ASKED}
    for sign in ASKED:
        chosen = [value for value, _ in sign_options(sign) if value in ticked]
        if sign.is_yes_no:
            answers[sign.code] = bool(chosen)
        elif chosen:
            # The most serious answer wins (the last reporting choice, e.g. both legs).
            answers[sign.code] = chosen[-1].partition(":")[2]
    return answers


class WarningSignsField(FixedChoices, forms.MultipleChoiceField):
    widget = SignChecklist(attrs={"class": "form-check-input"})

    def __init__(self, **kwargs) -> None:
        choices = [(NONE_OF_THESE, NONE_LABEL)]
        for sign in ASKED:
            choices += sign_options(sign)
        super().__init__(
            label="Warning signs",
            choices=choices,
            error_messages={
                "required": (
                    "Answer the warning-sign questions: tick each sign you have, or tick "
                    "“None of these”."
                ),
                "invalid_choice": "Choose from the warning signs listed.",
            },
            **kwargs,
        )

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if NONE_OF_THESE in value and len(value) > 1:
            raise forms.ValidationError(
                "You ticked “None of these” and also a warning sign. Untick one of them.",
                code="contradiction",
            )


class WarningSignsForm(forms.Form):
    """Every warning question, as one required checklist (``warning_signs``)."""

    warning_signs = WarningSignsField()

    @property
    def sign_groups(self) -> list[dict]:
        """The checklist grouped for the template: [{title, options: [bound option]}]."""
        by_value = {option.data["value"]: option for option in self["warning_signs"]}
        groups = []
        for group in GROUPS:
            options = [
                by_value[value]
                for sign in ASKED
                if sign.group == group.code
                for value, _ in sign_options(sign)
            ]
            if options:
                groups.append({"title": group.title, "options": options})
        return groups

    @property
    def sign_summary(self) -> str:
        """The signs in a few words: what "None of these" says no to."""
        parts = [group.summary for group in GROUPS]
        return "; ".join(parts[:-1]) + "; or " + parts[-1]

    @property
    def none_option(self):
        return next(o for o in self["warning_signs"] if o.data["value"] == NONE_OF_THESE)

    @property
    def any_sign_ticked(self) -> bool:
        """Some sign is ticked (the list is shown open)."""
        value = self["warning_signs"].value() or []
        return any(v != NONE_OF_THESE for v in value)

    def answers(self) -> dict[str, Answer]:
        """One answer per asked sign (call after is_valid())."""
        return answers_from(self.cleaned_data["warning_signs"])

    def to_signs(self, on: date, pain: int | None) -> Signs:
        """The answers as the red-flag checker's Signs (call after is_valid())."""
        return Signs(on, pain, **self.answers())


PAIN_CHOICES = [(n, f"{n} {pain_words(n)}") for n in range(PAIN_MAX + 1)]
PAIN_HELP = "0 is no pain. Mild is 1 to 3, moderate 4 to 6, severe 7 to 10."


def pain_field(
    label: str = "How bad is your pain right now?", *, required: bool = True
) -> FixedTypedChoiceField:
    """Pain 0-10 as a row of radio buttons, each with its plain word: big targets, no
    typing, works on a phone on the floor. Left out when optional, it cleans to None."""
    return FixedTypedChoiceField(
        label=label,
        help_text=PAIN_HELP,
        choices=PAIN_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={
            "required": "Choose how bad your pain is, from 0 (no pain) to 10.",
            "invalid_choice": "Choose a number from 0 (no pain) to 10.",
        },
        widget=PainTiles,
    )
