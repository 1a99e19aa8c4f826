from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.deletion import UNDO_MINUTES, UNDO_WINDOW, undo_until
from safety.red_flags import split_flags
from symptoms import episode_flags, services
from symptoms.forms import OnsetForm, PainEntryForm
from symptoms.models import Episode, PainEntry
from symptoms.queries import newest_episodes, with_sessions

ENTRIES_PER_PAGE = 20
PAST_EPISODES_SHOWN = 10


@login_required
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    """The open episode (day N since onset), its flags and entries, newest first; then the
    earlier episodes."""
    # The open episode and the newest resolved ones, with their entry counts, and whether
    # an entry deleted a moment ago can still be brought back: one query.
    now = timezone.now()
    episodes = newest_episodes(
        request.user, PAST_EPISODES_SHOWN + 1, deleted_since=now - UNDO_WINDOW
    )
    episode = episodes[0] if episodes and episodes[0].is_open else None
    past_episodes = [e for e in episodes if not e.is_open][:PAST_EPISODES_SHOWN]
    today = services.today_for(request.user)
    if episode is not None:
        entries = episode.entries.all()
        paginator = CountedPaginator(entries, ENTRIES_PER_PAGE, count=episode.entry_count)
        flags = episode_flags.for_episode(episode)
    else:
        entries = PainEntry.objects.for_owner(request.user)
        paginator = Paginator(entries, ENTRIES_PER_PAGE)
        flags = []
    page = paginator.get_page(request.GET.get("page"))
    active, seen = split_flags(flags)
    context = {
        "nav": "symptoms",
        "flags_on_page": True,
        "episode": episode,
        "days_since_onset": (today - episode.onset_date).days if episode else None,
        "today": today,
        "flags": flags,
        "active_flags": active,
        "seen_flags": seen,
        "page": page,
        "entries": with_sessions(page.object_list),
        "past_episodes": past_episodes,
        "last_resolved": past_episodes[0] if past_episodes else None,
        # With no episode left to carry the answer (the last entry was deleted), ask.
        "undo_items": _undo_items(request, now) if not episodes or episodes[0].undoable else [],
    }
    return render(request, "symptoms/entry_list.html", context)


class CountedPaginator(Paginator):
    """A Paginator given the number of items, counted by an earlier query, instead of
    counting them again."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


def _entry_words(entry: PainEntry) -> str:
    when = date_format(timezone.localtime(entry.recorded_at), "j M Y, H:i")
    return f"The entry of {when}, pain {entry.pain} out of 10"


def _undo_items(request: HttpRequest, now: datetime) -> list[dict]:
    """Entries deleted in the last few minutes, each with its Undo."""
    return [
        {
            "what": _entry_words(entry),
            "url": reverse("symptoms:entry_restore", args=[entry.pk]),
            "until": undo_until(entry.deleted_at),
        }
        for entry in services.deleted_entries(request.user, now)
    ]


@login_required
@require_safe
def episode_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One episode's entries (a resolved one, or the open one), newest first."""
    episode = get_object_or_404(Episode, pk=pk, owner=request.user)
    entries = episode.entries.all()
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    end = episode.resolved_on or services.today_for(request.user)
    flags = episode_flags.for_episode(episode, history=episode.resolved_on is not None)
    reopenable = (
        episode.resolved_on is not None and services.reopenable_episode(request.user) == episode
    )
    context = {
        "flags": flags,
        "reopenable": reopenable,
        "joining": services.open_episode(request.user) if reopenable else None,
        "nav": "symptoms",
        "episode": episode,
        "length_days": (end - episode.onset_date).days,
        "page": page,
        "entries": with_sessions(page.object_list),
    }
    return render(request, "symptoms/episode_detail.html", context)


