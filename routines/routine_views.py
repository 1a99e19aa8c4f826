"""Sessions (Routine), the session builder, the session player and the practice log."""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from routines import services, timing
from routines.forms import AddStepForm, FinishForm, RoutineForm, SafetyCheckForm, StepForm, StopForm
from routines.models import Practice, Routine, RoutineStep
from symptoms.red_flags import check_answers

GUEST = "guest"
HISTORY_PAGE_SIZE = 20


# --- helpers -----------------------------------------------------------------------


def _steps(routine: Routine) -> list[RoutineStep]:
    return list(routine.steps.select_related("stretch").order_by("position", "pk"))


def _steps_prefetch() -> Prefetch:
    return Prefetch(
        "steps",
        queryset=RoutineStep.objects.select_related("stretch").order_by("position", "pk"),
    )


@dataclass
class StepRow:
    step: RoutineStep
    timing: timing.StepTiming
    seconds: int
    notes: list[str]
    form: StepForm | None = None

    @property
    def hold_text(self) -> str:
        return hold_text(self.timing)


def hold_text(step: timing.StepTiming) -> str:
    """The hold written out, e.g. for the no-JavaScript player."""
    times = "once" if step.repeats == 1 else f"{step.repeats} times"
    text = f"Hold for {step.hold_seconds} seconds, {times}"
    if step.per_side:
        text += " on each side"
    if step.holds > 1:
        text += f", resting {timing.REST_SECONDS} seconds between holds"
    return text + "."


def _rows(steps: list[RoutineStep], *, forms: dict[int, StepForm] | None = None) -> list[StepRow]:
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


def _visible_routine(request: HttpRequest, pk: int) -> Routine:
    return get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)


def _own_routine(request: HttpRequest, pk: int) -> Routine:
    return get_object_or_404(Routine, pk=pk, owner=request.user)


# --- sessions and the builder ----------------------------------------------------------


