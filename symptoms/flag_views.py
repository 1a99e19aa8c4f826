"""What a person does about a flag: acknowledge it (with a confirmation step), undo that,
resolve an episode (which asks first while a warning is active), and undo that."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safety.rules import RULES, Urgency
from symptoms import episode_flags, services
from symptoms.forms import ResolveForm
from symptoms.models import Episode


def _open_episode(request: HttpRequest, pk: int) -> Episode:
    return get_object_or_404(Episode, pk=pk, owner=request.user, resolved_on__isnull=True)


@login_required
@require_http_methods(["GET", "POST"])
def flag_acknowledge(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A confirmation page that says what acknowledging means; the POST records it."""
    episode = _open_episode(request, pk)
    flag = next((f for f in episode_flags.for_episode(episode) if f.code == code), None)
    if flag is None:
        raise Http404("This warning sign is not listed in your open episode.")
    if request.method == "POST":
        episode_flags.acknowledge_flag(episode=episode, code=code)
        messages.success(
            request,
            f"Noted: “{flag.acknowledgement}”. If it happens again, or gets worse, "
            "SpasmCare will warn you again.",
        )
        return redirect("symptoms:entry_list")
    context = {"nav": "symptoms", "flags_on_page": True, "episode": episode, "flag": flag}
    return render(request, "symptoms/flag_acknowledge.html", context)


@login_required
@require_POST
def flag_undo(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Take back the latest acknowledgement: the warning is active again."""
    episode = _open_episode(request, pk)
    if code not in RULES or not episode_flags.undo_acknowledgement(episode=episode, code=code):
        raise Http404("There is no acknowledgement of this warning sign to undo.")
    messages.info(request, f"Undone: “{RULES[code].title}” is a warning to act on again.")
    return redirect("symptoms:entry_list")


@login_required
@require_http_methods(["GET", "POST"])
def episode_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an episode resolved on a chosen day. While an immediate or urgent warning is
    active, the page lists it with its call buttons before anything is changed."""
    episode = _open_episode(request, pk)
    earliest, today = services.resolution_days(episode, services.today_for(request.user))
    form = ResolveForm(
        request.POST if request.method == "POST" else None, earliest=earliest, latest=today
    )
    warnings = episode_flags.active_urgent(episode_flags.for_episode(episode))
    confirmed = request.POST.get("confirm") == "yes" or not warnings
    if request.method == "POST" and form.is_valid() and confirmed:
        services.resolve_episode(episode=episode, resolved_on=form.cleaned_data["resolved_on"])
        messages.success(
            request,
            "Glad it is better. The episode is marked resolved; your next entry starts a "
            "new one. Its warning signs stay listed on the episode's page.",
        )
        return redirect("symptoms:entry_list")
    context = {
        "nav": "symptoms",
        "flags_on_page": bool(warnings),
        "episode": episode,
        "form": form,
        "warnings": warnings,
        "immediate": any(f.urgency == Urgency.IMMEDIATE for f in warnings),
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "symptoms/episode_resolve.html", context, status=status)


@login_required
@require_POST
def episode_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo "resolved" (the person's newest resolved episode): its warning signs count
    again, and an episode opened since joins it."""
    episode = get_object_or_404(Episode, pk=pk, owner=request.user, resolved_on__isnull=False)
    try:
        services.reopen_episode(episode=episode)
    except services.CannotReopen:
        raise Http404("Only your latest resolved episode can be reopened.") from None
    messages.success(
        request,
        "The episode is open again, and its warning signs count again. Entries made "
        "since you marked it resolved are part of it.",
    )
    return redirect("symptoms:entry_list")
