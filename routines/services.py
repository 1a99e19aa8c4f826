"""Cross-model writes for sessions and practices, each in one transaction."""

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.utils import timezone

from accounts import deletion
from routines import timing
from routines.models import Practice, Routine, RoutineStep, Stretch
from safety.signs import Answer
from symptoms import services as symptom_services
from symptoms.models import PainEntry

MAX_STEPS = 20


class StepLimitReached(Exception):
    pass


def step_timings(steps) -> list[timing.StepTiming]:
    """Timing inputs for steps loaded with their stretch (select_related)."""
    return [
        timing.StepTiming(
            hold_seconds=step.hold_seconds,
            repeats=step.repeats,
            per_side=step.stretch.per_side,
            advised_hold=(step.stretch.hold_min_seconds, step.stretch.hold_max_seconds),
            advised_repeats=(step.stretch.repeats_min, step.stretch.repeats_max),
        )
        for step in steps
    ]


@transaction.atomic
def delete_routine(*, routine: Routine, now: datetime | None = None) -> None:
    """Delete a session, with undo (accounts.deletion): marked deleted, its steps,
    practices and reminders kept as they are. This person's sessions deleted over a
    day ago go now."""
    now = now or timezone.now()
    purge_deleted(now, owner=routine.owner_id)
    Routine.all_objects.filter(pk=routine.pk).update(deleted_at=now)


def deleted_routines(owner, now: datetime) -> list[Routine]:
    """The person's sessions that Undo can still bring back, newest deletion first."""
    return list(
        Routine.all_objects.filter(owner=owner, deleted_at__gt=now - deletion.UNDO_WINDOW).order_by(
            "-deleted_at", "-pk"
        )[:5]
    )


class UndoClosed(Exception):
    """Undo came too late: the session stays deleted."""


def restore_routine(*, routine: Routine, now: datetime | None = None) -> Routine:
    """Undo a deletion: the same session comes back unchanged, with its steps, its
    place in the practice history and its reminders."""
    now = now or timezone.now()
    if not deletion.undo_open(routine.deleted_at, now):
        raise UndoClosed
    Routine.all_objects.filter(pk=routine.pk).update(deleted_at=None)
    return Routine.objects.get(pk=routine.pk)


def purge_deleted(now: datetime | None = None, *, owner: int | None = None) -> int:
    """Remove for good the sessions deleted over a day ago (their steps and reminders
    with them; the practice history keeps the name). Returns the rows removed."""
    routines = Routine.all_objects.filter(
        deleted_at__lt=deletion.purge_before(now or timezone.now())
    )
    if owner is not None:
        routines = routines.filter(owner_id=owner)
    return routines.delete()[0]


def purge_everything_deleted(now: datetime | None = None) -> int:
    """Every kind of deleted row over a day old: pain entries, episodes, sessions.
    ``manage.py purge_deleted`` runs it, and the reminder scheduler once an hour."""
    return symptom_services.purge_deleted(now) + purge_deleted(now)


def _lock(routine: Routine) -> None:
    """Serialise changes to one session's steps (its row is locked until commit)."""
    Routine.objects.select_for_update().filter(pk=routine.pk).first()


def _touch(routine: Routine) -> None:
    Routine.objects.filter(pk=routine.pk).update(updated_at=timezone.now())


@transaction.atomic
def copy_routine(*, routine: Routine, owner) -> Routine:
    """A person's own editable copy of a starter (or of one of their sessions)."""
    copy = Routine.objects.create(
        owner=owner,
        name=routine.name[: Routine._meta.get_field("name").max_length],
        description=routine.description,
    )
    RoutineStep.objects.bulk_create(
        RoutineStep(
            routine=copy,
            stretch_id=step.stretch_id,
            position=position,
            hold_seconds=step.hold_seconds,
            repeats=step.repeats,
        )
        for position, step in enumerate(routine.steps.order_by("position", "pk"), start=1)
    )
    return copy


@transaction.atomic
def add_step(
    *,
    routine: Routine,
    stretch: Stretch,
    hold_seconds: int | None = None,
    repeats: int | None = None,
) -> RoutineStep:
    """Add a stretch at the end; hold and repeats default to the stretch's advice."""
    hold_seconds = stretch.default_hold_seconds if hold_seconds is None else hold_seconds
    repeats = stretch.default_repeats if repeats is None else repeats
    timing.check_hold(hold_seconds)
    timing.check_repeats(repeats)
    # Lock the routine so two adds cannot take the same position.
    _lock(routine)
    positions = list(routine.steps.values_list("position", flat=True))
    if len(positions) >= MAX_STEPS:
        raise StepLimitReached(f"A session can have at most {MAX_STEPS} stretches.")
    step = RoutineStep.objects.create(
        routine=routine,
        stretch=stretch,
        position=max(positions, default=0) + 1,
        hold_seconds=hold_seconds,
        repeats=repeats,
    )
    _touch(routine)
    return step


