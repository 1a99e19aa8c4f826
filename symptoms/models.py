import functools
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

PAIN_MAX = 10
NOTE_MAX_LENGTH = 2000


def pain_words(pain: int | None) -> str:
    """Plain words for a 0-10 pain score."""
    if pain is None:
        return ""
    if pain == 0:
        return "no pain"
    if pain <= 3:
        return "mild"
    if pain <= 6:
        return "moderate"
    return "severe"


class Location(models.TextChoices):
    CENTRE = "centre", "Centre of the lower back"
    LEFT = "left", "Left side of the lower back"
    RIGHT = "right", "Right side of the lower back"
    BUTTOCK = "buttock", "Buttock"
    LEG = "leg", "Down a leg"


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


class LegSymptoms(models.TextChoices):
    NONE = "none", "No"
    ONE = "one", "Yes, in one leg"
    BOTH = "both", "Yes, in both legs"


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
    def open(self) -> "EpisodeQuerySet":
        return self.filter(resolved_on__isnull=True)


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

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-onset_date", "-pk"]
        indexes = [models.Index(fields=["owner", "resolved_on"], name="episode_owner_resolved")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="episode_owner_uid"),
            # At most one open episode per person.
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(resolved_on__isnull=True),
                name="one_open_episode_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.onset_date}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class PainEntry(models.Model):
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
    # Warning-sign questions. None means "not answered", distinct from False ("no").
    leg_symptoms = models.CharField(
        max_length=10, choices=LegSymptoms.choices, null=True, blank=True
    )
    saddle_numbness = models.BooleanField(null=True, blank=True)
    bladder_bowel = models.BooleanField(null=True, blank=True)
    after_fall = models.BooleanField(null=True, blank=True)
    fever_or_weight_loss = models.BooleanField(null=True, blank=True)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name_plural = "pain entries"
        indexes = [
            models.Index(fields=["owner", "-recorded_at"], name="entry_owner_recorded"),
            models.Index(fields=["owner", "local_date"], name="entry_owner_local_date"),
            models.Index(fields=["episode", "-recorded_at"], name="entry_episode_recorded"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="entry_owner_uid"),
            models.CheckConstraint(
                condition=models.Q(pain__gte=0, pain__lte=PAIN_MAX), name="entry_pain_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"Pain {self.pain} at {self.recorded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("symptoms:entry_edit", args=[self.pk])

    @property
    def pain_words(self) -> str:
        return pain_words(self.pain)

    @property
    def location_labels(self) -> list[str]:
        return _labels(Location, self.locations)

    @property
    def trigger_labels(self) -> list[str]:
        return _labels(Trigger, self.triggers, other=self.trigger_other)

    @property
    def relief_labels(self) -> list[str]:
        return _labels(Relief, self.reliefs, other=self.relief_other)

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

    @property
    def warning_signs(self) -> list[str]:
        """The warning signs answered "yes", in plain words."""
        signs = []
        if self.leg_symptoms in (LegSymptoms.ONE, LegSymptoms.BOTH):
            legs = "one leg" if self.leg_symptoms == LegSymptoms.ONE else "both legs"
            signs.append(f"Numbness, tingling or weakness in {legs}")
        if self.saddle_numbness:
            signs.append("Numbness or tingling around the genitals or buttocks")
        if self.bladder_bowel:
            signs.append("Loss of bladder or bowel control, or difficulty peeing")
        if self.after_fall:
            signs.append("Started after a fall or accident")
        if self.fever_or_weight_loss:
            signs.append("High temperature or weight loss without trying")
        return signs


class FlagAcknowledgement(models.Model):
    """The person said "I have seen a doctor about this" for a flag in an episode."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flag_acknowledgements"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="acknowledgements")
    code = models.SlugField(max_length=40)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "code"], name="one_ack_per_flag_per_episode")
        ]

    def __str__(self) -> str:
        return f"{self.code} seen on {self.seen_at:%Y-%m-%d}"