def next_url(request: HttpRequest) -> str:
    """The local page to return to after saving (``next``, e.g. Today), or ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe and url.startswith("/") else ""


def _after_save(
    request: HttpRequest, entry: PainEntry, *, created: bool, next: str = ""
) -> HttpResponse:
    """The alert first if the entry raises a warning to act on (a non-urgent one once per
    episode); else back to ``next`` (Today) or the log."""
    alert = episode_flags.alert_for(entry)
    if alert:
        episode_flags.note_alert_shown(episode=entry.episode, flags=alert)
        return redirect("symptoms:entry_saved", pk=entry.pk)
    messages.success(request, "Your entry is saved." if created else "Your changes are saved.")
    return redirect(next or "symptoms:entry_list")


def _entry_form_page(
    request: HttpRequest, form: PainEntryForm, *, entry: PainEntry | None = None
) -> HttpResponse:
    """Save a valid POST (new entry, or ``entry`` changed); else the form (400 if invalid)."""
    next = next_url(request)
    if request.method == "POST" and form.is_valid():
        saved = services.save_entry(
            owner=request.user,
            entry=form.save(commit=False),
            onset_date=form.cleaned_data.get("onset_date"),
        )
        return _after_save(request, saved, created=entry is None, next=next)
    context = {"nav": "symptoms", "form": form, "entry": entry, "next": next}
    status = 400 if request.method == "POST" else 200
    return render(request, "symptoms/entry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    zone = services.zone_of(request.user)
    if request.method == "POST":
        # The form asked for the onset only if it was shown (no open episode then).
        # save_entry() uses it only when it opens an episode, so no query is needed.
        ask_onset = "onset_date" in request.POST
    else:
        ask_onset = services.open_episode(request.user) is None
    form = PainEntryForm(request.POST or None, zone=zone, ask_onset=ask_onset)
    return _entry_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(PainEntry, pk=pk, owner=request.user)
    zone = services.zone_of(request.user)
    form = PainEntryForm(request.POST or None, instance=entry, zone=zone)
    return _entry_form_page(request, form, entry=entry)


@never_cache
@login_required
@require_safe
def entry_saved(request: HttpRequest, pk: int) -> HttpResponse:
    """Right after saving: the episode's warning signs first, announced, then the entry."""
    entry = get_object_or_404(
        PainEntry.objects.select_related("episode"), pk=pk, owner=request.user
    )
    active, _ = split_flags(episode_flags.for_episode(entry.episode))
    context = {
        "nav": "symptoms",
        "flags_on_page": True,
        "entry": entry,
        "flags": active,
        "episode": entry.episode,
    }
    return render(request, "symptoms/entry_saved.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(PainEntry, pk=pk, owner=request.user)
    if request.method == "POST":
        services.delete_entry(entry=entry)
        messages.success(request, "The entry is deleted. You can undo this below.")
        return redirect("symptoms:entry_list")
    context = {
        "nav": "symptoms",
        "entry": entry,
        "undo_minutes": UNDO_MINUTES,
        "warnings": episode_flags.raised_only_by(entry),
    }
    return render(request, "symptoms/entry_confirm_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def episode_onset(request: HttpRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(Episode, pk=pk, owner=request.user)
    first = episode.entries.order_by("local_date").values_list("local_date", flat=True).first()
    latest_allowed = first or services.today_for(request.user)
    form = OnsetForm(request.POST or None, instance=episode, latest=latest_allowed)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "The start date is saved.")
            if episode.is_open:
                return redirect("symptoms:entry_list")
            return redirect("symptoms:episode_detail", pk=episode.pk)
        status = 400
    context = {"nav": "symptoms", "form": form, "episode": episode}
    return render(request, "symptoms/episode_onset.html", context, status=status)


@login_required
@require_POST
def entry_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo: bring back an entry deleted a few minutes ago, exactly as it was."""
    entry = get_object_or_404(
        PainEntry.all_objects, pk=pk, owner=request.user, deleted_at__isnull=False
    )
    try:
        services.restore_entry(entry=entry)
    except services.UndoClosed:
        context = {
            "nav": "symptoms",
            "what": _entry_words(entry),
            "minutes": UNDO_MINUTES,
            "back_url": reverse("symptoms:entry_list"),
            "back_text": "Back to the pain log",
        }
        return render(request, "undo_closed.html", context, status=410)
    messages.success(request, "The entry is back in your pain log.")
    return redirect("symptoms:entry_list")
