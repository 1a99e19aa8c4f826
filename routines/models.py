import uuid
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.deletion import LiveManager
from safety.dates import day_month_year_time
from safety.pain import PAIN_MAX, is_meaningful_drop

# The guide's advice for every stretch: hold 20-30 s, repeat 2-3 times.
ADVISED_HOLD = (20, 30)
ADVISED_REPEATS = (2, 3)
# What the session builder accepts at all.
HOLD_LIMITS = (10, 60)
REPEAT_LIMITS = (1, 5)


def lines(text: str) -> list[str]:
    """Split a one-item-per-line text field into its non-empty lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_drawing(path: str) -> None:
    """A stretch drawing is an SVG among the static files: a missing file would break
    every page that shows it."""
    if not path.endswith(".svg") or not finders.find(path):
        raise ValidationError(f"No SVG drawing {path!r} among the static files.")


class StretchQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> "Stretch":
        return self.get(slug=slug)


class Stretch(models.Model):
    class Position(models.TextChoices):
        LYING = "lying", "Lying on your back"
        KNEELING = "kneeling", "Kneeling"
        ALL_FOURS = "all_fours", "On all fours"
        SITTING = "sitting", "Sitting"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the stretch list.")
    purpose = models.CharField(max_length=200, help_text="One line: what this stretch is for.")
    description = models.TextField(blank=True, help_text="A short paragraph shown above the steps.")
    position = models.CharField(max_length=20, choices=Position.choices)
    starting_position = models.CharField(max_length=200)
    steps = models.TextField(help_text="One step per line, in order.")
    hold_min_seconds = models.PositiveSmallIntegerField(default=ADVISED_HOLD[0])
    hold_max_seconds = models.PositiveSmallIntegerField(default=ADVISED_HOLD[1])
    repeats_min = models.PositiveSmallIntegerField(default=ADVISED_REPEATS[0])
    repeats_max = models.PositiveSmallIntegerField(default=ADVISED_REPEATS[1])
    per_side = models.BooleanField(default=False, help_text="Done once on each side.")
    side_note = models.CharField(max_length=200, blank=True)
    cautions = models.TextField(blank=True, help_text="One caution per line.")
    # Two drawings: where the stretch starts and the position held (for cat-camel, its
    # two shapes). The player moves from one to the other as the hold begins.
    start_illustration = models.CharField(
        "start drawing",
        max_length=100,
        validators=[validate_drawing],
        help_text="Static path of the SVG, e.g. img/stretches/knee-to-chest-start.svg",
    )
    start_alt = models.CharField(
        "start drawing: alt text",
        max_length=300,
        help_text="The starting position in words, for people who cannot see the drawing.",
    )
    hold_illustration = models.CharField(
        "hold drawing",
        max_length=100,
        validators=[validate_drawing],
        help_text="Static path of the SVG, e.g. img/stretches/knee-to-chest-hold.svg",
    )
    hold_alt = models.CharField(
        "hold drawing: alt text",
        max_length=300,
        help_text="The position held, in words, for people who cannot see the drawing.",
    )

    objects = StretchQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "stretches"

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("routines:stretch_detail", args=[self.slug])

    @property
    def step_list(self) -> list[str]:
        return lines(self.steps)

    @property
    def caution_list(self) -> list[str]:
        return lines(self.cautions)

    @property
    def default_hold_seconds(self) -> int:
        return self.hold_min_seconds

    @property
    def default_repeats(self) -> int:
        return self.repeats_min


# The guide page whose list is the warning signs, from the red-flag rules.
WARNING_SIGNS_PAGE = "when-to-seek-care"


class GuidePage(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.CharField(max_length=250, help_text="One line for the guide index.")
    intro = models.TextField(blank=True)
    outro = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("routines:guide_page", args=[self.slug])


class GuideItem(models.Model):
    """One point of a guide page. The warning signs on the when-to-seek-care page are not
    items: that page lists the red-flag rules themselves (safety.rules)."""

    page = models.ForeignKey(GuidePage, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["page", "order"]
        constraints = [
            models.UniqueConstraint(fields=["page", "order"], name="guide_item_unique_order")
        ]

    def __str__(self) -> str:
        return self.heading


class RoutineQuerySet(models.QuerySet):
    def starters(self) -> "RoutineQuerySet":
        return self.filter(owner__isnull=True)

    def with_steps(self) -> "RoutineQuerySet":
        """Each routine's steps, in order, with their stretch: one query for all."""
        steps = RoutineStep.objects.select_related("stretch").order_by("position", "pk")
        return self.prefetch_related(models.Prefetch("steps", queryset=steps))

    def visible_to(self, user) -> "RoutineQuerySet":
        if user.is_authenticated:
            return self.filter(models.Q(owner__isnull=True) | models.Q(owner=user))
        return self.starters()


