"""Small factories for people, episodes and pain entries (no fixtures, no magic ids)."""

import functools
import itertools
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Profile
from safety.signs import ASKED
from symptoms.models import Episode, PainEntry

PASSWORD = "Quiet-river-2026"  # noqa: S105
# Every warning question answered "no" (what "None of these" stores).
NO_SIGNS = {sign.code: sign.no for sign in ASKED}
_counter = itertools.count(1)


@functools.cache
def _hash(password: str) -> str:
    """Argon2 is slow on purpose: hash each test password once per run."""
    return make_password(password)


def make_user(username: str | None = None, *, time_zone: str = "UTC", password: str = PASSWORD):
    username = username or f"person{next(_counter)}"
    user = get_user_model().objects.create(
        username=username, email=f"{username}@example.com", password=_hash(password)
    )
    Profile.objects.create(user=user, time_zone=time_zone)
    return user


def make_episode(*, owner, onset: date, resolved_on: date | None = None) -> Episode:
    return Episode.objects.create(owner=owner, onset_date=onset, resolved_on=resolved_on)


def make_entry(*, episode: Episode, on: date | None = None, hour: int = 9, **kwargs) -> PainEntry:
    on = on or episode.onset_date
    defaults = {"pain": 4, "leg_symptoms": "none"}
    defaults.update(kwargs)
    recorded = timezone.make_aware(datetime.combine(on, time(hour)), timezone.UTC)
    return PainEntry.objects.create(
        owner=episode.owner, episode=episode, recorded_at=recorded, local_date=on, **defaults
    )


def make_daily_entries(*, episode: Episode, days: int) -> None:
    """One entry a day from onset, in one bulk insert (3 years is about 1,100 entries)."""
    PainEntry.objects.bulk_create(
        [
            PainEntry(
                owner=episode.owner,
                episode=episode,
                recorded_at=timezone.make_aware(
                    datetime.combine(episode.onset_date + timedelta(days=n), time(9)),
                    timezone.UTC,
                ),
                local_date=episode.onset_date + timedelta(days=n),
                pain=n % 11,
                locations=["lower_back_centre"],
                triggers=["posture"],
                reliefs=["heat"],
                leg_symptoms="one" if n == 40 else "none",
                note=f"Day {n}",
            )
            for n in range(days)
        ],
        batch_size=500,
    )
