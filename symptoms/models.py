import functools
import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.deletion import LiveManager
from safety.dates import weekday_day_time
from safety.models import SignsReportedField, WarningAnswers, signs_reported_expression
from safety.pain import PAIN_MAX, pain_words
from safety.signs import SIGN_CODES, Signs, reports_any

NOTE_MAX_LENGTH = 2000


class Location(models.TextChoices):
    """Where it hurts: the regions of the body map (templates/symptoms/_body_map.html).
    Left and right are the person's own."""

    LOWER_BACK_LEFT = "lower_back_left", "Lower back, left side"
    LOWER_BACK_CENTRE = "lower_back_centre", "Lower back, centre"
    LOWER_BACK_RIGHT = "lower_back_right", "Lower back, right side"
    BUTTOCK_LEFT = "buttock_left", "Left buttock"
    BUTTOCK_RIGHT = "buttock_right", "Right buttock"
    THIGH_LEFT = "thigh_left", "Left thigh"
    THIGH_RIGHT = "thigh_right", "Right thigh"
    CALF_LEFT = "calf_left", "Left calf or shin"
    CALF_RIGHT = "calf_right", "Right calf or shin"
    FOOT_LEFT = "foot_left", "Left foot"
    FOOT_RIGHT = "foot_right", "Right foot"


# Locations of entries made before the body map, kept as they were when no region says
# the same (which side, which part of the leg): still shown, no longer offered.
# (centre, left and right became the three lower back regions: migration 0004.)
LEGACY_LOCATIONS = {
    "buttock": "Buttock (side not noted)",
    "leg": "Down a leg (where not noted)",
}
LOCATION_LABELS = {**dict(Location.choices), **LEGACY_LOCATIONS}
# The lower back choices before the body map, and the regions they became.
RENAMED_LOCATIONS = {
    "centre": Location.LOWER_BACK_CENTRE.value,
    "left": Location.LOWER_BACK_LEFT.value,
    "right": Location.LOWER_BACK_RIGHT.value,
}


def known_locations(codes: list[str]) -> list[str]:
    """Stored or imported location codes in today's terms: the old lower back choices
    renamed, legacy ones kept; order kept, repeats dropped."""
    return list(dict.fromkeys(RENAMED_LOCATIONS.get(code, code) for code in codes))


class Trigger(models.TextChoices):
    LIFTING = "lifting", "Heavy lifting or repeated bending"
    POSTURE = "posture", "Posture (sitting or standing)"
    WEAK_CORE = "weak_core", "Weak core muscles"
    TWIST = "twist", "A sudden twist or awkward movement"
    DEHYDRATION = "dehydration", "Dehydration"
    OTHER = "other", "Something else"


class Relief(models.TextChoices):
    HEAT = "heat", "Heat"
    ICE = "ice", "Ice"
    STRETCHING = "stretching", "Stretching"
    FLUIDS = "fluids", "Drinking fluids"
    MEDICINE = "medicine", "Medicine approved by a doctor"
    REST = "rest", "Rest"
    OTHER = "other", "Something else"


@functools.cache
def _choice_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return dict(choices.choices)


def _labels(choices: type[models.TextChoices], values: list, other: str = "") -> list[str]:
    """Plain labels for stored choice values; "other" shows the person's own words."""
    names = _choice_labels(choices)
    labels = []
    for value in values or []:
        if value == "other" and other:
            labels.append(other)
        elif value in names:
            labels.append(names[value])
    return labels


class EpisodeQuerySet(models.QuerySet):
    def for_owner(self, user) -> "EpisodeQuerySet":
        return self.filter(owner=user)

    def open(self) -> "EpisodeQuerySet":
        return self.filter(resolved_on__isnull=True)

    def resolved(self) -> "EpisodeQuerySet":
        return self.filter(resolved_on__isnull=False)


