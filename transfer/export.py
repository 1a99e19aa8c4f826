"""What is exported: everything a person owns, as plain JSON-ready data.

The JSON file is the complete, re-importable copy (transfer.importer reads it back);
the CSV files (transfer.csv_files) are the entries and practices for a spreadsheet.
"""

from __future__ import annotations

import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from accounts.models import Profile
from routines.models import Practice, Routine, RoutineStep
from safety.red_flags import Acknowledgement, check_episode
from safety.signs import Signs
from symptoms.models import ENTRY_ANSWERS, Episode, FlagAcknowledgement, PainEntry

FORMAT_NAME = "spasmcare-export"
FORMAT_VERSION = 1

# An entry's keys in the file, in order; "episode_uid" links it to its episode.
ENTRY_KEYS = ("uid", "episode_uid", "recorded_at", "local_date", *ENTRY_ANSWERS)
# A practice's keys: its routine by uid (a person's own) or by slug (a starter).
PRACTICE_KEYS = (
    "uid",
    "routine_uid",
    "routine_slug",
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
    "pain_entry_uid",  # the pain log entry of its safety check, if any
)
# The model fields each key is read from, where the name differs.
_ENTRY_SOURCES = {"episode_uid": "episode__uid"}
_ROUTINE_FIELDS = (
    "routine__uid",
    "routine__slug",
    "routine__owner_id",
    "routine__deleted_at",
    "pain_entry__deleted_at",
)
_PRACTICE_SOURCES = {"pain_entry_uid": "pain_entry__uid"}
_PRACTICE_FIELDS = (
    *(
        _PRACTICE_SOURCES.get(key, key)
        for key in PRACTICE_KEYS
        if key not in ("routine_uid", "routine_slug")
    ),
    *_ROUTINE_FIELDS,
)


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(zoneinfo.ZoneInfo("UTC")).isoformat()
    return value.isoformat()


def _plain(value: Any) -> Any:
    """A database value as JSON: ids as text, dates as ISO 8601, lists copied."""
    if isinstance(value, (datetime, date)):
        return iso(value)
    if isinstance(value, list):
        return list(value)
    if value is not None and not isinstance(value, (str, int, bool, float)):
        return str(value)  # UUID
    return value


def entry_rows(user) -> Iterator[dict[str, Any]]:
    fields = [_ENTRY_SOURCES.get(key, key) for key in ENTRY_KEYS]
    rows = PainEntry.objects.for_owner(user).order_by("recorded_at", "pk").values(*fields)
    for row in rows.iterator(chunk_size=2000):
        yield {key: _plain(row[field]) for key, field in zip(ENTRY_KEYS, fields, strict=True)}


def practice_rows(user) -> Iterator[dict[str, Any]]:
    rows = Practice.objects.for_owner(user).order_by("started_at", "pk").values(*_PRACTICE_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        # A person's own routine by uid; a starter routine by its stable slug.
        # A session deleted (kept a day for undo) is not in the file: no link to it.
        if row["routine__deleted_at"] is not None:
            row["routine__uid"] = row["routine__slug"] = None
        own = row["routine__uid"] is not None and row["routine__owner_id"] is not None
        row["routine_uid"] = row["routine__uid"] if own else None
        row["routine_slug"] = row["routine__slug"] if not own else None
        for key, source in _PRACTICE_SOURCES.items():
            row[key] = row[source]
        # An entry deleted (kept a day for undo) is not in the file either.
        if row["pain_entry__deleted_at"] is not None:
            row["pain_entry_uid"] = None
        yield {key: _plain(row[key]) for key in PRACTICE_KEYS}


def _add_flags(
    episodes: list[dict[str, Any]],
    entries: Iterable[dict[str, Any]],
    acknowledgements: list[dict[str, Any]],
) -> None:
    """Each episode's flags, as the red-flag checker raises them from its entries.

    Read-only history for the person and their doctor: import recomputes flags from the
    entries and ignores this list. Resolved episodes are checked as if open, so every
    warning sign ever reported is listed.
    """
    signs: dict[str, list[Signs]] = defaultdict(list)
    for e in entries:
        on, at = date.fromisoformat(e["local_date"]), datetime.fromisoformat(e["recorded_at"])
        signs[e["episode_uid"]].append(
            Signs.of(e, on=on, pain=e["pain"], at=at, saved_at=at, key=e["uid"])
        )
    seen: dict[str, list[Acknowledgement]] = defaultdict(list)
    for ack in acknowledgements:
        seen[ack["episode_uid"]].append(
            Acknowledgement(ack["code"], datetime.fromisoformat(ack["seen_at"]))
        )
    for episode in episodes:
        flags = check_episode(
            onset=date.fromisoformat(episode["onset_date"]),
            resolved_on=None,
            entries=signs[episode["uid"]],
            acknowledged=seen[episode["uid"]],
        )
        episode["flags"] = [
            {
                "code": flag.code,
                "urgency": str(flag.urgency),
                "title": flag.title,
                "first_reported": iso(flag.first_reported),
                "last_reported": iso(flag.last_reported),
                "times_reported": flag.times_reported,
                "seen_by_doctor": flag.acknowledged,
            }
            for flag in flags
        ]


def _routines(user) -> list[dict[str, Any]]:
    steps: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for routine_id, position, slug, hold, repeats in (
        RoutineStep.objects.filter(routine__owner=user)
        .order_by("routine_id", "position", "pk")
        .values_list("routine_id", "position", "stretch__slug", "hold_seconds", "repeats")
    ):
        steps[routine_id].append(
            {"position": position, "stretch": slug, "hold_seconds": hold, "repeats": repeats}
        )
    return [
        {"uid": str(uid), "name": name, "description": description, "steps": steps[pk]}
        for pk, uid, name, description in Routine.objects.filter(owner=user)
        .order_by("created_at", "pk")
        .values_list("pk", "uid", "name", "description")
    ]


def export_data(user) -> dict[str, Any]:
    """Everything the person owns, as plain JSON-ready data. A fixed number of queries."""
    profile = Profile.objects.filter(user=user).first()
    episodes = [
        {"uid": str(uid), "onset_date": iso(onset), "resolved_on": iso(resolved)}
        for uid, onset, resolved in Episode.objects.for_owner(user)
        .order_by("onset_date", "pk")
        .values_list("uid", "onset_date", "resolved_on")
    ]
    acknowledgements = [
        {"episode_uid": str(episode_uid), "code": code, "seen_at": iso(seen_at)}
        for episode_uid, code, seen_at in FlagAcknowledgement.objects.filter(
            owner=user, episode__deleted_at__isnull=True
        )
        .order_by("seen_at", "pk")
        .values_list("episode__uid", "code", "seen_at")
    ]
    entries = list(entry_rows(user))
    _add_flags(episodes, entries, acknowledgements)
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": iso(timezone.now()),
        "profile": {"time_zone": profile.time_zone if profile else "UTC"},
        "episodes": episodes,
        "flag_acknowledgements": acknowledgements,
        "entries": entries,
        "routines": _routines(user),
        "practices": list(practice_rows(user)),
    }


def export_json(user) -> bytes:
    return json.dumps(export_data(user), ensure_ascii=False, indent=1).encode("utf-8")
