"""Pain-log writes that touch more than one model, and reading an episode's flags."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts import deletion
from accounts.services import get_profile
from symptoms import queries
from symptoms.models import Episode, FlagAcknowledgement, FlagNotice, PainEntry


def zone_of(user: AbstractBaseUser) -> zoneinfo.ZoneInfo:
    return get_profile(user).zone


def local_date_of(moment: datetime, zone: zoneinfo.ZoneInfo) -> date:
    return timezone.localtime(moment, zone).date()


def today_for(user: AbstractBaseUser) -> date:
    return timezone.localdate(timezone=zone_of(user))


def open_episode(user: AbstractBaseUser, *, lock: bool = False) -> Episode | None:
    """The person's open episode, if any (there is at most one: a constraint says so);
    with ``lock``, locked until the transaction ends."""
    return queries.open_episode(user, lock=lock)


@transaction.atomic
def save_entry(
    *, owner: AbstractBaseUser, entry: PainEntry, onset_date: date | None = None
) -> PainEntry:
    """Save a new or edited entry, filing a new one in the open episode.

    A new entry with no open episode starts one, with onset ``onset_date`` (default: the
    entry's local date). An entry dated before its episode's onset moves the onset back.
    """
    entry.owner = owner
    entry.local_date = local_date_of(entry.recorded_at, zone_of(owner))
    if entry.episode_id is None:
        episode = open_episode(owner, lock=True)
        if episode is None:
            onset = min(onset_date or entry.local_date, entry.local_date)
            try:
                with transaction.atomic():
                    episode = Episode.objects.create(owner=owner, onset_date=onset)
            except IntegrityError:
                # Another request opened one a moment ago (one open episode per person).
                episode = Episode.objects.open().get(owner=owner)
        entry.episode = episode
    episode = entry.episode
    if entry.local_date < episode.onset_date:
        episode.onset_date = entry.local_date
        episode.save(update_fields=["onset_date"])
    entry.save()
    return entry


# A safety check within this long of an entry shows that entry instead of asking again.
RECENT_ENTRY = timedelta(minutes=30)


def recent_entry(user: AbstractBaseUser, *, within: timedelta = RECENT_ENTRY) -> PainEntry | None:
    """The person's latest entry recorded in the last ``within`` (30 minutes), if any."""
    since = timezone.now() - within
    return PainEntry.objects.for_owner(user).recorded_since(since).first()


@transaction.atomic
def delete_entry(*, entry: PainEntry, now: datetime | None = None) -> None:
    """Delete an entry, with undo (accounts.deletion): it is marked deleted, and so is an
    episode left with no entries. Rows of this person deleted over a day ago go now."""
    now = now or timezone.now()
    purge_deleted(now, owner=entry.owner_id)
    PainEntry.all_objects.filter(pk=entry.pk).update(deleted_at=now)
    if not PainEntry.objects.filter(episode_id=entry.episode_id).exists():
        Episode.all_objects.filter(pk=entry.episode_id).update(deleted_at=now)


def _undoable(owner: AbstractBaseUser, now: datetime) -> QuerySet[PainEntry]:
    return PainEntry.all_objects.for_owner(owner).filter(deleted_at__gt=now - deletion.UNDO_WINDOW)


def deleted_entries(owner: AbstractBaseUser, now: datetime) -> list[PainEntry]:
    """The person's entries that Undo can still bring back, newest deletion first."""
    return list(_undoable(owner, now).order_by("-deleted_at", "-pk")[:5])


class UndoClosed(Exception):
    """Undo came too late: the entry stays deleted."""


@transaction.atomic
def restore_entry(*, entry: PainEntry, now: datetime | None = None) -> PainEntry:
    """Undo a deletion: the same row comes back unchanged (id, uid, every field, its
    episode, the time it was last saved, so its warning signs count as before).

    An episode deleted with it comes back too, unless another was opened meanwhile
    (at most one is open): then the entry joins the open one."""
    now = now or timezone.now()
    if not deletion.undo_open(entry.deleted_at, now):
        raise UndoClosed
    episode = Episode.all_objects.select_for_update().get(pk=entry.episode_id)
    if episode.deleted_at is not None:
        current = open_episode(entry.owner, lock=True) if episode.is_open else None
        if current is None:
            Episode.all_objects.filter(pk=episode.pk).update(deleted_at=None)
        else:
            PainEntry.all_objects.filter(pk=entry.pk).update(episode=current)
            if entry.local_date < current.onset_date:
                Episode.objects.filter(pk=current.pk).update(onset_date=entry.local_date)
    PainEntry.all_objects.filter(pk=entry.pk).update(deleted_at=None)
    return PainEntry.objects.get(pk=entry.pk)


def purge_deleted(now: datetime | None = None, *, owner: int | None = None) -> int:
    """Remove for good the entries and episodes deleted over a day ago; returns how
    many rows went (entries and episodes, with what hangs on them)."""
    before = deletion.purge_before(now or timezone.now())
    entries = PainEntry.all_objects.filter(deleted_at__lt=before)
    episodes = Episode.all_objects.filter(deleted_at__lt=before)
    if owner is not None:
        entries, episodes = entries.filter(owner_id=owner), episodes.filter(owner_id=owner)
    return entries.delete()[0] + episodes.delete()[0]


def resolution_days(episode: Episode, today: date) -> tuple[date, date]:
    """The dates an episode may be marked resolved on: from its last entry to today."""
    last = episode.entries.order_by("-local_date").values_list("local_date", flat=True).first()
    earliest = max(last or episode.onset_date, episode.onset_date)
    return earliest, max(today, earliest)


@transaction.atomic
def resolve_episode(*, episode: Episode, resolved_on: date) -> Episode:
    episode.resolved_on = max(resolved_on, episode.onset_date)
    episode.save(update_fields=["resolved_on"])
    return episode


def reopenable_episode(owner: AbstractBaseUser) -> Episode | None:
    """The episode "reopen" would bring back: the person's newest resolved one (as the
    log lists them), if any."""
    return Episode.objects.resolved().filter(owner=owner).order_by("-onset_date", "-pk").first()


class CannotReopen(Exception):
    """Only the person's newest resolved episode can be reopened."""


@transaction.atomic
def reopen_episode(*, episode: Episode) -> Episode:
    """Undo marking an episode resolved: it is open again, and its warning signs count
    again. An episode opened since (by an entry after resolving) joins it, as the same
    spell of pain: its entries, acknowledgements and shown alerts move over, and its
    onset if earlier (at most one episode is open)."""
    owner = episode.owner
    current = open_episode(owner, lock=True)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.resolved_on is None or reopenable_episode(owner) != episode:
        raise CannotReopen
    if current is not None:
        _take_in(episode, current)
    episode.resolved_on = None
    try:
        with transaction.atomic():
            episode.save(update_fields=["onset_date", "resolved_on"])
    except IntegrityError:
        # An entry opened an episode a moment ago (one open episode per person): it
        # joins this one too.
        _take_in(episode, open_episode(owner, lock=True))
        episode.save(update_fields=["onset_date", "resolved_on"])
    return episode


def _take_in(episode: Episode, other: Episode) -> None:
    """Move ``other``'s entries, acknowledgements and shown alerts (each flag's once) to
    ``episode``, with its onset if earlier, and delete ``other``, empty now."""
    PainEntry.all_objects.filter(episode=other).update(episode=episode)
    FlagAcknowledgement.objects.filter(episode=other).update(episode=episode)
    shown = episode.notices.values_list("code", flat=True)
    FlagNotice.objects.filter(episode=other).exclude(code__in=shown).update(episode=episode)
    episode.onset_date = min(episode.onset_date, other.onset_date)
    other.delete()  # a share link of it keeps its dates
