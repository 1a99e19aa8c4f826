from django import forms

from progress.forms import ReportForm
from sharing.models import DEFAULT_DAYS, DISPLAY_NAME_MAX_LENGTH, MAX_DAYS, MAX_OPENINGS, MIN_DAYS


def _errors(message: str) -> dict[str, str]:
    """One message for every way a number field can be wrong."""
    return dict.fromkeys(("required", "invalid", "min_value", "max_value"), message)


class ShareForm(ReportForm):
    """The summary's period (an episode or dates, as on the summary page) and how the
    link may be used."""

    days = forms.IntegerField(
        label="The link works for (days)",
        min_value=MIN_DAYS,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=f"From {MIN_DAYS} to {MAX_DAYS} days. You can switch it off sooner.",
        error_messages=_errors(f"Enter a number of days from {MIN_DAYS} to {MAX_DAYS}."),
    )
    max_openings = forms.IntegerField(
        label="Most times it can be opened (optional)",
        required=False,
        min_value=1,
        max_value=MAX_OPENINGS,
        help_text=(
            "Leave empty for no limit. Downloading the PDF or file within an hour of "
            "opening the summary does not count again."
        ),
        error_messages=_errors(
            f"Enter a whole number from 1 to {MAX_OPENINGS}, or leave it empty."
        ),
    )
    display_name = forms.CharField(
        label="Name to show on the summary (optional)",
        required=False,
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text="Leave empty to show no name. Your email address and username are never shown.",
    )
    allow_fhir = forms.BooleanField(
        label="Also offer the data as a FHIR file, for a clinic’s health record system",
        required=False,
    )
