"""A share link and each time it was opened.

Only the SHA-256 hash of a link's token is stored: the token itself is shown to the
person once, when the link is made (sharing.services.create_link).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from symptoms.models import Episode

MIN_DAYS, DEFAULT_DAYS, MAX_DAYS = 1, 7, 30
MAX_OPENINGS = 100
DISPLAY_NAME_MAX_LENGTH = 60


class ShareLinkQuerySet(models.QuerySet):
    def for_owner(self, user) -> ShareLinkQuerySet:
        return self.filter(owner=user)

    def listed(self, openings: int) -> ShareLinkQuerySet:
        """Newest first, each with ``openings_total`` and its latest ``openings`` in
        ``recent_openings``: two queries, whatever the number of openings."""
        recent = (
            ShareOpening.objects.annotate(
                row=Window(RowNumber(), partition_by=[F("link_id")], order_by=F("opened_at").desc())
            )
            .filter(row__lte=openings)
            .order_by("-opened_at", "-pk")
        )
        return (
            self.annotate(openings_total=Count("openings"))
            .order_by("-created_at", "-pk")  # Meta.ordering does not apply with GROUP BY
            .prefetch_related(Prefetch("openings", queryset=recent, to_attr="recent_openings"))
        )

    def usable(self, now: datetime) -> ShareLinkQuerySet:
        """Not revoked, not expired, not opened as often as allowed."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now).filter(
            Q(max_openings__isnull=True) | Q(open_count__lt=F("max_openings"))
        )


class ShareLink(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    start_date = models.DateField()
    end_date = models.DateField()
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX_LENGTH, blank=True)
    allow_fhir = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    max_openings = models.PositiveIntegerField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="sharelink_owner_created")]

    def __str__(self) -> str:
        return f"Share link {self.pk} ({self.start_date} to {self.end_date})"

    def state(self, now: datetime) -> str:
        """In words, for the person's list: what a doctor opening it now would get."""
        if self.revoked_at is not None:
            return "Switched off"
        if self.expires_at <= now:
            return "Expired"
        if self.max_openings is not None and self.open_count >= self.max_openings:
            return "Opened as often as allowed"
        return "Active"

    def is_usable(self, now: datetime) -> bool:
        return self.state(now) == "Active"


class ShareOpening(models.Model):
    """One opening of a share link (or a download from it): when, and a coarse browser
    name such as "Firefox on Android". No IP address and no full user agent."""

    class Kind(models.TextChoices):
        PAGE = "page", "Opened the summary"
        PDF = "pdf", "Downloaded the PDF"
        FHIR = "fhir", "Downloaded the FHIR file"

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    agent = models.CharField(max_length=60)
    counted = models.BooleanField(
        default=True, help_text="Counts towards the limit (a download during a visit does not)."
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["link", "-opened_at"], name="shareopening_link_opened")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.opened_at:%Y-%m-%d %H:%M}"
