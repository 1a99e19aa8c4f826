"""Session timing rules: pure functions, no request and no ORM.

The session page's estimate and the player's timeline come from the same plan, so
the time a person is promised is the time the player takes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from routines.models import ADVISED_HOLD, ADVISED_REPEATS, HOLD_LIMITS, REPEAT_LIMITS

# Seconds to get into position before each stretch.
GET_READY_SECONDS = 10
# Seconds to relax between two holds on the same side.
REST_SECONDS = 10
# Seconds to change sides on a per-side stretch.
SWITCH_SECONDS = 10

# The order of a per-side stretch, in words (the stretch page and the player say it).
ORDER_TEXT = "Each repeat is the first side, then the other side."

PhaseKind = Literal["get_ready", "hold", "rest", "switch"]


@dataclass(frozen=True, slots=True)
class StepTiming:
    """What the timing rules need to know about one step."""

    hold_seconds: int
    repeats: int
    per_side: bool = False
    advised_hold: tuple[int, int] = ADVISED_HOLD
    advised_repeats: tuple[int, int] = ADVISED_REPEATS

    @property
    def sides(self) -> int:
        return 2 if self.per_side else 1

    @property
    def holds(self) -> int:
        """Holds in this step: every repeat, on every side."""
        return self.repeats * self.sides


@dataclass(frozen=True, slots=True)
class Phase:
    kind: PhaseKind
    seconds: int
    step: int  # 0-based index of the step in the routine
    repeat: int = 0  # 1-based repeat number during a hold, else 0
    repeats: int = 0
    side: int = 0  # 1 or 2 on a per-side stretch, else 0

    def as_dict(self) -> dict[str, int | str]:
        return {
            "kind": self.kind,
            "seconds": self.seconds,
            "step": self.step,
            "repeat": self.repeat,
            "repeats": self.repeats,
            "side": self.side,
        }


def check_hold(seconds: int) -> None:
    """Raise ValueError when a hold is outside what the builder accepts."""
    if not HOLD_LIMITS[0] <= seconds <= HOLD_LIMITS[1]:
        raise ValueError(f"Hold must be {HOLD_LIMITS[0]}-{HOLD_LIMITS[1]} seconds, not {seconds}.")


def check_repeats(repeats: int) -> None:
    if not REPEAT_LIMITS[0] <= repeats <= REPEAT_LIMITS[1]:
        raise ValueError(f"Repeats must be {REPEAT_LIMITS[0]}-{REPEAT_LIMITS[1]}, not {repeats}.")


def step_phases(step: StepTiming, index: int) -> list[Phase]:
    """Get ready, then every hold, with a rest between repeats.

    On a per-side stretch each repeat is side 1 then side 2 ("left leg, then right leg:
    that is one repeat"): a switch between the two sides of a repeat, a rest before the
    next repeat starts again on side 1. The stretch page, the player and the spoken
    prompts all describe this order (ORDER_TEXT).
    """
    check_hold(step.hold_seconds)
    check_repeats(step.repeats)
    phases = [Phase("get_ready", GET_READY_SECONDS, index)]
    for repeat in range(1, step.repeats + 1):
        for side in range(1, step.sides + 1):
            on_side = side if step.per_side else 0
            if side > 1:
                phases.append(Phase("switch", SWITCH_SECONDS, index, side=side))
            elif repeat > 1:
                phases.append(Phase("rest", REST_SECONDS, index, side=on_side))
            phases.append(
                Phase(
                    "hold",
                    step.hold_seconds,
                    index,
                    repeat=repeat,
                    repeats=step.repeats,
                    side=on_side,
                )
            )
    return phases


def plan(steps: Sequence[StepTiming]) -> list[Phase]:
    """The whole session as a list of timed phases, in order."""
    phases: list[Phase] = []
    for index, step in enumerate(steps):
        phases.extend(step_phases(step, index))
    return phases


def step_seconds(step: StepTiming) -> int:
    """Seconds one step takes: get ready + holds × repeats × sides + rests and switches."""
    return sum(phase.seconds for phase in step_phases(step, 0))


def estimate_seconds(steps: Iterable[StepTiming]) -> int:
    return sum(step_seconds(step) for step in steps)


def remaining_seconds(steps: Sequence[StepTiming], *, from_step: int) -> int:
    """Seconds left when starting step `from_step` (0-based)."""
    return estimate_seconds(steps[from_step:])


def minutes_text(seconds: int) -> str:
    """Round to whole minutes for display ("about 6 minutes"), never "0 minutes"."""
    if seconds <= 0:
        return "0 minutes"
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def duration_text(seconds: int) -> str:
    """Exact "m:ss" for a countdown or a time left."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def advice_notes(step: StepTiming) -> list[str]:
    """Plain notes for a hold or repeat count outside the guide's advice (not an error)."""
    notes = []
    low, high = step.advised_hold
    if step.hold_seconds < low:
        notes.append(f"Shorter than the advised {low}–{high} second hold.")
    elif step.hold_seconds > high:
        notes.append(f"Longer than the advised {low}–{high} second hold: ease off if it hurts.")
    low, high = step.advised_repeats
    if step.repeats < low:
        notes.append(f"Fewer than the advised {low}–{high} repeats.")
    elif step.repeats > high:
        notes.append(f"More than the advised {low}–{high} repeats: stop if you tire or it hurts.")
    return notes


def hold_text(step: StepTiming) -> str:
    """The hold written out, e.g. for the no-JavaScript player."""
    times = "once" if step.repeats == 1 else f"{step.repeats} times"
    text = f"Hold for {step.hold_seconds} seconds, {times}"
    if step.per_side:
        text += " on each side"
    if step.holds > 1:
        text += f", resting {REST_SECONDS} seconds between holds"
    text += "."
    if step.per_side:
        text += " " + ORDER_TEXT
    return text
