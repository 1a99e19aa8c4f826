"""Sessions (Routine) and the session builder: list, create, edit, steps, copy, delete."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.deletion import UNDO_MINUTES, undo_until
from routines import offline, services, timing
from routines.forms import AddStepForm, RoutineForm, StepForm
from routines.models import Routine, RoutineStep
from routines.step_rows import step_rows


@require_safe
def routine_list(request: HttpRequest) -> HttpResponse:
    routines = list(Routine.objects.visible_to(request.user).with_steps().order_by("name", "pk"))
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
        "undo_items": _undo_items(request),
    }
    return render(request, "routines/routine_list.html", context)


def _undo_items(request: HttpRequest) -> list[dict]:
    """Sessions deleted in the last few minutes, each with its Undo."""
    if not request.user.is_authenticated:
        return []
    return [
        {
            "what": f"The session “{routine.name}”",
            "url": reverse("routines:routine_restore", args=[routine.pk]),
            "until": undo_until(routine.deleted_at),
        }
        for routine in services.deleted_routines(request.user, timezone.now())
    ]


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
    routine = get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)
    rows = step_rows(routine.ordered_steps())
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
    if rows and routine.owner_id is not None and routine.owner_id == request.user.pk:
        # "Keep this session on this phone" (static/js/offline.js): the player's pages.
        context["keep_urls"] = json.dumps(offline.player_urls(routine.pk, len(rows)))
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
    rows = step_rows(routine.ordered_steps(), forms=step_forms or {})
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
    routine = get_object_or_404(Routine, pk=pk, owner=request.user)
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
    routine = get_object_or_404(Routine, pk=pk, owner=request.user)
    if request.method == "POST":
        services.delete_routine(routine=routine)
        messages.success(request, f"Session “{routine.name}” deleted. You can undo this below.")
        return redirect("routines:routine_list")
    return render(
        request,
        "routines/routine_confirm_delete.html",
        {"routine": routine, "nav": "routines", "undo_minutes": UNDO_MINUTES},
    )


@login_required
@require_POST
def routine_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo: bring back a session deleted a few minutes ago, exactly as it was."""
    routine = get_object_or_404(
        Routine.all_objects, pk=pk, owner=request.user, deleted_at__isnull=False
    )
    try:
        services.restore_routine(routine=routine)
    except services.UndoClosed:
        context = {
            "nav": "routines",
            "what": f"The session “{routine.name}”",
            "minutes": UNDO_MINUTES,
            "back_url": reverse("routines:routine_list"),
            "back_text": "Back to your sessions",
        }
        return render(request, "undo_closed.html", context, status=410)
    messages.success(request, f"Session “{routine.name}” is back.")
    return redirect("routines:routine_list")


@login_required
@require_POST
def routine_copy(request: HttpRequest, pk: int) -> HttpResponse:
    routine = get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)
    copy = services.copy_routine(routine=routine, owner=request.user)
    messages.success(request, f"“{copy.name}” is now in your sessions. Change it as you like.")
    return redirect("routines:routine_edit", pk=copy.pk)


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    routine = get_object_or_404(Routine, pk=pk, owner=request.user)
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
    routine = get_object_or_404(Routine, pk=pk, owner=request.user)
    try:
        step_ids = [int(part) for part in request.POST.get("order", "").split(",")]
        services.reorder_steps(routine=routine, step_ids=step_ids)
    except ValueError:
        messages.error(request, "The stretches could not be put in that order. Nothing changed.")
        return _render_edit(request, routine, status=400)
    messages.success(request, "New order saved.")
    return redirect(reverse("routines:routine_edit", args=[routine.pk]) + "#steps")