class Episode(models.Model):
    """A run of back spasm, from onset until the person marks it resolved."""

    uid = models.UUIDField(
        default=uuid.uuid4, editable=False, help_text="Stable id for export/import."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes"
    )
    onset_date = models.DateField(help_text="The local date the pain started.")
    resolved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when its last entry is deleted (accounts.deletion: undo, then purge).
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveManager.from_queryset(EpisodeQuerySet)()
    all_objects = EpisodeQuerySet.as_manager()  # deleted ones too: undo and purge only

    class Meta:
        ordering = ["-onset_date", "-pk"]
        indexes = [
            models.Index(fields=["owner", "resolved_on"], name="episode_owner_resolved"),
            models.Index(
                fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="episode_deleted"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="episode_owner_uid"),
            # At most one open episode per person (a deleted one, kept for undo, aside).
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(resolved_on__isnull=True, deleted_at__isnull=True),
                name="one_open_episode_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.onset_date}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class PainEntryQuerySet(models.QuerySet):
    def for_owner(self, user) -> "PainEntryQuerySet":
        return self.filter(owner=user)

    def in_period(self, start: date, end: date) -> "PainEntryQuerySet":
        """Entries whose local date is from ``start`` to ``end``, both included."""
        return self.filter(local_date__range=(start, end))

    def recorded_since(self, moment) -> "PainEntryQuerySet":
        """Entries recorded from ``moment`` up to now (none dated in the future)."""
        return self.filter(recorded_at__gte=moment, recorded_at__lte=timezone.now())


class PainEntry(WarningAnswers):
    class Source(models.TextChoices):
        """Where the answers were given: the log, or the player's safety check."""

        LOG = "log", "Pain log"
        SESSION = "session", "Before a session"

    uid = models.UUIDField(
        default=uuid.uuid4, editable=False, help_text="Stable id for export/import."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pain_entries"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="entries")
    recorded_at = models.DateTimeField()
    local_date = models.DateField(help_text="recorded_at as a date in the person's time zone.")
    pain = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(PAIN_MAX)]
    )
    locations = models.JSONField(default=list, blank=True)
    triggers = models.JSONField(default=list, blank=True)
    trigger_other = models.CharField(max_length=200, blank=True)
    reliefs = models.JSONField(default=list, blank=True)
    relief_other = models.CharField(max_length=200, blank=True)
    # The warning-sign answers are fields of WarningAnswers (safety.signs declares them).
    # Whether they report any sign, so the red-flag check reads an episode's reports
    # through a small index instead of every entry (see SignsReportedField).
    reports_sign = SignsReportedField()
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LOG)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Deleted, kept a day for undo (accounts.deletion); every ordinary query skips it.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveManager.from_queryset(PainEntryQuerySet)()
    all_objects = PainEntryQuerySet.as_manager()  # deleted ones too: undo and purge only

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name_plural = "pain entries"
        indexes = [
            models.Index(
                fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="entry_deleted"
            ),
            models.Index(fields=["owner", "-recorded_at"], name="entry_owner_recorded"),
            models.Index(fields=["owner", "local_date"], name="entry_owner_local_date"),
            models.Index(fields=["episode", "-recorded_at"], name="entry_episode_recorded"),
            # The red-flag check (symptoms.episode_flags): an episode's first and latest
            # days, the first day past two weeks, and the entries that report a sign.
            models.Index(fields=["episode", "local_date", "recorded_at"], name="entry_episode_day"),
            models.Index(fields=["episode", "reports_sign"], name="entry_episode_signs"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="entry_owner_uid"),
            models.CheckConstraint(
                condition=models.Q(pain__gte=0, pain__lte=PAIN_MAX), name="entry_pain_0_10"
            ),
            models.CheckConstraint(
                condition=Q(reports_sign=signs_reported_expression()),
                name="entry_reports_sign_agrees",
            ),
        ]

    def __str__(self) -> str:
        return f"Pain {self.pain} at {self.recorded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("symptoms:entry_edit", args=[self.pk])

    @property
    def pain_words(self) -> str:
        return pain_words(self.pain)

    @functools.cached_property
    def local_recorded_at(self):
        """recorded_at in the active time zone (the person's, set by the middleware)."""
        return timezone.localtime(self.recorded_at)

    @functools.cached_property
    def when_text(self) -> str:
        """ "Tuesday 3 March 2026, 09:05", as the log heads each entry (a plain f-string:
        the date filter costs ten times more, and the log shows 20 entries)."""
        return weekday_day_time(self.local_recorded_at)

    @property
    def when_iso(self) -> str:
        return f"{self.local_recorded_at:%Y-%m-%dT%H:%M:%S%z}"

    def checker_signs(self) -> Signs:
        """This entry as the red-flag checker's input."""
        return Signs.of(
            self,
            on=self.local_date,
            pain=self.pain,
            at=self.recorded_at,
            saved_at=self.updated_at,
            key=self.pk,
        )

    reports = staticmethod(reports_any)

    @property
    def location_labels(self) -> list[str]:
        return [LOCATION_LABELS[code] for code in self.locations or [] if code in LOCATION_LABELS]

    @property
    def trigger_labels(self) -> list[str]:
        return _labels(Trigger, self.triggers, other=self.trigger_other)

    @property
    def relief_labels(self) -> list[str]:
        return _labels(Relief, self.reliefs, other=self.relief_other)

    @property
    def has_details(self) -> bool:
        """Whether the entry records where, what set it off or what helped."""
        return bool(self.locations or self.triggers or self.reliefs)

    @property
    def facts(self) -> list[tuple[str, str]]:
        """What the entry records besides pain and note, as (term, description) pairs
        for the log; questions left unanswered are left out."""
        facts = [
            ("Where", ", ".join(self.location_labels)),
            ("Set off by", ", ".join(self.trigger_labels)),
            ("Helped", ", ".join(self.relief_labels)),
            ("Warning signs reported", "; ".join(self.warning_signs)),
        ]
        return [(term, text) for term, text in facts if text]


class FlagAcknowledgement(models.Model):
    """The person's "I have been checked by a doctor about this" (or "I have booked an
    appointment") for a flag of an episode, at ``seen_at``. It covers the reports made
    up to that moment; a later report of the sign is a new warning. Several can exist
    for one flag (one per time it was acted on); undo deletes one."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flag_acknowledgements"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="acknowledgements")
    code = models.SlugField(max_length=40)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["seen_at", "pk"]
        indexes = [models.Index(fields=["episode", "code"], name="ack_episode_code")]

    def __str__(self) -> str:
        return f"{self.code} acknowledged on {self.seen_at:%Y-%m-%d}"


class FlagNotice(models.Model):
    """A non-urgent flag's alert page was shown once in this episode: it interrupts the
    person once, and stays listed on the log afterwards."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="notices")
    code = models.SlugField(max_length=40)
    shown_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "code"], name="one_notice_per_flag")
        ]

    def __str__(self) -> str:
        return f"{self.code} shown on {self.shown_at:%Y-%m-%d}"


# What a person answers in an entry besides when and the warning signs (the entry
# form's fields), and with the warning signs (the export's columns), in order.
ENTRY_DETAILS = (
    "pain",
    "locations",
    "triggers",
    "trigger_other",
    "reliefs",
    "relief_other",
    "note",
)
ENTRY_ANSWERS = (*ENTRY_DETAILS[:-1], *SIGN_CODES, "note", "source")