@transaction.atomic
def update_step(*, step: RoutineStep, hold_seconds: int, repeats: int) -> RoutineStep:
    timing.check_hold(hold_seconds)
    timing.check_repeats(repeats)
    step.hold_seconds = hold_seconds
    step.repeats = repeats
    step.save(update_fields=["hold_seconds", "repeats"])
    _touch(step.routine)
    return step


def _renumber(routine: Routine, ordered: list[RoutineStep]) -> None:
    changed = []
    for position, step in enumerate(ordered, start=1):
        if step.position != position:
            step.position = position
            changed.append(step)
    if changed:
        RoutineStep.objects.bulk_update(changed, ["position"])


@transaction.atomic
def remove_step(*, step: RoutineStep) -> None:
    routine = step.routine
    _lock(routine)
    step.delete()
    _renumber(routine, list(routine.steps.order_by("position", "pk")))
    _touch(routine)


@transaction.atomic
def move_step(*, step: RoutineStep, direction: Literal["up", "down"]) -> None:
    """Swap a step with its neighbour; at either end nothing changes."""
    if direction not in ("up", "down"):
        raise ValueError(f"Unknown direction {direction!r}.")
    routine = step.routine
    _lock(routine)
    ordered = list(routine.steps.order_by("position", "pk"))
    index = next(i for i, s in enumerate(ordered) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(routine, ordered)
    _touch(routine)


@transaction.atomic
def reorder_steps(*, routine: Routine, step_ids: list[int]) -> None:
    """Put the steps in the given order; the ids must be exactly the routine's steps."""
    _lock(routine)
    steps = {step.pk: step for step in routine.steps.all()}
    if len(step_ids) != len(steps) or set(step_ids) != set(steps):
        raise ValueError("The new order must list every step of the session once.")
    _renumber(routine, [steps[pk] for pk in step_ids])
    _touch(routine)


def log_safety_check(*, owner, pain: int, answers: dict[str, Answer]) -> PainEntry:
    """The player's safety check as an entry of the pain log, marked "before a session":
    filed and checked like any entry (the caller reads its flags as for the log)."""
    entry = PainEntry(
        recorded_at=timezone.now().replace(microsecond=0),
        pain=pain,
        source=PainEntry.Source.SESSION,
        **answers,
    )
    return symptom_services.save_entry(owner=owner, entry=entry)


def start_practice(
    *,
    routine: Routine,
    owner,
    pain_before: int,
    steps_total: int,
    pain_entry: PainEntry | None = None,
) -> Practice:
    return Practice.objects.create(
        owner=owner,
        routine=routine,
        routine_name=routine.name,
        started_at=timezone.now(),
        pain_before=pain_before,
        steps_total=steps_total,
        pain_entry=pain_entry,
    )


def record_offline_practice(
    *, routine: Routine, owner, uid, pain_before: int, started_at: datetime
) -> Practice:
    """A practice started on the phone while offline, with the phone's id."""
    return Practice.objects.create(
        uid=uid,
        owner=owner,
        routine=routine,
        routine_name=routine.name,
        started_at=started_at,
        pain_before=pain_before,
        steps_total=routine.steps.count(),
    )


def _clamp(value: int, total: int) -> int:
    return max(0, min(int(value), total))


@transaction.atomic
def finish_practice(
    *,
    practice: Practice,
    pain_after: int,
    note: str = "",
    steps_completed: int | None = None,
    now: datetime | None = None,
) -> Practice:
    practice.finished_at = now or timezone.now()
    practice.pain_after = pain_after
    practice.note = note
    total = practice.steps_total
    practice.steps_completed = total if steps_completed is None else _clamp(steps_completed, total)
    practice.save(update_fields=["finished_at", "pain_after", "note", "steps_completed"])
    return practice


@transaction.atomic
def stop_practice(
    *,
    practice: Practice,
    reason: str,
    steps_completed: int,
    pain_after: int | None = None,
    now: datetime | None = None,
) -> Practice:
    if reason not in Practice.StopReason.values:
        raise ValueError(f"Unknown stop reason {reason!r}.")
    practice.stopped_at = now or timezone.now()
    practice.stop_reason = reason
    practice.pain_after = pain_after
    practice.steps_completed = _clamp(steps_completed, practice.steps_total)
    practice.save(update_fields=["stopped_at", "stop_reason", "pain_after", "steps_completed"])
    return practice
