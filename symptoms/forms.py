from datetime import date

from django import forms

from symptoms.models import LegSymptoms
from symptoms.red_flags import Signs

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def yes_no_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A yes/no radio question; left unanswered it cleans to None, not "no"."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class WarningSignsForm(forms.Form):
    """The warning-sign questions, in plain words.

    Used on its own by the quick check and the session player's safety check, and mixed
    into the pain entry form (the field names match PainEntry's). Questions left
    unanswered clean to None ("not answered"), which is not the same as "no"; pass
    ``require_answers=True`` to make every question required.
    """

    leg_symptoms = forms.TypedChoiceField(
        label="Do you have numbness, tingling or weakness in a leg?",
        choices=LegSymptoms.choices,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    saddle_numbness = yes_no_field(
        "Do you have numbness or tingling around your genitals or buttocks?"
    )
    bladder_bowel = yes_no_field(
        "Have you lost control of your bladder or bowels, or do you have difficulty peeing?"
    )
    after_fall = yes_no_field("Did this pain start after a fall or accident?")
    fever_or_weight_loss = yes_no_field(
        "Do you have a high temperature (fever), or have you lost weight without trying?"
    )

    WARNING_FIELDS = (
        "leg_symptoms",
        "saddle_numbness",
        "bladder_bowel",
        "after_fall",
        "fever_or_weight_loss",
    )

    def __init__(self, *args, require_answers: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if require_answers:
            for name in self.WARNING_FIELDS:
                self.fields[name].required = True

    def to_signs(self, on: date, pain: int | None) -> Signs:
        """The answers as the red-flag checker's Signs (call after is_valid())."""
        data = self.cleaned_data
        return Signs(
            on=on,
            pain=pain,
            leg_symptoms=data.get("leg_symptoms"),
            saddle_numbness=data.get("saddle_numbness"),
            bladder_bowel=data.get("bladder_bowel"),
            after_fall=data.get("after_fall"),
            fever_or_weight_loss=data.get("fever_or_weight_loss"),
        )
