from datetime import date
from typing import Any

from django import forms

from safety import dates
from safety.dates import short_day_year
from symptoms.models import Episode

PERIODS = (14, 30, 90)
DEFAULT_PERIOD = 30
REPORT_MAX_DAYS = 366 * 5


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Show the last",
        choices=[(n, f"{n} days") for n in PERIODS],
        coerce=int,
        widget=forms.RadioSelect,
    )


def episode_label(episode: Episode) -> str:
    if episode.resolved_on:
        return f"{short_day_year(episode.onset_date)} to {short_day_year(episode.resolved_on)}"
    return f"{short_day_year(episode.onset_date)} (open)"


class ReportForm(forms.Form):
    """An episode, or a date range, for the summary; nothing chosen is the open or
    latest episode."""

    episode = forms.ModelChoiceField(
        queryset=Episode.objects.none(),
        required=False,
        label="Episode",
        empty_label="The open or latest episode",
    )
    start = forms.DateField(
        required=False,
        label="Or from",
        widget=forms.DateInput(attrs={"type": "date", "min": dates.EARLIEST_DAY.isoformat()}),
        help_text="Use a date range instead of an episode.",
    )
    end = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date", "min": dates.EARLIEST_DAY.isoformat()}),
    )

    def __init__(self, *args: Any, user, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["episode"].queryset = Episode.objects.for_owner(user)
        self.fields["episode"].label_from_instance = episode_label

    def clean(self) -> dict[str, Any]:
        """A range needs both days, in order, at most five years, not ending in the
        future; days before 1900 (safety.dates) are moved to 1 January 1900."""
        data = super().clean()
        for key in ("start", "end"):
            if data.get(key) and data[key] < dates.EARLIEST_DAY:
                data[key] = dates.EARLIEST_DAY
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not start:
                self.add_error("start", "Enter the first day of the range.")
            elif not end:
                self.add_error("end", "Enter the last day of the range.")
            elif end < start:
                self.add_error("end", "The last day must be on or after the first day.")
            elif end > self.today:
                self.add_error("end", "The last day cannot be in the future.")
            elif (end - start).days > REPORT_MAX_DAYS:
                self.add_error("start", "Choose a range of at most five years.")
        return data
