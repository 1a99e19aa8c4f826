"""Import a JSON export back: all or nothing.

The whole file is parsed and every record validated before one row is written, and the
writes run in one transaction. Records are checked for their JSON types here, then by
the models' own validation (the limits, choices and rules the pages use), dates by the
range of safety.dates; objects are matched on their ``uid``, so importing the same file
twice creates nothing new. One import at a time per person: the transaction locks the
person's profile row, and a second import meanwhile is refused (ImportBusy, 409).

The uploaded bytes become the export's object in transfer.parsing.
"""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from accounts.models import Profile
from accounts.services import get_profile
from routines.models import Practice, Routine, RoutineStep, Stretch
from safety import dates
from safety.rules import CODES
from safety.signs import SIGNS
from symptoms.models import (
    LEGACY_LOCATIONS,
    RENAMED_LOCATIONS,
    Episode,
    FlagAcknowledgement,
    Location,
    PainEntry,
    Relief,
    Trigger,
    known_locations,
)
from transfer.reader import Clock, ImportBusy, ImportRefused, Reader, shown

# Today's regions, and the codes of files exported before the body map.
IMPORTED_LOCATIONS = (*Location.values, *LEGACY_LOCATIONS, *RENAMED_LOCATIONS)


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


@dataclass
class _Plan:
    """Everything validated and ready to write."""

    time_zone: str | None
    episodes: list[Episode]
    acknowledgements: list[tuple[uuid.UUID, str, datetime]]
    entries: list[tuple[uuid.UUID, PainEntry]]
    routines: list[tuple[Routine, list[RoutineStep]]]
    practices: list[tuple[uuid.UUID | None, str | None, uuid.UUID | None, Practice]]


def _unique(r: Reader, seen: set[uuid.UUID]) -> uuid.UUID:
    uid = r.uid()
    if uid in seen:
        raise r.fail("uid", "appears twice in the file.")
    seen.add(uid)
    return uid


def _episodes(top: Reader, user) -> list[Episode]:
    episodes, uids = [], set()
    for r in top.each("episodes", "Episode"):
        episode = Episode(
            owner=user,
            uid=_unique(r, uids),
            onset_date=r.day("onset_date"),
            resolved_on=r.day("resolved_on", null=True),
        )
        if episode.resolved_on is not None and episode.resolved_on < episode.onset_date:
            raise r.fail("resolved_on", "is before the onset date.")
        episodes.append(r.validated(episode))
    if sum(e.resolved_on is None for e in episodes) > 1:
        raise ImportRefused("The file has more than one open episode; only one can be open.")
    return episodes


def _acknowledgements(top: Reader, episode_uids: set[uuid.UUID]) -> list:
    """Acknowledgements of known warning-sign codes (safety.red_flags)."""
    acknowledgements, seen = [], set()
    for r in top.each("flag_acknowledgements", "Flag acknowledgement"):
        episode_uid = r.link("episode_uid", episode_uids, "an episode")
        code = r.text("code", required=True)
        if code not in CODES:
            raise r.fail("code", f"“{shown(code)}” is not a known warning sign.")
        seen_at = r.moment("seen_at")
        if (episode_uid, code, seen_at) not in seen:
            seen.add((episode_uid, code, seen_at))
            acknowledgements.append((episode_uid, code, seen_at))
    return acknowledgements


def _entries(top: Reader, user, onsets: dict[uuid.UUID, date]) -> list:
    """Entries as the form saves them: local_date is the day of recorded_at where the
    person was (safety.dates.day_fits_moment: any zone, they may have moved since), and
    not before their episode's onset (saving an earlier entry moves the onset back)."""
    entries, uids = [], set()
    for r in top.each("entries", "Entry"):
        entry = PainEntry(
            owner=user,
            uid=_unique(r, uids),
            recorded_at=r.moment("recorded_at"),
            local_date=r.day("local_date"),
            pain=r.whole("pain", PainEntry),
            locations=known_locations(r.codes("locations", IMPORTED_LOCATIONS)),
            triggers=r.codes("triggers", Trigger.values),
            trigger_other=r.text("trigger_other"),
            reliefs=r.codes("reliefs", Relief.values),
            relief_other=r.text("relief_other"),
            note=r.text("note"),
            source=r.choice("source", PainEntry.Source.values) or PainEntry.Source.LOG,
            **{sign.code: r.answer(sign) for sign in SIGNS},
        )
        if not dates.day_fits_moment(entry.local_date, entry.recorded_at):
            raise r.fail("local_date", "is not the date of “recorded_at” in any time zone.")
        episode_uid = r.link("episode_uid", set(onsets), "an episode")
        if entry.local_date < onsets[episode_uid]:
            raise r.fail("local_date", "is before the onset date of its episode.")
        entries.append((episode_uid, r.validated(entry, exclude=["episode"])))
    return entries