class Routine(models.Model):
    """A stretch session: a starter (no owner) or a person's own."""

    uid = models.UUIDField(
        default=uuid.uuid4, editable=False, help_text="Stable id for export/import."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routines",
    )
    slug = models.SlugField(
        unique=True, null=True, blank=True, help_text="Stable key of a starter session."
    )
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Deleted, kept a day for undo (accounts.deletion); every ordinary query skips it.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveManager.from_queryset(RoutineQuerySet)()
    all_objects = RoutineQuerySet.as_manager()  # deleted ones too: undo and purge only

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["owner", "name"], name="routine_owner_name"),
            models.Index(
                fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="routine_deleted"
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["owner", "uid"], name="routine_owner_uid")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_starter(self) -> bool:
        return self.owner_id is None

    def ordered_steps(self) -> list["RoutineStep"]:
        return list(self.steps.select_related("stretch").order_by("position", "pk"))

    def get_absolute_url(self) -> str:
        return reverse("routines:routine_detail", args=[self.pk])


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    stretch = models.ForeignKey(Stretch, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    hold_seconds = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(HOLD_LIMITS[0]), MaxValueValidator(HOLD_LIMITS[1])]
    )
    repeats = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(REPEAT_LIMITS[0]), MaxValueValidator(REPEAT_LIMITS[1])]
    )

    class Meta:
        ordering = ["routine", "position"]
        indexes = [models.Index(fields=["routine", "position"], name="step_routine_position")]

    def __str__(self) -> str:
        return f"{self.routine}: {self.stretch}"


def day_bounds(start: date, end: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """Aware datetimes from the start of ``start`` to the end of ``end`` in ``zone``."""
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


class PracticeQuerySet(models.QuerySet):
    def for_owner(self, user) -> "PracticeQuerySet":
        return self.filter(owner=user)

    def in_period(self, start: date, end: date, zone: zoneinfo.ZoneInfo) -> "PracticeQuerySet":
        """Practices started on the local dates ``start`` to ``end`` (both included)."""
        low, high = day_bounds(start, end, zone)
        return self.filter(started_at__gte=low, started_at__lt=high)


class Practice(models.Model):
    """One playing of a routine by a signed-in person, with pain before and after."""

    class StopReason(models.TextChoices):
        SHARP = "sharp", "Sharp pain"
        RADIATING = "radiating", "Pain spreading down a leg"
        TOO_SORE = "too_sore", "Just too sore"

    uid = models.UUIDField(
        default=uuid.uuid4, editable=False, help_text="Stable id for export/import."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practices"
    )
    routine = models.ForeignKey(
        Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="practices"
    )
    routine_name = models.CharField(max_length=100, help_text="Kept if the routine is deleted.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    pain_before = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(PAIN_MAX)]
    )
    pain_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(PAIN_MAX)]
    )
    steps_completed = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(max_length=2000, blank=True)
    # The pain log entry of the safety check (pain before and the warning answers).
    pain_entry = models.ForeignKey(
        "symptoms.PainEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-started_at"], name="practice_owner_started")]
        constraints = [models.UniqueConstraint(fields=["owner", "uid"], name="practice_owner_uid")]

    def __str__(self) -> str:
        return f"{self.routine_name} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def started_text(self) -> str:
        """ "3 Mar 2026, 09:05" in the active time zone (an f-string: the history lists 20
        and the date filter costs ten times more)."""
        return day_month_year_time(timezone.localtime(self.started_at))

    @property
    def started_iso(self) -> str:
        return f"{timezone.localtime(self.started_at):%Y-%m-%dT%H:%M:%S%z}"

    @property
    def pain_change(self) -> int | None:
        if self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def improved(self) -> bool:
        """Pain fell by a meaningful amount (2 points or more) over the practice."""
        return is_meaningful_drop(self.pain_change)
