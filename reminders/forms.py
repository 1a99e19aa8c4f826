from django import forms

from reminders import schedule
from reminders.models import Reminder
from routines.models import Routine

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
CHANNELS = [("email", "Email"), ("push", "Push notification on my devices")]
MAX_PAUSE_DAYS = 90


class ReminderForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="Remind me to", choices=Reminder.Kind.choices, widget=forms.RadioSelect
    )
    routine = forms.ModelChoiceField(
        label="Session",
        queryset=Routine.objects.none(),
        required=False,
        empty_label="Choose a session",
        help_text="For a session reminder: the session the reminder opens.",
    )
    local_time = forms.TimeField(
        label="Time", widget=TIME_WIDGET, help_text="In your time zone, as hours and minutes."
    )
    days = forms.TypedMultipleChoiceField(
        label="On these days",
        choices=list(enumerate(schedule.WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    channels = forms.MultipleChoiceField(
        label="Send it by",
        choices=CHANNELS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose email, push or both."},
        help_text="Push works on a device where you turn it on below the list of reminders.",
    )

    class Meta:
        model = Reminder
        fields = ["kind", "routine", "local_time"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["routine"].queryset = Routine.objects.visible_to(user)
        reminder = self.instance
        self.initial.setdefault(
            "days", schedule.weekdays_of(reminder.weekdays if reminder.pk else schedule.EVERY_DAY)
        )
        if reminder.pk:
            self.initial.setdefault(
                "channels",
                [
                    name
                    for name, on in (("email", reminder.by_email), ("push", reminder.by_push))
                    if on
                ],
            )
        else:
            self.initial.setdefault("kind", Reminder.Kind.PAIN)
            self.initial.setdefault("channels", ["email"])

    def clean_channels(self) -> list[str]:
        channels = self.cleaned_data["channels"]
        if "email" in channels and not self.user.email:
            raise forms.ValidationError(
                "Your account has no email address yet (follow the link we sent when you "
                "signed up), so reminders cannot go by email. Choose push instead."
            )
        return channels

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == Reminder.Kind.SESSION and not cleaned.get("routine"):
            self.add_error("routine", "Choose the session this reminder is for.")
        return cleaned

    def save(self, commit: bool = False) -> Reminder:
        reminder = super().save(commit=False)
        reminder.owner = self.user
        reminder.local_time = reminder.local_time.replace(second=0, microsecond=0)
        reminder.weekdays = schedule.weekday_mask(self.cleaned_data["days"])
        reminder.by_email = "email" in self.cleaned_data["channels"]
        reminder.by_push = "push" in self.cleaned_data["channels"]
        return reminder


class PauseForm(forms.Form):
    days = forms.IntegerField(
        label="Pause for how many days?",
        min_value=1,
        max_value=MAX_PAUSE_DAYS,
        initial=3,
        help_text=f"From 1 to {MAX_PAUSE_DAYS}. Reminders start again after that.",
    )


class QuietHoursForm(forms.Form):
    start = forms.TimeField(label="From", widget=TIME_WIDGET, required=False)
    end = forms.TimeField(label="Until", widget=TIME_WIDGET, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if (start is None) != (end is None):
            missing = "end" if end is None else "start"
            self.add_error(
                missing, "Give both times, or leave both empty to switch quiet hours off."
            )
        elif start is not None and start == end:
            self.add_error("end", "The end must differ from the start.")
        return cleaned