def _routines(top: Reader, user) -> list:
    stretch_ids = dict(Stretch.objects.values_list("slug", "pk"))
    routines, uids = [], set()
    for r in top.each("routines", "Session"):
        routine = Routine(
            owner=user,
            uid=_unique(r, uids),
            name=r.text("name", required=True).strip(),
            description=r.text("description"),
        )
        r.validated(routine)
        steps = []
        for s in r.each("steps", f"{r.where}, step"):
            slug = s.text("stretch", required=True)
            if slug not in stretch_ids:
                raise s.fail("stretch", f"“{shown(slug)}” is not a stretch on this server.")
            step = RoutineStep(
                stretch_id=stretch_ids[slug],
                position=s.whole("position", RoutineStep),
                hold_seconds=s.whole("hold_seconds", RoutineStep),
                repeats=s.whole("repeats", RoutineStep),
            )
            steps.append(s.validated(step, exclude=["routine", "stretch"]))
        routines.append((routine, steps))
    return routines


def _practices(top: Reader, user, routine_uids: set[uuid.UUID], entry_uids: set[uuid.UUID]) -> list:
    practices, uids = [], set()
    for r in top.each("practices", "Practice"):
        uid = _unique(r, uids)
        routine_uid = r.uid("routine_uid", required=False)
        if routine_uid is not None and routine_uid not in routine_uids:
            raise r.fail("routine_uid", "does not match a session in the file.")
        entry_uid = r.uid("pain_entry_uid", required=False)
        if entry_uid is not None and entry_uid not in entry_uids:
            raise r.fail("pain_entry_uid", "does not match an entry in the file.")
        practice = Practice(
            owner=user,
            uid=uid,
            routine_name=r.text("routine_name", required=True),
            started_at=r.moment("started_at"),
            finished_at=r.moment("finished_at", null=True),
            stopped_at=r.moment("stopped_at", null=True),
            stop_reason=r.choice("stop_reason", Practice.StopReason.values),
            pain_before=r.whole("pain_before", Practice),
            pain_after=r.whole("pain_after", Practice, null=True),
            steps_completed=r.whole("steps_completed", Practice),
            steps_total=r.whole("steps_total", Practice),
            note=r.text("note"),
        )
        for key in ("finished_at", "stopped_at"):
            end = getattr(practice, key)
            if end is not None and end < practice.started_at:
                raise r.fail(key, "is before “started_at”.")
        slug = r.text("routine_slug") or None
        practice = r.validated(practice, exclude=["routine", "pain_entry"])
        practices.append((routine_uid, slug, entry_uid, practice))
    return practices


def _validate(data: dict[str, Any], user, now: datetime) -> _Plan:
    clock = Clock(now=now, zone=get_profile(user).zone)
    profile = Reader(data.get("profile") or {}, "Profile", clock)
    tz_name = profile.text("time_zone") or None
    if tz_name is not None and tz_name not in zoneinfo.available_timezones():
        raise profile.fail("time_zone", f"“{shown(tz_name)}” is not a known time zone.")
    if tz_name is not None:  # the zone the account will have after the import
        clock = Clock(now=now, zone=zoneinfo.ZoneInfo(tz_name))
    top = Reader(data, "The file", clock)
    episodes = _episodes(top, user)
    episode_uids = {e.uid for e in episodes}
    routines = _routines(top, user)
    entries = _entries(top, user, {e.uid: e.onset_date for e in episodes})
    return _Plan(
        time_zone=tz_name,
        episodes=episodes,
        acknowledgements=_acknowledgements(top, episode_uids),
        entries=entries,
        routines=routines,
        practices=_practices(top, user, {r.uid for r, _ in routines}, {e.uid for _, e in entries}),
    )


def _drop_deleted_twins(plan: _Plan, user) -> None:
    """A row the person deleted (kept a day for undo) whose uid is in the file goes
    for good now: the file brings it back as written there."""
    for model, uids in (
        (PainEntry, [entry.uid for _, entry in plan.entries]),
        (Episode, [episode.uid for episode in plan.episodes]),
        (Routine, [routine.uid for routine, _ in plan.routines]),
    ):
        model.all_objects.filter(owner=user, deleted_at__isnull=False, uid__in=uids).delete()


