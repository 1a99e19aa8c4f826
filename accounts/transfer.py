"""Export a person's data (JSON and CSV) and import a JSON export back.

The JSON file is the complete, re-importable copy; the CSV files are for reading in a
spreadsheet. Import is all-or-nothing: the whole file is parsed and validated before one
row is written, and the writes run in one transaction. Objects are matched on their
``uid``, so importing the same file twice creates nothing new.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from routines.models import HOLD_LIMITS, REPEAT_LIMITS, Practice, Routine, RoutineStep, Stretch
from symptoms.models import (
    NOTE_MAX_LENGTH,
    PAIN_MAX,
    Episode,
    FlagAcknowledgement,
    LegSymptoms,
    Location,
    PainEntry,
    Relief,
    Trigger,
)
from symptoms.red_flags import Signs, check_episode

FORMAT_NAME = "spasmcare-export"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
TOO_BIG = "This file is larger than 5 MB, which is more than an export can be."

# Cells starting with one of these are read as formulas by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

ENTRY_CSV_COLUMNS = [
    "uid",
    "episode_uid",
    "recorded_at",
    "local_date",
    "pain",
    "locations",
    "triggers",
    "trigger_other",
    "reliefs",
    "relief_other",
    "leg_symptoms",
    "saddle_numbness",
    "bladder_bowel",
    "after_fall",
    "fever_or_weight_loss",
    "note",
]
PRACTICE_CSV_COLUMNS = [
    "uid",
    "routine_uid",
    "routine_name",
    "started_at",
    "finished_at",
    "stopped_at",
    "stop_reason",
    "pain_before",
    "pain_after",
    "pain_change",
    "steps_completed",
    "steps_total",
    "note",
]

ENTRY_FIELDS = [
    "uid",
    "episode__uid",
    "recorded_at",
    "local_date",
    "pain",
    "locations",
    "triggers",
    "trigger_other",
    "reliefs",
    "relief_other",
    "leg_symptoms",
    "saddle_numbness",
    "bladder_bowel",
    "after_fall",
    "fever_or_weight_loss",
    "note",
]
PRACTICE_FIELDS = [
    "uid",
    "routine__uid",
    "routine__slug",
    "routine__owner_id",
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
]


# ---------------------------------------------------------------------------- export


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(zoneinfo.ZoneInfo("UTC")).isoformat()
    return value.isoformat()


def _entry_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "uid": str(row["uid"]),
        "episode_uid": str(row["episode__uid"]),
        "recorded_at": _iso(row["recorded_at"]),
        "local_date": _iso(row["local_date"]),
        "pain": row["pain"],
        "locations": list(row["locations"] or []),
        "triggers": list(row["triggers"] or []),
        "trigger_other": row["trigger_other"],
        "reliefs": list(row["reliefs"] or []),
        "relief_other": row["relief_other"],
        "leg_symptoms": row["leg_symptoms"],
        "saddle_numbness": row["saddle_numbness"],
        "bladder_bowel": row["bladder_bowel"],
        "after_fall": row["after_fall"],
        "fever_or_weight_loss": row["fever_or_weight_loss"],
        "note": row["note"],
    }


def _practice_dict(row: dict[str, Any]) -> dict[str, Any]:
    own = row["routine__uid"] is not None and row["routine__owner_id"] is not None
    return {
        "uid": str(row["uid"]),
        # A person's own routine by uid; a starter routine by its stable slug.
        "routine_uid": str(row["routine__uid"]) if own else None,
        "routine_slug": row["routine__slug"] if not own else None,
        "routine_name": row["routine_name"],
        "started_at": _iso(row["started_at"]),
        "finished_at": _iso(row["finished_at"]),
        "stopped_at": _iso(row["stopped_at"]),
        "stop_reason": row["stop_reason"],
        "pain_before": row["pain_before"],
        "pain_after": row["pain_after"],
        "steps_completed": row["steps_completed"],
        "steps_total": row["steps_total"],
        "note": row["note"],
    }


def entry_rows(user) -> Iterable[dict[str, Any]]:
    qs = PainEntry.objects.filter(owner=user).order_by("recorded_at", "pk").values(*ENTRY_FIELDS)
    return (_entry_dict(row) for row in qs.iterator(chunk_size=2000))


def practice_rows(user) -> Iterable[dict[str, Any]]:
    qs = Practice.objects.filter(owner=user).order_by("started_at", "pk").values(*PRACTICE_FIELDS)
    return (_practice_dict(row) for row in qs.iterator(chunk_size=2000))


def _add_flags(
    episodes: list[dict[str, Any]],
    entries: list[dict[str, Any]],
    acknowledgements: list[dict[str, Any]],
) -> None:
    """Each episode's flags, as the red-flag checker raises them from its entries.

    Read-only history for the person and their doctor: import recomputes flags from the
    entries and ignores this list. Resolved episodes are checked as if open, so every
    warning sign ever reported is listed.
    """
    signs: dict[str, list[Signs]] = {}
    for e in entries:
        signs.setdefault(e["episode_uid"], []).append(
            Signs(
                on=date.fromisoformat(e["local_date"]),
                pain=e["pain"],
                leg_symptoms=e["leg_symptoms"],
                saddle_numbness=e["saddle_numbness"],
                bladder_bowel=e["bladder_bowel"],
                after_fall=e["after_fall"],
                fever_or_weight_loss=e["fever_or_weight_loss"],
            )
        )
    seen: dict[str, set[str]] = {}
    for ack in acknowledgements:
        seen.setdefault(ack["episode_uid"], set()).add(ack["code"])
    for episode in episodes:
        flags = check_episode(
            onset=date.fromisoformat(episode["onset_date"]),
            resolved_on=None,
            entries=signs.get(episode["uid"], []),
            acknowledged=seen.get(episode["uid"], set()),
        )
        episode["flags"] = [
            {
                "code": flag.code,
                "urgency": str(flag.urgency),
                "title": flag.title,
                "first_reported": _iso(flag.first_reported),
                "last_reported": _iso(flag.last_reported),
                "times_reported": flag.times_reported,
                "seen_by_doctor": flag.acknowledged,
            }
            for flag in flags
        ]


def export_data(user) -> dict[str, Any]:
    """Everything the person owns, as plain JSON-ready data. A fixed number of queries."""
    profile = Profile.objects.filter(user=user).first()
    episodes = [
        {"uid": str(uid), "onset_date": _iso(onset), "resolved_on": _iso(resolved)}
        for uid, onset, resolved in Episode.objects.filter(owner=user)
        .order_by("onset_date", "pk")
        .values_list("uid", "onset_date", "resolved_on")
    ]
    acknowledgements = [
        {"episode_uid": str(episode_uid), "code": code, "seen_at": _iso(seen_at)}
        for episode_uid, code, seen_at in FlagAcknowledgement.objects.filter(owner=user)
        .order_by("seen_at", "pk")
        .values_list("episode__uid", "code", "seen_at")
    ]
    steps: dict[int, list[dict[str, Any]]] = {}
    for routine_id, position, slug, hold, repeats in (
        RoutineStep.objects.filter(routine__owner=user)
        .order_by("routine_id", "position", "pk")
        .values_list("routine_id", "position", "stretch__slug", "hold_seconds", "repeats")
    ):
        steps.setdefault(routine_id, []).append(
            {"position": position, "stretch": slug, "hold_seconds": hold, "repeats": repeats}
        )
    routines = [
        {
            "uid": str(uid),
            "name": name,
            "description": description,
            "steps": steps.get(pk, []),
        }
        for pk, uid, name, description in Routine.objects.filter(owner=user)
        .order_by("created_at", "pk")
        .values_list("pk", "uid", "name", "description")
    ]
    entries = list(entry_rows(user))
    _add_flags(episodes, entries, acknowledgements)
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "profile": {"time_zone": profile.time_zone if profile else "UTC"},
        "episodes": episodes,
        "flag_acknowledgements": acknowledgements,
        "entries": entries,
        "routines": routines,
        "practices": list(practice_rows(user)),
    }


def export_json(user) -> bytes:
    return json.dumps(export_data(user), ensure_ascii=False, indent=1).encode("utf-8")


def neutralise(value: Any) -> Any:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _yes_no(value: bool | None) -> str:
    """Empty means the question was not answered, which is not the same as "no"."""
    if value is None:
        return ""
    return "yes" if value else "no"


def _csv(rows: Iterable[list[Any]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if cell is None else cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def entries_csv(user) -> bytes:
    def rows():
        for e in entry_rows(user):
            yield [
                e["uid"],
                e["episode_uid"],
                e["recorded_at"],
                e["local_date"],
                e["pain"],
                ";".join(e["locations"]),
                ";".join(e["triggers"]),
                e["trigger_other"],
                ";".join(e["reliefs"]),
                e["relief_other"],
                e["leg_symptoms"] or "",
                _yes_no(e["saddle_numbness"]),
                _yes_no(e["bladder_bowel"]),
                _yes_no(e["after_fall"]),
                _yes_no(e["fever_or_weight_loss"]),
                e["note"],
            ]

    return _csv(rows(), ENTRY_CSV_COLUMNS)


def practices_csv(user) -> bytes:
    def rows():
        for p in practice_rows(user):
            change = None if p["pain_after"] is None else p["pain_after"] - p["pain_before"]
            yield [
                p["uid"],
                p["routine_uid"] or "",
                p["routine_name"],
                p["started_at"],
                p["finished_at"],
                p["stopped_at"],
                p["stop_reason"],
                p["pain_before"],
                p["pain_after"],
                change,
                p["steps_completed"],
                p["steps_total"],
                p["note"],
            ]

    return _csv(rows(), PRACTICE_CSV_COLUMNS)


# ---------------------------------------------------------------------------- import


class SizeLimitedUpload(FileUploadHandler):
    """Stop reading an uploaded file once it passes 5 MB (settings.FILE_UPLOAD_HANDLERS).

    The data import is the only upload; an oversized file is never kept in memory or on
    disk. The rest of the request body is read and dropped, so the form fields (and the
    CSRF token) still arrive and the view can say what went wrong.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_IMPORT_BYTES:
            self.request.upload_too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ImportRefused(ValueError):
    """The file cannot be imported; the message is shown next to the upload field."""


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


