import zoneinfo
from datetime import date, datetime

from django import forms
from django.forms.widgets import DateTimeBaseInput
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from safety import dates
from safety.dates import long_day
from safety.forms import (
    FixedTypedMultipleChoiceField,
    WarningSignsForm,
    checked_options,
    pain_field,
)
from safety.regions import region_choices
from safety.signs import SIGN_CODES
from safety.widgets import FIELD_TEMPLATE, ChoiceList
from symptoms.models import (
    ENTRY_DETAILS,
    LEGACY_LOCATIONS,
    NOTE_MAX_LENGTH,
    Episode,
    Location,
    PainEntry,
    Relief,
    Trigger,
)

# The optional part of an entry, under "Add details" (below Save), in order.
DETAIL_FIELDS = (
    "locations",
    "triggers",
    "trigger_other",
    "reliefs",
    "relief_other",
    "recorded_at",
    "onset_date",
    "note",
)

WALL_CLOCK_FORMAT = "%Y-%m-%dT%H:%M"  # what a datetime-local input shows and sends
DAY_FORMAT = "%Y-%m-%d"  # a date input's


# A date field's widget: a date picker that starts at the earliest day accepted.
DATE_INPUT = forms.DateInput(
    attrs={"type": "date", "min": dates.EARLIEST_DAY.isoformat()}, format=DAY_FORMAT
)


def _day_in_range(day: date | None, today: date) -> date | None:
    """A typed day, or the field error for one outside 1900 to today (safety.dates)."""
    if day is not None and (problem := dates.day_problem(day, today=today)):
        raise forms.ValidationError(problem)
    return day


def hidden_copy(format: str) -> type[DateTimeBaseInput]:
    """The hidden input that carries a field's value as the form drew it (Django's
    show_hidden_initial), in the visible input's format, so the two compare as sent."""

    class HiddenCopy(DateTimeBaseInput):
        input_type = "hidden"

        def __init__(self, attrs=None) -> None:
            super().__init__(attrs, format=format)

        def get_context(self, name, value, attrs):
            # Not shown, so not described: Django gives it the visible input's help link.
            attrs = {key: v for key, v in (attrs or {}).items() if not key.startswith("aria-")}
            return super().get_context(name, value, attrs)

    return HiddenCopy


class WallClockField(forms.DateTimeField):
    """A date and time as typed in the person's zone (datetime-local: no offset), left
    naive for the form to read with safety.dates.wall_clock_moment. Django's field reads
    it in the active zone and refuses the hour that repeats, or is skipped, when clocks
    change. A value with an offset, or in another format, is read as Django reads it."""

    def to_python(self, value):
        if isinstance(value, str):
            try:
                typed = parse_datetime(value.strip())
            except ValueError:  # e.g. 2026-02-30T10:00: Django's "invalid" below
                typed = None
            if typed is not None and timezone.is_naive(typed):
                return typed
        return super().to_python(value)

    hidden_widget = hidden_copy(WALL_CLOCK_FORMAT)


class DrawnDayField(forms.DateField):
    """A day whose value as drawn goes with the form (see PainEntryForm.left_as_drawn)."""

    hidden_widget = hidden_copy(DAY_FORMAT)


