"""The session player: safety check, one page per stretch, finish or stop.

Signed in, a practice is saved with pain before and after; signed out ("guest") the
session plays the same, and nothing is saved.
"""

import functools
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from routines import offline, services, timing
from routines.forms import FinishForm, SafetyCheckForm, StopForm
from routines.models import Practice, Routine
from routines.step_rows import StepRow, step_rows
from safety.forms import checked_options
from safety.pain import is_meaningful_drop
from safety.red_flags import check_answers
from safety.signs import SIGN_CODES
from symptoms import episode_flags
from symptoms import services as symptom_services
from symptoms.models import PainEntry

GUEST = offline.GUEST


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
    routine = get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)
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


def _open_play(view):
    """Pass the view the Play of a practice still open; a saved one goes to the history."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, pk: int, token: str, **kwargs) -> HttpResponse:
        try:
            play = _play(request, pk, token)
        except PracticeClosed:
            return _closed(request)
        return view(request, play, **kwargs)

    return wrapped


def _open_immediate_flags(request: HttpRequest) -> list:
    """The signed-in person's active immediate flags from their pain log."""
    if not request.user.is_authenticated:
        return []
    flags = episode_flags.for_episode(symptom_services.open_episode(request.user))
    return [f for f in flags if f.is_active and f.is_immediate]


@require_http_methods(["GET", "HEAD", "POST"])
def play_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The safety check. Signed in, its answers are an entry of the pain log ("before a
    session"); if the person logged in the last 30 minutes, that entry is shown and can
    be used as it is, or the form starts from its answers so only what changed is asked."""
    routine = get_object_or_404(Routine.objects.visible_to(request.user), pk=pk)
    steps = routine.ordered_steps()
    context = {"nav": "routines", "routine": routine, "steps": steps}
    if not steps:
        return render(request, "routines/play_start.html", context, status=400)
    open_warnings = _open_immediate_flags(request)
    if open_warnings:
        # An emergency warning from the pain log is still open: no session now.
        context.update(flags=open_warnings, from_log=True, flags_on_page=True)
        return render(request, "routines/play_flags.html", context)
    signed_in = request.user.is_authenticated
    recent = symptom_services.recent_entry(request.user) if signed_in else None
    context["recent"] = recent
    if request.method != "POST":
        context["form"] = SafetyCheckForm(initial=_answers_of(recent))
        return render(request, "routines/play_start.html", context)
    if recent is not None and request.POST.get("use_entry") == str(recent.pk):
        return _start_with(request, routine, steps, recent, context)
    form = SafetyCheckForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "routines/play_start.html", context, status=400)
    pain = form.cleaned_data["pain_before"]
    if signed_in:
        entry = services.log_safety_check(owner=request.user, pain=pain, answers=form.answers())
        return _start_with(request, routine, steps, entry, context)
    flags = check_answers(form.to_signs(timezone.localdate(), pain))
    if flags:
        # A warning sign: the session does not start; nothing is saved.
        context.update(flags=flags, flags_on_page=True)
        return render(request, "routines/play_flags.html", context)
    url = reverse("routines:play_step", args=[routine.pk, GUEST, 1])
    return redirect(f"{url}?before={pain}")


def _answers_of(entry: PainEntry | None) -> dict:
    """A recent entry's pain and warning answers, as the safety check's starting point."""
    if entry is None:
        return {}
    answers = {code: getattr(entry, code) for code in SIGN_CODES}
    return {"pain_before": entry.pain, "warning_signs": checked_options(answers)}


def _start_with(
    request: HttpRequest, routine: Routine, steps: list, entry: PainEntry, context: dict
) -> HttpResponse:
    """Start a practice from a pain log entry; a warning sign in its answers stops it (the
    entry stays in the log, where its warning is listed like any other)."""
    flags = check_answers(entry.checker_signs())
    if flags:
        episode_flags.note_alert_shown(episode=entry.episode, flags=flags)
        context.update(flags=flags, flags_on_page=True, entry=entry)
        return render(request, "routines/play_flags.html", context)
    practice = services.start_practice(
        routine=routine,
        owner=request.user,
        pain_before=entry.pain,
        steps_total=len(steps),
        pain_entry=entry,
    )
    return redirect("routines:play_step", pk=routine.pk, token=str(practice.uid), number=1)


def _player_data(play: Play, rows: list[StepRow]) -> dict:
    steps = []
    for number, row in enumerate(rows, start=1):
        stretch = row.step.stretch
        steps.append(
            {
                "name": stretch.name,
                "startImage": static(stretch.start_illustration),
                "startAlt": stretch.start_alt,
                "holdImage": static(stretch.hold_illustration),
                "holdAlt": stretch.hold_alt,
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
        # Where the timer keeps its place on the device: one key per practice.
        "placeKey": f"guest-{play.routine.pk}" if play.is_guest else play.token,
        "finishUrl": play.url("play_finish"),
        "stopUrl": play.url("play_stop"),
    }


@require_safe
@_open_play
def play_step(request: HttpRequest, play: Play, number: int) -> HttpResponse:
    rows = step_rows(play.routine.ordered_steps())
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


def _ending(
    request: HttpRequest, play: Play, form_class, template: str, *, all_done: bool
) -> tuple[forms.Form | None, HttpResponse | None]:
    """The finish or stop form: (the valid form, None) after a good POST, else (None,
    the page to show). Its hidden step count starts from the player's ?completed=N."""
    context = {"nav": "routines", "play": play, "routine": play.routine}
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            return form, None
        return None, render(request, template, {**context, "form": form}, status=400)
    total = play.practice.steps_total if play.practice else play.routine.steps.count()
    completed = _completed_initial(request, total, total if all_done else 0)
    form = form_class(initial={"steps_completed": completed})
    return None, render(request, template, {**context, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@_open_play
def play_finish(request: HttpRequest, play: Play) -> HttpResponse:
    form, page = _ending(request, play, FinishForm, "routines/play_finish.html", all_done=True)
    if form is None:
        return page
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
        "improved": is_meaningful_drop(change),
    }
    return render(request, "routines/play_done.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@_open_play
def play_stop(request: HttpRequest, play: Play) -> HttpResponse:
    form, page = _ending(request, play, StopForm, "routines/play_stop.html", all_done=False)
    if form is None:
        return page
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
