"""Pain-log writes that touch more than one model, and reading an episode's flags."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone

from accounts.services import get_profile
from safety.red_flags import CODES, LONG_PAIN_DAYS, Flag, check_episode, covering_codes
from safety.signs import SIGN_CODES, Signs
from symptoms.models import Episode, FlagAcknowledgement, PainEntry


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


def needs_alert(entry: PainEntry) -> bool:
    """Whether saving this entry should show the alert page first: it reports a warning
    sign the person has not yet seen a doctor about in this episode.

    The entry is checked on its own (no query): a sign it reports, or pain more than two
    weeks after onset, is a flag of its episode too. Only then are the episode's "seen a
    doctor" notes read (one small query); both legs seen covers one leg. Signs reported
    by earlier entries stay listed on the log until the episode is resolved.
    """
    episode = entry.episode
    if episode.resolved_on is not None:
        return False
    signs = entry.signs(on=entry.local_date, pain=entry.pain)
    flags = check_episode(onset=episode.onset_date, resolved_on=None, entries=[signs])
    if not flags:
        return False
    seen = covering_codes(episode.acknowledgements.values_list("code", flat=True))
    return any(flag.code not in seen for flag in flags)


def flag_rows(episode: Episode):
    """The episode's entries that can raise a flag, as checker input rows.

    A pre-filter only, so the pure checker stays the one place the rules live: every
    entry reporting a warning sign, plus the earliest entry (by date, then id) with pain
    more than two weeks after onset. Everything else cannot change ``check_episode``'s
    answer, so a long episode costs no more than a short one.
    """
    long_pain = (
        episode.entries.filter(
            local_date__gt=episode.onset_date + timedelta(days=LONG_PAIN_DAYS), pain__gte=1
        )
        .order_by("local_date", "pk")
        .values("pk")[:1]
    )
    rows = episode.entries.reporting_a_sign() | episode.entries.filter(pk=Subquery(long_pain))
    return rows.order_by("local_date", "pk").values("local_date", "pain", *SIGN_CODES)


def episode_flags(episode: Episode | None) -> list[Flag]:
    """The checker's flags for an episode: two small queries, whatever its length."""
    if episode is None or episode.resolved_on is not None:
        return []
    entries = [Signs.of(row, on=row["local_date"], pain=row["pain"]) for row in flag_rows(episode)]
    acknowledged = set(episode.acknowledgements.values_list("code", flat=True))
    return check_episode(
        onset=episode.onset_date,
        resolved_on=episode.resolved_on,
        entries=entries,
        acknowledged=acknowledged,
    )
