import zoneinfo

from django.conf import settings
from django.db import models

from safety.regions import Region, get_region


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def default_region() -> str:
    return settings.DEFAULT_REGION


class Profile(models.Model):
    """Per-person settings. Dates in the pain log are this person's local dates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    # Which emergency and urgent-advice numbers the warning signs offer (safety.regions).
    region = models.CharField(max_length=8, default=default_region)
    # The address given at sign-up, until its owner follows the link mailed to it
    # (accounts.tasks.send_email_confirmation); then it becomes the account's email.
    # One already used by another account is never confirmed: its owner is told instead.
    pending_email = models.EmailField(blank=True, default="")

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def care_region(self) -> Region:
        return get_region(self.region, default=settings.DEFAULT_REGION)
