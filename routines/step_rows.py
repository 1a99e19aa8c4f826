"""A session's steps as rows for the session page, the builder and the player."""

from dataclasses import dataclass

from routines import services, timing
from routines.forms import StepForm
from routines.models import RoutineStep


@dataclass
class StepRow:
    step: RoutineStep
    timing: timing.StepTiming
    seconds: int
    notes: list[str]
    form: StepForm | None = None

    @property
    def hold_text(self) -> str:
        return timing.hold_text(self.timing)


def step_rows(
    steps: list[RoutineStep], *, forms: dict[int, StepForm] | None = None
) -> list[StepRow]:
    rows = []
    for step, step_timing in zip(steps, services.step_timings(steps), strict=True):
        form = None
        if forms is not None:
            form = forms.get(step.pk) or StepForm(
                prefix=f"step-{step.pk}",
                initial={"hold_seconds": step.hold_seconds, "repeats": step.repeats},
            )
        rows.append(
            StepRow(
                step=step,
                timing=step_timing,
                seconds=timing.step_seconds(step_timing),
                notes=timing.advice_notes(step_timing),
                form=form,
            )
        )
    return rows