class PainEntryForm(WarningSignsForm, forms.ModelForm):
    """One pain log entry. ``ask_onset`` adds "when did this pain start?" (first entry
    of an episode). ``zone`` is the person's time zone, for "never in the future"."""

    recorded_at = WallClockField(
        label="Date and time",
        help_text="Leave it as it is for now, or choose earlier to catch up. Not in the future.",
        required=False,
        template_name=FIELD_TEMPLATE,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "min": f"{dates.EARLIEST_DAY:%Y-%m-%d}T00:00"},
            format=WALL_CLOCK_FORMAT,
        ),
        show_hidden_initial=True,  # the time as drawn goes along: see left_as_drawn
    )
    pain = pain_field()
    locations = FixedTypedMultipleChoiceField(
        label="Where does it hurt?",
        choices=Location.choices,
        required=False,
        widget=ChoiceList(row_class="body-map__choice"),
    )
    triggers = FixedTypedMultipleChoiceField(
        label="What set it off?",
        choices=Trigger.choices,
        required=False,
        widget=ChoiceList,
    )
    trigger_other = forms.CharField(
        label="Something else set it off",
        max_length=200,
        required=False,
        template_name=FIELD_TEMPLATE,
    )
    reliefs = FixedTypedMultipleChoiceField(
        label="What helped?",
        choices=Relief.choices,
        required=False,
        widget=ChoiceList,
    )
    relief_other = forms.CharField(
        label="Something else helped",
        max_length=200,
        required=False,
        template_name=FIELD_TEMPLATE,
    )
    note = forms.CharField(
        label="Note",
        help_text=f"Optional. Up to {NOTE_MAX_LENGTH:,} characters.",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        template_name=FIELD_TEMPLATE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    onset_date = DrawnDayField(
        label="When did this pain start?",
        help_text="The day this bout of back pain began. Leave it as it is if it started today.",
        required=False,
        template_name=FIELD_TEMPLATE,
        widget=DATE_INPUT,
        show_hidden_initial=True,  # the day as drawn goes along: see left_as_drawn
    )

    class Meta:
        model = PainEntry
        # The warning-sign answers come from the checklist (WarningSignsForm), see clean().
        fields = ["recorded_at", *ENTRY_DETAILS]

    def __init__(self, *args, zone: zoneinfo.ZoneInfo, ask_onset: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        # For a new entry with no answers set in advance, the questions look the same
        # for everyone until something is typed: see is_blank.
        self._preset = bool(kwargs.get("initial") or kwargs.get("instance"))
        if not ask_onset:
            del self.fields["onset_date"]
        if self.instance.pk:
            # An entry from before the body map keeps its old location while edited.
            legacy = [c for c in self.instance.locations or [] if c in LEGACY_LOCATIONS]
            if legacy:
                self.fields["locations"].choices = [
                    *Location.choices,
                    *((code, LEGACY_LOCATIONS[code]) for code in legacy),
                ]
            answers = {code: getattr(self.instance, code) for code in SIGN_CODES}
            self.initial["warning_signs"] = checked_options(answers)
            self.initial["recorded_at"] = timezone.localtime(self.instance.recorded_at, zone)
        elif "recorded_at" not in self.initial:
            now = timezone.localtime(timezone.now(), zone).replace(second=0, microsecond=0)
            self.initial["recorded_at"] = now
            if ask_onset:
                self.initial.setdefault("onset_date", now.date())
        # Pain and the warning signs first (the quick path), then the details.
        self.order_fields(["pain", "warning_signs", *DETAIL_FIELDS])

    @property
    def is_blank(self) -> bool:
        """A new entry's form, nothing typed, no answers or entry given to start from: its
        questions (pain, warning signs, where, what set it off, what helped) are drawn
        the same for everyone. Only the time differs (now, in the person's zone), and
        the onset when asked; {% form_part %} draws the rest once per process."""
        return not self.is_bound and not self._preset

    @property
    def details_open(self) -> bool:
        """Show "Add details" open: editing an entry that has some, or an error in them."""
        if any(self.errors.get(name) for name in DETAIL_FIELDS):
            return True
        if self.instance.pk:
            return bool(self.instance.has_details or self.instance.note)
        return False

    def validate_constraints(self) -> None:
        """No constraint query on every save: the pain field takes only 0-10 (the check
        constraint's rule) and the owner/uid constraint involves no field of this form.
        The database still enforces both."""

    def left_as_drawn(self, name: str) -> bool:
        """A new entry's time or onset sent as the form drew it: "now" or "today", left
        as it was. The help says "leave it as it is for now" (and "if it started
        today"), so it means the moment the entry is saved: a page left open for hours
        (Today on a phone, in the background) does not date the entry back to when it
        was drawn. A changed value, or one sent without the drawn copy (the phone's
        offline send, other clients), is read as typed."""
        if self.instance.pk:
            return False  # an edited entry keeps its time unless it is changed
        drawn = self.data.get(self.add_initial_prefix(name), "").strip()
        return bool(drawn) and drawn == self.data.get(self.add_prefix(name), "").strip()

    def clean_recorded_at(self) -> datetime:
        value = self.cleaned_data["recorded_at"]
        if value is None or self.left_as_drawn("recorded_at"):
            # Left empty, or as drawn: now.
            return timezone.now().replace(microsecond=0)
        if timezone.is_naive(value):
            value = dates.wall_clock_moment(value, self.zone, now=timezone.now())
        # From 1900 to now (a typed minute is "now" until the minute ends).
        if problem := dates.moment_problem(value, zone=self.zone, now=timezone.now()):
            raise forms.ValidationError(problem)
        return value

    def clean_onset_date(self) -> date | None:
        today = timezone.localdate(timezone=self.zone)
        if self.left_as_drawn("onset_date"):
            return today
        return _day_in_range(self.cleaned_data.get("onset_date"), today)

    def clean(self) -> dict:
        data = super().clean()
        onset = data.get("onset_date")
        recorded = data.get("recorded_at")
        if onset and recorded:
            day = timezone.localtime(recorded, self.zone).date()
            if onset > day:
                self.add_error(
                    "onset_date", "The pain must have started on or before the day of this entry."
                )
        if data.get("trigger_other") and Trigger.OTHER not in (data.get("triggers") or []):
            data["triggers"] = [*(data.get("triggers") or []), Trigger.OTHER.value]
        if data.get("relief_other") and Relief.OTHER not in (data.get("reliefs") or []):
            data["reliefs"] = [*(data.get("reliefs") or []), Relief.OTHER.value]
        if "warning_signs" in data:
            for code, answer in self.answers().items():
                setattr(self.instance, code, answer)
        return data


class QuickCheckForm(WarningSignsForm):
    """The quick check without an account: nothing it asks is stored."""

    pain = pain_field()
    days_of_pain = forms.IntegerField(
        label="How many days have you had this pain?",
        help_text="A rough number is fine. Two weeks is 14 days; if it started today, enter 0.",
        min_value=0,
        max_value=36500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["pain", "days_of_pain"])


class RegionForm(forms.Form):
    """Signed out, on the quick check: where the person is (kept in a cookie only)."""

    region = forms.ChoiceField(
        label="Where are you?",
        help_text="So the advice gives the right numbers to call.",
        choices=region_choices,
    )


class OnsetForm(forms.ModelForm):
    """Change when an episode's pain started: not after its first entry."""

    onset_date = forms.DateField(label="When did this pain start?", widget=DATE_INPUT)

    class Meta:
        model = Episode
        fields = ["onset_date"]

    def __init__(self, *args, latest: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.latest = latest  # the episode's first entry's date

    def clean_onset_date(self) -> date:
        onset = self.cleaned_data["onset_date"]
        if onset < dates.EARLIEST_DAY:
            raise forms.ValidationError(dates.TOO_EARLY)
        if onset > self.latest:
            raise forms.ValidationError(
                "The pain must have started on or before your first entry of this episode "
                f"({long_day(self.latest)})."
            )
        return onset


class ResolveForm(forms.Form):
    """When the back got better: from the episode's last entry to today."""

    resolved_on = forms.DateField(
        label="When did it get better?",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, earliest: date, latest: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest
        field = self.fields["resolved_on"]
        field.initial = latest
        field.help_text = f"Between {long_day(earliest)} (your last entry) and today."
        field.widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())

    def clean_resolved_on(self) -> date:
        day = self.cleaned_data["resolved_on"] or self.latest  # left empty: today
        if not self.earliest <= day <= self.latest:
            raise forms.ValidationError(
                f"Choose a day from {long_day(self.earliest)} (your last entry) to today."
            )
        return day