class _Reader:
    """Typed access to one object of the file; errors name where the problem is."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, dict):
            raise ImportRefused(f"{where} should be an object.")
        self.data = data
        self.where = where

    def fail(self, key: str, problem: str) -> ImportRefused:
        return ImportRefused(f"{self.where}, “{key}”: {problem}")

    def _get(self, key: str, *, required: bool = True) -> Any:
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing.")
            return None
        return self.data[key]

    def uid(self, key: str = "uid", *, required: bool = True) -> uuid.UUID | None:
        value = self._get(key, required=required)
        if value is None and not required:
            return None
        try:
            return uuid.UUID(str(value))
        except (ValueError, TypeError, AttributeError):
            raise self.fail(key, "is not a valid id.") from None

    def text(self, key: str, *, max_length: int, required: bool = False) -> str:
        value = self._get(key, required=required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(key, "should be text.")
        if len(value) > max_length:
            raise self.fail(key, f"is longer than {max_length} characters.")
        if "\x00" in value:  # PostgreSQL cannot store it; a form refuses it too
            raise self.fail(key, "contains a NUL character.")
        return value

    def whole(self, key: str, low: int, high: int, *, null: bool = False) -> int | None:
        value = self._get(key, required=not null)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"should be a whole number from {low} to {high}.")
        return value

    def yes_no(self, key: str) -> bool | None:
        value = self._get(key, required=False)
        if value is not None and not isinstance(value, bool):
            raise self.fail(key, "should be true, false or null (not answered).")
        return value

    def day(self, key: str, *, null: bool = False) -> date | None:
        value = self._get(key, required=not null)
        if value is None and null:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(key, "is not a date (YYYY-MM-DD).") from None

    def moment(self, key: str, *, null: bool = False) -> datetime | None:
        value = self._get(key, required=not null)
        if value is None and null:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(key, "is not a date and time.") from None
        if parsed.tzinfo is None:
            raise self.fail(key, "has no time zone offset.")
        return parsed

    def choice(self, key: str, choices: Iterable[str], *, null: bool = False) -> str | None:
        value = self._get(key, required=False)
        if value is None or (value == "" and not null):
            return None if null else ""
        if value not in set(choices):
            raise self.fail(key, f"“{value}” is not one of the known answers.")
        return value

    def codes(self, key: str, choices: Iterable[str]) -> list[str]:
        value = self._get(key, required=False)
        if value is None:
            return []
        allowed = set(choices)
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v in allowed for v in value
        ):
            raise self.fail(key, "holds an answer that is not known.")
        return list(dict.fromkeys(value))

    def items(self, key: str) -> list[Any]:
        value = self._get(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "should be a list.")
        return value


def parse_upload(raw: bytes) -> dict[str, Any]:
    """Bytes of an uploaded file to the export's top-level object, or ImportRefused."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRefused(TOO_BIG)
    if not raw.strip():
        raise ImportRefused("This file is empty.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("This is not a SpasmCare export: it is not a text file.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string"):
            raise ImportRefused(
                "This file ends too early: it looks cut off. Download the export again."
            ) from None
        raise ImportRefused(
            f"This file is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportRefused("This is not a SpasmCare export file.")
    version = data.get("format_version")
    if version is None:
        raise ImportRefused("This file has no format version, so it cannot be read safely.")
    if version != FORMAT_VERSION:
        raise ImportRefused(
            f"This file has format version {version!r}; this SpasmCare reads version "
            f"{FORMAT_VERSION} only."
        )
    return data


@dataclass
class _Plan:
    """Everything validated and ready to write."""

    time_zone: str | None
    episodes: list[Episode]
    episode_by_uid: dict[uuid.UUID, Episode]
    acknowledgements: list[tuple[uuid.UUID, str, datetime]]
    entries: list[tuple[uuid.UUID, PainEntry]]
    routines: list[tuple[Routine, list[dict[str, Any]]]]
    practices: list[tuple[uuid.UUID | None, str | None, Practice]]


def _validate(data: dict[str, Any], user) -> _Plan:
    top = _Reader(data, "The file")

    profile = _Reader(data.get("profile") or {}, "Profile")
    tz_name = profile.text("time_zone", max_length=64) or None
    if tz_name is not None and tz_name not in zoneinfo.available_timezones():
        raise profile.fail("time_zone", f"“{tz_name}” is not a known time zone.")

    episodes: list[Episode] = []
    episode_by_uid: dict[uuid.UUID, Episode] = {}
    open_count = 0
    for index, item in enumerate(top.items("episodes")):
        r = _Reader(item, f"Episode {index + 1}")
        uid = r.uid()
        onset = r.day("onset_date")
        resolved = r.day("resolved_on", null=True)
        if resolved is not None and resolved < onset:
            raise r.fail("resolved_on", "is before the onset date.")
        if uid in episode_by_uid:
            raise r.fail("uid", "appears twice in the file.")
        open_count += resolved is None
        episode = Episode(owner=user, uid=uid, onset_date=onset, resolved_on=resolved)
        episodes.append(episode)
        episode_by_uid[uid] = episode
    if open_count > 1:
        raise ImportRefused("The file has more than one open episode; only one can be open.")

    acknowledgements = []
    seen_acks = set()
    for index, item in enumerate(top.items("flag_acknowledgements")):
        r = _Reader(item, f"Flag acknowledgement {index + 1}")
        episode_uid = r.uid("episode_uid")
        if episode_uid not in episode_by_uid:
            raise r.fail("episode_uid", "does not match an episode in the file.")
        code = r.text("code", max_length=40, required=True)
        if not code or not code.replace("_", "").replace("-", "").isalnum():
            raise r.fail("code", "is not a valid flag code.")
        seen_at = r.moment("seen_at")
        if (episode_uid, code) not in seen_acks:
            seen_acks.add((episode_uid, code))
            acknowledgements.append((episode_uid, code, seen_at))

    entries = []
    entry_uids = set()
    for index, item in enumerate(top.items("entries")):
        r = _Reader(item, f"Entry {index + 1}")
        uid = r.uid()
        if uid in entry_uids:
            raise r.fail("uid", "appears twice in the file.")
        entry_uids.add(uid)
        episode_uid = r.uid("episode_uid")
        if episode_uid not in episode_by_uid:
            raise r.fail("episode_uid", "does not match an episode in the file.")
        entry = PainEntry(
            owner=user,
            uid=uid,
            recorded_at=r.moment("recorded_at"),
            local_date=r.day("local_date"),
            pain=r.whole("pain", 0, PAIN_MAX),
            locations=r.codes("locations", Location.values),
            triggers=r.codes("triggers", Trigger.values),
            trigger_other=r.text("trigger_other", max_length=200),
            reliefs=r.codes("reliefs", Relief.values),
            relief_other=r.text("relief_other", max_length=200),
            leg_symptoms=r.choice("leg_symptoms", LegSymptoms.values, null=True),
            saddle_numbness=r.yes_no("saddle_numbness"),
            bladder_bowel=r.yes_no("bladder_bowel"),
            after_fall=r.yes_no("after_fall"),
            fever_or_weight_loss=r.yes_no("fever_or_weight_loss"),
            note=r.text("note", max_length=NOTE_MAX_LENGTH),
        )
        entries.append((episode_uid, entry))

    stretch_ids = dict(Stretch.objects.values_list("slug", "pk"))
    routines = []
    routine_uids = set()
    for index, item in enumerate(top.items("routines")):
        r = _Reader(item, f"Session {index + 1}")
        uid = r.uid()
        if uid in routine_uids:
            raise r.fail("uid", "appears twice in the file.")
        routine_uids.add(uid)
        name = r.text("name", max_length=100, required=True)
        if not name.strip():
            raise r.fail("name", "is empty.")
        routine = Routine(
            owner=user, uid=uid, name=name, description=r.text("description", max_length=1000)
        )
        steps = []
        for step_index, step_item in enumerate(r.items("steps")):
            s = _Reader(step_item, f"Session {index + 1}, step {step_index + 1}")
            slug = s.text("stretch", max_length=50, required=True)
            if slug not in stretch_ids:
                raise s.fail("stretch", f"“{slug}” is not a stretch on this server.")
            steps.append(
                {
                    "stretch_id": stretch_ids[slug],
                    "position": s.whole("position", 0, 1000),
                    "hold_seconds": s.whole("hold_seconds", *HOLD_LIMITS),
                    "repeats": s.whole("repeats", *REPEAT_LIMITS),
                }
            )
        routines.append((routine, steps))

    practices = []
    practice_uids = set()
    for index, item in enumerate(top.items("practices")):
        r = _Reader(item, f"Practice {index + 1}")
        uid = r.uid()
        if uid in practice_uids:
            raise r.fail("uid", "appears twice in the file.")
        practice_uids.add(uid)
        routine_uid = r.uid("routine_uid", required=False)
        if routine_uid is not None and routine_uid not in routine_uids:
            raise r.fail("routine_uid", "does not match a session in the file.")
        slug = r.text("routine_slug", max_length=50) or None
        practice = Practice(
            owner=user,
            uid=uid,
            routine_name=r.text("routine_name", max_length=100, required=True),
            started_at=r.moment("started_at"),
            finished_at=r.moment("finished_at", null=True),
            stopped_at=r.moment("stopped_at", null=True),
            stop_reason=r.choice("stop_reason", Practice.StopReason.values),
            pain_before=r.whole("pain_before", 0, PAIN_MAX),
            pain_after=r.whole("pain_after", 0, PAIN_MAX, null=True),
            steps_completed=r.whole("steps_completed", 0, 1000),
            steps_total=r.whole("steps_total", 0, 1000),
            note=r.text("note", max_length=2000),
        )
        practices.append((routine_uid, slug, practice))

    return _Plan(
        time_zone=tz_name,
        episodes=episodes,
        episode_by_uid=episode_by_uid,
        acknowledgements=acknowledgements,
        entries=entries,
        routines=routines,
        practices=practices,
    )


def import_data(data: dict[str, Any], user) -> ImportResult:
    """Validate all of ``data``, then write what is new, in one transaction.

    Raises ImportRefused (and writes nothing) if anything in the file is wrong.
    """
    plan = _validate(data, user)
    result = ImportResult()

    with transaction.atomic():
        # Episodes: keep the ones already here (same uid), add the others.
        existing = dict(Episode.objects.filter(owner=user).values_list("uid", "pk"))
        new_episodes = [e for e in plan.episodes if e.uid not in existing]
        if any(e.resolved_on is None for e in new_episodes) and (
            Episode.objects.filter(owner=user).open().exists()
        ):
            raise ImportRefused(
                "The file has an open episode and so does your account. Mark your current "
                "episode as resolved first, then import again."
            )
        Episode.objects.bulk_create(new_episodes)
        result.created["episodes"] = len(new_episodes)
        result.skipped["episodes"] = len(plan.episodes) - len(new_episodes)
        episode_pk = dict(Episode.objects.filter(owner=user).values_list("uid", "pk"))

        have_acks = set(
            FlagAcknowledgement.objects.filter(owner=user).values_list("episode_id", "code")
        )
        new_acks = [
            FlagAcknowledgement(
                owner=user, episode_id=episode_pk[episode_uid], code=code, seen_at=seen_at
            )
            for episode_uid, code, seen_at in plan.acknowledgements
            if (episode_pk[episode_uid], code) not in have_acks
        ]
        FlagAcknowledgement.objects.bulk_create(new_acks)
        result.created["flag acknowledgements"] = len(new_acks)

        have_entries = set(PainEntry.objects.filter(owner=user).values_list("uid", flat=True))
        new_entries = []
        for episode_uid, entry in plan.entries:
            if entry.uid in have_entries:
                continue
            entry.episode_id = episode_pk[episode_uid]
            new_entries.append(entry)
        PainEntry.objects.bulk_create(new_entries, batch_size=500)
        result.created["entries"] = len(new_entries)
        result.skipped["entries"] = len(plan.entries) - len(new_entries)

        have_routines = set(Routine.objects.filter(owner=user).values_list("uid", flat=True))
        new_routines = [(r, s) for r, s in plan.routines if r.uid not in have_routines]
        Routine.objects.bulk_create([r for r, _ in new_routines])
        routine_pk = dict(Routine.objects.filter(owner=user).values_list("uid", "pk"))
        RoutineStep.objects.bulk_create(
            [
                RoutineStep(routine_id=routine_pk[r.uid], **step)
                for r, steps in new_routines
                for step in steps
            ],
            batch_size=500,
        )
        result.created["sessions"] = len(new_routines)

        starter_pk = dict(
            Routine.objects.filter(owner__isnull=True, slug__isnull=False).values_list("slug", "pk")
        )
        have_practices = set(Practice.objects.filter(owner=user).values_list("uid", flat=True))
        new_practices = []
        for routine_uid, slug, practice in plan.practices:
            if practice.uid in have_practices:
                continue
            if routine_uid is not None:
                practice.routine_id = routine_pk.get(routine_uid)
            elif slug:
                # A starter session missing on this server: keep the name only.
                practice.routine_id = starter_pk.get(slug)
            new_practices.append(practice)
        Practice.objects.bulk_create(new_practices, batch_size=500)
        result.created["practices"] = len(new_practices)
        result.skipped["practices"] = len(plan.practices) - len(new_practices)

        if plan.time_zone:
            Profile.objects.update_or_create(user=user, defaults={"time_zone": plan.time_zone})
    return result
