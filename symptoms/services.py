"""Pain-log writes that touch more than one model, and reading an episode's flags."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import get_profile
from symptoms.models import Episode, FlagAcknowledgement, PainEntry
from symptoms.red_flags import CODES, Flag, Signs, check_episode

SIGN_FIELDS = (
    "local_date",
    "pain",
    "leg_symptoms",
    "saddle_numbness",
    "bladder_bowel",
    "after_fall",
    "fever_or_weight_loss",
)


def zone_of(user: AbstractBaseUser) -> zoneinfo.ZoneInfo:
    return get_profile(user).zone


def local_date_of(moment: datetime, zone: zoneinfo.ZoneInfo) -> date:
    return timezone.localtime(moment, zone).date()


def today_for(user: AbstractBaseUser) -> date:
    return timezone.localdate(timezone=zone_of(user))


def open_episode(user: AbstractBaseUser) -> Episode | None:
    return Episode.objects.open().filter(owner=user).first()


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
        episode = Episode.objects.select_for_update().open().filter(owner=owner).first()
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


@transaction.atomic
def delete_entry(*, entry: PainEntry) -> None:
    """Delete an entry; an episode left with no entries goes too."""
    episode = entry.episode
    entry.delete()
    if not episode.entries.exists():
        episode.delete()


@transaction.atomic
def resolve_episode(*, episode: Episode, resolved_on: date) -> Episode:
    episode.resolved_on = max(resolved_on, episode.onset_date)
    episode.save(update_fields=["resolved_on"])
    return episode


def acknowledge_flag(*, episode: Episode, code: str) -> FlagAcknowledgement:
    """Record "I have seen a doctor about this" for one flag of an episode."""
    if code not in CODES:
        raise ValueError(f"unknown flag code {code!r}")
    ack, _ = FlagAcknowledgement.objects.get_or_create(
        episode=episode,
        code=code,
        defaults={"owner_id": episode.owner_id, "seen_at": timezone.now()},
    )
    return ack


def episode_flags(episode: Episode | None) -> list[Flag]:
    """The checker's flags for an episode: two small queries, whatever its length."""
    if episode is None or episode.resolved_on is not None:
        return []
    rows = episode.entries.order_by().values_list(*SIGN_FIELDS)
    entries = [
        Signs(
            on=on,
            pain=pain,
            leg_symptoms=legs,
            saddle_numbness=saddle,
            bladder_bowel=bladder,
            after_fall=fall,
            fever_or_weight_loss=fever,
        )
        for on, pain, legs, saddle, bladder, fall, fever in rows
    ]
    acknowledged = set(episode.acknowledgements.values_list("code", flat=True))
    return check_episode(
        onset=episode.onset_date,
        resolved_on=episode.resolved_on,
        entries=entries,
        acknowledged=acknowledged,
    )
