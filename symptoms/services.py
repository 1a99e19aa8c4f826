"""Pain-log writes that touch more than one model, and reading an episode's flags."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import get_profile
from symptoms.models import Episode, PainEntry


def zone_of(user: AbstractBaseUser) -> zoneinfo.ZoneInfo:
    return get_profile(user).zone


def local_date_of(moment: datetime, zone: zoneinfo.ZoneInfo) -> date:
    return timezone.localtime(moment, zone).date()


def today_for(user: AbstractBaseUser) -> date:
    return timezone.localdate(timezone=zone_of(user))


def open_episode(user: AbstractBaseUser, *, lock: bool = False) -> Episode | None:
    """The person's open episode, if any (there is at most one: a constraint says so)."""
    episodes = Episode.objects.open().filter(owner=user)
    if lock:
        episodes = episodes.select_for_update()
    try:
        return episodes.get()  # no ORDER BY, unlike first()
    except Episode.DoesNotExist:
        return None


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
def delete_entry(*, entry: PainEntry) -> None:
    """Delete an entry; an episode left with no entries goes too."""
    episode = entry.episode
    entry.delete()
    if not episode.entries.exists():
        episode.delete()


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
