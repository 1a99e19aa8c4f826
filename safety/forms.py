"""The warning-sign questions and the 0-10 pain field, as used by every form that asks.

The questions are built from ``safety.signs.SIGNS``: the pain entry form mixes
``WarningSignsForm`` in (its field names are PainEntry's), the quick check and the
session player's safety check use it on their own.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.forms.boundfield import BoundField

from safety.pain import PAIN_MAX, pain_words
from safety.signs import SIGNS, Answer, Sign, Signs

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def form_value(sign: Sign, answer: Answer) -> str | None:
    """A stored answer as the form's initial value ("yes"/"no" for a yes/no sign)."""
    if sign.is_yes_no:
        return {True: "yes", False: "no"}.get(answer)  # type: ignore[arg-type]
    return answer  # type: ignore[return-value]


def sign_field(sign: Sign) -> forms.TypedChoiceField:
    """A radio question; left unanswered it cleans to None, not "no"."""
    if sign.is_yes_no:
        choices, coerce = YES_NO, _yes_no
    else:
        choices, coerce = [(c.value, c.label) for c in sign.choices], str
    return forms.TypedChoiceField(
        label=sign.question,
        help_text=sign.help_text,
        choices=choices,
        coerce=coerce,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class _WarningSigns(forms.Form):
    def __init__(self, *args, require_answers: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if require_answers:
            for sign in SIGNS:
                self.fields[sign.code].required = True

    @property
    def warning_fields(self) -> list[BoundField]:
        """The bound warning questions, in the declaration's order (for templates)."""
        return [self[sign.code] for sign in SIGNS]

    def to_signs(self, on: date, pain: int | None) -> Signs:
        """The answers as the red-flag checker's Signs (call after is_valid())."""
        return Signs.of(self.cleaned_data, on=on, pain=pain)


# The fields are declared on the class (so ModelForms mixing it in use them) from SIGNS.
WarningSignsForm = type(
    "WarningSignsForm",
    (_WarningSigns,),
    {
        "__module__": __name__,
        "__doc__": (
            "The warning-sign questions, in plain words. Questions left unanswered clean "
            "to None; pass ``require_answers=True`` to make every question required."
        ),
        **{sign.code: sign_field(sign) for sign in SIGNS},
    },
)

PAIN_CHOICES = [(n, f"{n} {pain_words(n)}") for n in range(PAIN_MAX + 1)]
PAIN_HELP = "0 is no pain. Mild is 1 to 3, moderate 4 to 6, severe 7 to 10."


def pain_field(
    label: str = "How bad is your pain right now?", *, required: bool = True
) -> forms.TypedChoiceField:
    """Pain 0-10 as a row of radio buttons, each with its plain word: big targets, no
    typing, works on a phone on the floor. Left out when optional, it cleans to None."""
    return forms.TypedChoiceField(
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
        widget=forms.RadioSelect,
    )