@require_safe
def routine_list(request: HttpRequest) -> HttpResponse:
    routines = list(
        Routine.objects.visible_to(request.user)
        .prefetch_related(_steps_prefetch())
        .order_by("name", "pk")
    )
    for routine in routines:
        steps = list(routine.steps.all())
        routine.step_count = len(steps)
        routine.estimate = timing.minutes_text(
            timing.estimate_seconds(services.step_timings(steps))
        )
    context = {
        "nav": "routines",
        "starters": [r for r in routines if r.is_starter],
        "own": [r for r in routines if not r.is_starter],
    }
    return render(request, "routines/routine_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def routine_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RoutineForm(request.POST)
        if form.is_valid():
            routine = form.save(commit=False)
            routine.owner = request.user
            routine.save()
            messages.success(request, "Session created. Now add some stretches.")
            return redirect("routines:routine_edit", pk=routine.pk)
        return render(
            request, "routines/routine_form.html", {"form": form, "nav": "routines"}, status=400
        )
    form = RoutineForm()
    return render(request, "routines/routine_form.html", {"form": form, "nav": "routines"})


@require_safe
def routine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _visible_routine(request, pk)
    rows = _rows(_steps(routine))
    total = sum(row.seconds for row in rows)
    context = {
        "nav": "routines",
        "routine": routine,
        "rows": rows,
        "total_text": timing.minutes_text(total),
        "total_seconds": total,
        "can_edit": routine.owner_id is not None and routine.owner_id == request.user.pk,
        "get_ready_seconds": timing.GET_READY_SECONDS,
        "rest_seconds": timing.REST_SECONDS,
    }
    return render(request, "routines/routine_detail.html", context)


def _render_edit(
    request: HttpRequest,
    routine: Routine,
    *,
    details_form: RoutineForm | None = None,
    step_forms: dict[int, StepForm] | None = None,
    add_form: AddStepForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = _rows(_steps(routine), forms=step_forms or {})
    total = sum(row.seconds for row in rows)
    context = {
        "nav": "routines",
        "routine": routine,
        "rows": rows,
        "details_form": details_form or RoutineForm(instance=routine),
        "add_form": add_form or AddStepForm(),
        "total_text": timing.minutes_text(total),
        "max_steps": services.MAX_STEPS,
    }
    return render(request, "routines/routine_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def routine_edit(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _own_routine(request, pk)
    if request.method == "POST":
        form = RoutineForm(request.POST, instance=routine)
        if form.is_valid():
            form.save()
            messages.success(request, "Name and description saved.")
            return redirect("routines:routine_edit", pk=routine.pk)
        # Keep the saved name in the heading, not the rejected one.
        routine.refresh_from_db()
        return _render_edit(request, routine, details_form=form, status=400)
    return _render_edit(request, routine)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def routine_delete(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _own_routine(request, pk)
    if request.method == "POST":
        name = routine.name
        routine.delete()
        messages.success(request, f"Session “{name}” deleted. Your practice history keeps it.")
        return redirect("routines:routine_list")
    return render(
        request, "routines/routine_confirm_delete.html", {"routine": routine, "nav": "routines"}
    )


@login_required
@require_POST
def routine_copy(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _visible_routine(request, pk)
    copy = services.copy_routine(routine=routine, owner=request.user)
    messages.success(request, f"“{copy.name}” is now in your sessions. Change it as you like.")
    return redirect("routines:routine_edit", pk=copy.pk)


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _own_routine(request, pk)
    form = AddStepForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_step(
                routine=routine,
                stretch=data["stretch"],
                hold_seconds=data["hold_seconds"],
                repeats=data["repeats"],
            )
        except services.StepLimitReached as error:
            form.add_error("stretch", str(error))
        else:
            messages.success(request, f"{data['stretch'].name} added.")
            return redirect(reverse("routines:routine_edit", args=[routine.pk]) + "#steps")
    return _render_edit(request, routine, add_form=form, status=400)


@login_required
@require_POST
def step_change(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """One step's form: save hold and repeats, move up, move down or remove."""
    step = get_object_or_404(
        RoutineStep.objects.select_related("routine", "stretch"),
        pk=step_pk,
        routine__pk=pk,
        routine__owner=request.user,
    )
    routine = step.routine
    action = request.POST.get("action", "save")
    edit_url = reverse("routines:routine_edit", args=[routine.pk]) + f"#step-{step.pk}"
    if action == "save":
        form = StepForm(request.POST, prefix=f"step-{step.pk}")
        if not form.is_valid():
            return _render_edit(request, routine, step_forms={step.pk: form}, status=400)
        services.update_step(step=step, **form.cleaned_data)
        messages.success(request, f"{step.stretch.name}: saved.")
    elif action in ("up", "down"):
        services.move_step(step=step, direction=action)
        messages.success(request, f"{step.stretch.name} moved {action}.")
    elif action == "remove":
        services.remove_step(step=step)
        messages.success(request, f"{step.stretch.name} removed.")
        edit_url = reverse("routines:routine_edit", args=[routine.pk]) + "#steps"
    else:
        messages.error(request, "That change is not possible.")
        return _render_edit(request, routine, status=400)
    return redirect(edit_url)


@login_required
@require_POST
def step_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole new order at once (drag and drop, static/js/builder.js)."""
    routine = _own_routine(request, pk)
    try:
        step_ids = [int(part) for part in request.POST.get("order", "").split(",")]
        services.reorder_steps(routine=routine, step_ids=step_ids)
    except ValueError:
        messages.error(request, "The stretches could not be put in that order. Nothing changed.")
        return _render_edit(request, routine, status=400)
    messages.success(request, "New order saved.")
    return redirect(reverse("routines:routine_edit", args=[routine.pk]) + "#steps")


# --- the player ---------------------------------------------------------------------


@dataclass
class Play:
    """Who is playing: a saved practice, or a signed-out guest (nothing saved)."""

    routine: Routine
    token: str
    practice: Practice | None
    pain_before: int | None

    @property
    def is_guest(self) -> bool:
        return self.practice is None

    def url(self, name: str, *args) -> str:
        url = reverse(f"routines:{name}", args=[self.routine.pk, self.token, *args])
        if self.is_guest and self.pain_before is not None:
            url += f"?before={self.pain_before}"
        return url

    def with_query(self, url: str, **params: int | str) -> str:
        sep = "&" if "?" in url else "?"
        return url + sep + "&".join(f"{k}={v}" for k, v in params.items())


def _int_param(request: HttpRequest, name: str, low: int, high: int) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


def _play(request: HttpRequest, pk: int, token: str, *, open_only: bool = True) -> Play:
    routine = _visible_routine(request, pk)
    if token == GUEST:
        return Play(routine, GUEST, None, _int_param(request, "before", 0, 10))
    try:
        uid = uuid.UUID(token)
    except ValueError:
        raise Http404("No such practice.") from None
    if not request.user.is_authenticated:
        raise Http404("No such practice.")
    practice = get_object_or_404(Practice, uid=uid, owner=request.user, routine=routine)
    if open_only and (practice.finished_at or practice.stopped_at):
        raise PracticeClosed(practice)
    return Play(routine, str(practice.uid), practice, practice.pain_before)


class PracticeClosed(Exception):
    def __init__(self, practice: Practice) -> None:
        self.practice = practice


def _closed(request: HttpRequest) -> HttpResponse:
    messages.info(request, "That practice is already saved. Start the session again to repeat it.")
    return redirect("routines:practice_list")


@require_http_methods(["GET", "HEAD", "POST"])
def play_start(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _visible_routine(request, pk)
    steps = _steps(routine)
    context = {"nav": "routines", "routine": routine, "steps": steps}
    if not steps:
        return render(request, "routines/play_start.html", context, status=400)
    if request.method != "POST":
        context["form"] = SafetyCheckForm()
        return render(request, "routines/play_start.html", context)
    form = SafetyCheckForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "routines/play_start.html", context, status=400)
    pain = form.cleaned_data["pain_before"]
    flags = check_answers(form.to_signs(timezone.localdate(), pain))
    if flags:
        # A warning sign: the session does not start; nothing is saved.
        context["flags"] = flags
        return render(request, "routines/play_flags.html", context)
    if request.user.is_authenticated:
        practice = services.start_practice(
            routine=routine, owner=request.user, pain_before=pain, steps_total=len(steps)
        )
        return redirect("routines:play_step", pk=routine.pk, token=str(practice.uid), number=1)
    url = reverse("routines:play_step", args=[routine.pk, GUEST, 1])
    return redirect(f"{url}?before={pain}")


def _player_data(play: Play, rows: list[StepRow]) -> dict:
    steps = []
    for number, row in enumerate(rows, start=1):
        stretch = row.step.stretch
        steps.append(
            {
                "name": stretch.name,
                "illustration": static(stretch.illustration) if stretch.illustration else "",
                "alt": stretch.illustration_alt,
                "instructions": stretch.step_list,
                "startingPosition": stretch.starting_position,
                "sideNote": stretch.side_note,
                "perSide": stretch.per_side,
                "hold": row.timing.hold_seconds,
                "repeats": row.timing.repeats,
                "holdText": row.hold_text,
                "url": play.url("play_step", number),
            }
        )
    return {
        "steps": steps,
        "phases": [p.as_dict() for p in timing.plan([row.timing for row in rows])],
        "finishUrl": play.url("play_finish"),
        "stopUrl": play.url("play_stop"),
    }


@require_safe
def play_step(request: HttpRequest, pk: int, token: str, number: int) -> HttpResponse:
    try:
        play = _play(request, pk, token)
    except PracticeClosed:
        return _closed(request)
    rows = _rows(_steps(play.routine))
    if not 1 <= number <= len(rows):
        raise Http404("No such step.")
    row = rows[number - 1]
    timings = [r.timing for r in rows]
    total = timing.estimate_seconds(timings)
    left = timing.remaining_seconds(timings, from_step=number - 1)
    next_url = (
        play.url("play_step", number + 1)
        if number < len(rows)
        else play.with_query(play.url("play_finish"), completed=len(rows))
    )
    context = {
        "nav": "routines",
        "play": play,
        "routine": play.routine,
        "row": row,
        "stretch": row.step.stretch,
        "number": number,
        "count": len(rows),
        "done_before": number - 1,
        "time_left": timing.duration_text(left),
        "time_left_minutes": timing.minutes_text(left),
        "total_seconds": total,
        "elapsed_seconds": total - left,
        "get_ready_seconds": timing.GET_READY_SECONDS,
        "switch_seconds": timing.SWITCH_SECONDS,
        "previous_url": play.url("play_step", number - 1) if number > 1 else None,
        "next_url": next_url,
        "stop_url": play.with_query(play.url("play_stop"), completed=number - 1),
        "player": _player_data(play, rows),
    }
    return render(request, "routines/play_step.html", context)


def _completed_initial(request: HttpRequest, total: int, default: int) -> int:
    value = _int_param(request, "completed", 0, total)
    return default if value is None else value


@require_http_methods(["GET", "HEAD", "POST"])
def play_finish(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        play = _play(request, pk, token)
    except PracticeClosed:
        return _closed(request)
    total = play.practice.steps_total if play.practice else play.routine.steps.count()
    context = {"nav": "routines", "play": play, "routine": play.routine}
    if request.method == "POST":
        form = FinishForm(request.POST)
        context["form"] = form
        if not form.is_valid():
            return render(request, "routines/play_finish.html", context, status=400)
        data = form.cleaned_data
        if play.is_guest:
            query = f"after={data['pain_after']}"
            if play.pain_before is not None:
                query += f"&before={play.pain_before}"
            done = reverse("routines:play_done", args=[play.routine.pk, GUEST])
            return redirect(f"{done}?{query}")
        services.finish_practice(
            practice=play.practice,
            pain_after=data["pain_after"],
            note=data["note"],
            steps_completed=data["steps_completed"],
        )
        return redirect("routines:play_done", pk=play.routine.pk, token=play.token)
    context["form"] = FinishForm(
        initial={"steps_completed": _completed_initial(request, total, total)}
    )
    return render(request, "routines/play_finish.html", context)


@require_safe
def play_done(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    play = _play(request, pk, token, open_only=False)
    if play.practice:
        if not play.practice.finished_at:
            raise Http404("This practice is not finished.")
        before, after = play.practice.pain_before, play.practice.pain_after
    else:
        before, after = play.pain_before, _int_param(request, "after", 0, 10)
    change = after - before if after is not None and before is not None else None
    context = {
        "nav": "routines",
        "play": play,
        "routine": play.routine,
        "practice": play.practice,
        "pain_before": before,
        "pain_after": after,
        "change": change,
        "improved": services.is_meaningful_improvement(change),
    }
    return render(request, "routines/play_done.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def play_stop(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        play = _play(request, pk, token)
    except PracticeClosed:
        return _closed(request)
    total = play.practice.steps_total if play.practice else play.routine.steps.count()
    context = {"nav": "routines", "play": play, "routine": play.routine}
    if request.method == "POST":
        form = StopForm(request.POST)
        context["form"] = form
        if not form.is_valid():
            return render(request, "routines/play_stop.html", context, status=400)
        data = form.cleaned_data
        if play.is_guest:
            stopped = reverse("routines:play_stopped", args=[play.routine.pk, GUEST])
            return redirect(f"{stopped}?reason={data['reason']}")
        services.stop_practice(
            practice=play.practice,
            reason=data["reason"],
            steps_completed=data["steps_completed"] or 0,
            pain_after=data["pain_after"],
        )
        return redirect("routines:play_stopped", pk=play.routine.pk, token=play.token)
    context["form"] = StopForm(initial={"steps_completed": _completed_initial(request, total, 0)})
    return render(request, "routines/play_stop.html", context)


@require_safe
def play_stopped(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    play = _play(request, pk, token, open_only=False)
    if play.practice:
        if not play.practice.stopped_at:
            raise Http404("This practice was not stopped.")
        reason = play.practice.stop_reason
    else:
        reason = request.GET.get("reason", "")
        if reason not in Practice.StopReason.values:
            reason = ""
    context = {
        "nav": "routines",
        "play": play,
        "routine": play.routine,
        "reason": reason,
        "seek_care": reason in (Practice.StopReason.SHARP, Practice.StopReason.RADIATING),
    }
    return render(request, "routines/play_stopped.html", context)


# --- the practice log -----------------------------------------------------------------


@login_required
@require_safe
def practice_list(request: HttpRequest) -> HttpResponse:
    practices = Practice.objects.filter(owner=request.user).only(
        "pk",
        "routine_id",
        "routine_name",
        "started_at",
        "finished_at",
        "stopped_at",
        "stop_reason",
        "pain_before",
        "pain_after",
        "steps_completed",
        "steps_total",
        "note",
    )
    page = Paginator(practices, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for practice in page.object_list:
        practice.improved = services.is_meaningful_improvement(practice.pain_change)
    return render(request, "routines/practice_list.html", {"nav": "routines", "page": page})