def _write(plan: _Plan, user, result: ImportResult) -> None:
    _drop_deleted_twins(plan, user)
    # Episodes: keep the ones already here (same uid), add the others.
    existing = set(Episode.objects.for_owner(user).values_list("uid", flat=True))
    new_episodes = [e for e in plan.episodes if e.uid not in existing]
    if any(e.resolved_on is None for e in new_episodes) and (
        Episode.objects.for_owner(user).open().exists()
    ):
        raise ImportRefused(
            "The file has an open episode and so does your account. Mark your current "
            "episode as resolved first, then import again."
        )
    Episode.objects.bulk_create(new_episodes)
    result.created["episodes"] = len(new_episodes)
    result.skipped["episodes"] = len(plan.episodes) - len(new_episodes)
    episode_pk = dict(Episode.objects.for_owner(user).values_list("uid", "pk"))

    have_acks = set(
        FlagAcknowledgement.objects.filter(owner=user).values_list("episode_id", "code", "seen_at")
    )
    new_acks = [
        FlagAcknowledgement(
            owner=user, episode_id=episode_pk[episode_uid], code=code, seen_at=seen_at
        )
        for episode_uid, code, seen_at in plan.acknowledgements
        if (episode_pk[episode_uid], code, seen_at) not in have_acks
    ]
    FlagAcknowledgement.objects.bulk_create(new_acks)
    result.created["flag acknowledgements"] = len(new_acks)

    have_entries = set(PainEntry.objects.for_owner(user).values_list("uid", flat=True))
    new_entries = []
    for episode_uid, entry in plan.entries:
        if entry.uid not in have_entries:
            entry.episode_id = episode_pk[episode_uid]
            new_entries.append(entry)
    PainEntry.objects.bulk_create(new_entries, batch_size=500)
    result.created["entries"] = len(new_entries)
    result.skipped["entries"] = len(plan.entries) - len(new_entries)

    have_routines = set(Routine.objects.filter(owner=user).values_list("uid", flat=True))
    new_routines = [(r, s) for r, s in plan.routines if r.uid not in have_routines]
    Routine.objects.bulk_create([r for r, _ in new_routines])
    routine_pk = dict(Routine.objects.filter(owner=user).values_list("uid", "pk"))
    for routine, steps in new_routines:
        for step in steps:
            step.routine_id = routine_pk[routine.uid]
    RoutineStep.objects.bulk_create([s for _, steps in new_routines for s in steps], batch_size=500)
    result.created["sessions"] = len(new_routines)

    starter_pk = dict(Routine.objects.starters().exclude(slug=None).values_list("slug", "pk"))
    have_practices = set(Practice.objects.for_owner(user).values_list("uid", flat=True))
    linked = any(entry_uid for _, _, entry_uid, _ in plan.practices)
    entry_pk = dict(PainEntry.objects.for_owner(user).values_list("uid", "pk")) if linked else {}
    new_practices = []
    for routine_uid, slug, entry_uid, practice in plan.practices:
        if practice.uid in have_practices:
            continue
        if entry_uid is not None:
            practice.pain_entry_id = entry_pk.get(entry_uid)
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


BUSY = (
    "Another import into your account is running. Wait until it has finished, then "
    "import this file again if you still need to."
)
CHANGED = (
    "Your data changed while this file was being imported (an entry saved at the same "
    "moment, perhaps). Import the file again."
)


def _lock_owner(user) -> None:
    """Hold the person's profile row until the import's transaction ends: a second
    import meanwhile gets ImportBusy at once instead of waiting (PostgreSQL; SQLite
    runs one write transaction at a time anyway)."""
    get_profile(user)  # made if missing, outside the lock
    try:
        list(Profile.objects.select_for_update(nowait=True).filter(user=user).values("pk"))
    except OperationalError:
        raise ImportBusy(BUSY) from None


def import_data(data: dict[str, Any], user, *, now: datetime | None = None) -> ImportResult:
    """Validate all of ``data``, then write what is new, in one transaction.

    Raises ImportRefused (and writes nothing) if anything in the file is wrong, and
    ImportBusy if another import into the account is running.
    """
    plan = _validate(data, user, now or timezone.now())
    result = ImportResult()
    try:
        with transaction.atomic():
            _lock_owner(user)
            _write(plan, user, result)
    except IntegrityError:
        # A row the checks allowed clashed with one written meanwhile (an open episode
        # opened by a pain entry saved at the same moment): nothing of the file is kept.
        raise ImportBusy(CHANGED) from None
    return result
