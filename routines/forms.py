import zoneinfo

from django import forms
from django.utils import timezone

from routines.models import HOLD_LIMITS, REPEAT_LIMITS, Practice, Routine, Stretch
from safety import dates
from safety.forms import WarningSignsForm, pain_field


class RoutineForm(forms.ModelForm):
    class Meta:
        model = Routine
        fields = ["name", "description"]
        labels = {"name": "Session name", "description": "Description (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the session a name.")
        return name


def _number_field(label: str, limits: tuple[int, int], unit: str) -> forms.IntegerField:
    low, high = limits
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=f"{low}–{high} {unit}.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def hold_field() -> forms.IntegerField:
    return _number_field("Hold (seconds)", HOLD_LIMITS, "seconds")


def repeats_field() -> forms.IntegerField:
    return _number_field("Repeats", REPEAT_LIMITS, "times")


class StepForm(forms.Form):
    """Hold and repeats of one step; the prefix keeps several on one page apart."""

    hold_seconds = hold_field()
    repeats = repeats_field()


class AddStepForm(forms.Form):
    stretch = forms.ModelChoiceField(
        label="Stretch",
        queryset=Stretch.objects.only("pk", "name", "order"),
        empty_label="Choose a stretch",
    )
    hold_seconds = hold_field()
    repeats = repeats_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left blank, hold and repeats take the stretch's advice.
        self.fields["hold_seconds"].required = False
        self.fields["hold_seconds"].help_text += " Leave blank for the stretch's advice."
        self.fields["repeats"].required = False
        self.fields["repeats"].help_text += " Leave blank for the stretch's advice."


class StepCountField(forms.IntegerField):
    """How many stretches the player counted, in a hidden field kept by its script.

    The person never types it, so a value that is not a whole number is taken as "not
    known" (None) rather than refused with an error they could neither see nor fix; the
    services clamp any number to 0..the session's stretches.
    """

    def __init__(self) -> None:
        super().__init__(required=False, widget=forms.HiddenInput)

    def to_python(self, value) -> int | None:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class FinishForm(forms.Form):
    pain_after = pain_field("How bad is your pain now?")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=Practice._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything you want to remember, e.g. which stretch felt good.",
    )
    steps_completed = StepCountField()


class StopForm(forms.Form):
    reason = forms.ChoiceField(
        label="What happened?",
        choices=Practice.StopReason.choices,
        widget=forms.RadioSelect,
    )
    pain_after = pain_field("How bad is your pain now? (optional)", required=False)
    steps_completed = StepCountField()


class SafetyCheckForm(WarningSignsForm):
    """Before a session: pain now, and the warning signs (the same checklist as the pain
    log, always required)."""

    pain_before = pain_field("How bad is your pain right now?")

    field_order = ["pain_before", "warning_signs"]


class OfflineFinishForm(FinishForm):
    """A practice finished on the phone while offline (POST /routines/history/sync/):
    the finish form's fields, and for a session also started offline, its routine,
    pain before and start time. ``zone`` is the person's time zone: both times lie
    between 1900 there and now, as an entry's does."""

    routine = forms.IntegerField(min_value=1)
    pain_before = pain_field("How bad was your pain before?", required=False)
    started_at = forms.DateTimeField(required=False)
    finished_at = forms.DateTimeField()

    def __init__(self, *args, zone: zoneinfo.ZoneInfo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict:
        data = super().clean()
        now = timezone.now()
        for name in ("started_at", "finished_at"):
            moment = data.get(name)
            if moment and (problem := dates.moment_problem(moment, zone=self.zone, now=now)):
                self.add_error(name, problem)  # and out of cleaned_data
        started, finished = data.get("started_at"), data.get("finished_at")
        if started and finished and started > finished:
            self.add_error("started_at", "The session must start before it ends.")
        return data
