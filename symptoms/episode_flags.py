"""An episode's flags: reading what the checker needs, and the person's acts on a flag.

The pure checker (safety.red_flags) decides; this module only feeds it the episode's
entries that can matter and the person's acknowledgements, in a fixed number of queries
whatever the episode's length, and stores acknowledgements and shown alerts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from safety.pain import SEVERE_PAIN
from safety.red_flags import Acknowledgement, Flag, check_episode
from safety.rules import CODES, LONG_PAIN_DAYS, WORSENING_ENTRIES, Urgency
from safety.signs import SIGN_CODES, Signs
from symptoms.models import (
    Episode,
    FlagAcknowledgement,
    FlagNotice,
    PainEntry,
)

ROW_FIELDS = ("pk", "local_date", "recorded_at", "updated_at", "pain", *SIGN_CODES)


# The statement behind flag_rows(): five small reads joined by UNION, each through an
# index of the episode's entries (entry_episode_signs, entry_episode_day). SQLite allows
# ORDER BY and LIMIT in a compound statement only inside a subquery. Identifiers come
# from the model (written in once per process); every value is a parameter.
FLAG_ROWS_SQL = """
SELECT {columns} FROM {entries} WHERE episode_id = %s AND deleted_at IS NULL
    AND reports_sign = %s
UNION SELECT * FROM (
    SELECT {columns} FROM {entries} WHERE episode_id = %s AND deleted_at IS NULL
    ORDER BY local_date, recorded_at, id LIMIT 1) AS first_entry
UNION SELECT * FROM (
    SELECT {columns} FROM {entries} WHERE episode_id = %s AND deleted_at IS NULL
    ORDER BY local_date DESC, recorded_at DESC, id DESC LIMIT %s) AS latest_entries
UNION SELECT * FROM (
    SELECT {columns} FROM {entries} WHERE episode_id = %s AND deleted_at IS NULL
        AND local_date > %s AND pain >= 1
    ORDER BY local_date, recorded_at, id LIMIT 1) AS long_pain
UNION SELECT {columns} FROM {entries} WHERE episode_id = %s AND deleted_at IS NULL
    AND pain >= %s AND EXISTS (
        SELECT 1 FROM {entries} WHERE episode_id = %s AND deleted_at IS NULL
            AND reports_sign = %s AND (after_fall = %s OR serious_accident = %s))
"""


@functools.cache
def _flag_rows_sql() -> str:
    meta = PainEntry._meta
    columns = [
        meta.pk.column if name == "pk" else meta.get_field(name).column for name in ROW_FIELDS
    ]
    quote = connection.ops.quote_name
    return FLAG_ROWS_SQL.format(
        columns=", ".join(map(quote, columns)), entries=quote(meta.db_table)
    )


@functools.cache
def _row_converters(vendor: str) -> list[tuple]:
    """For each column of ``ROW_FIELDS``: the converters Django's compiler applies to it
    on this kind of database (the backend's, then the field's), and the column they
    expect. SQLite, for one, returns datetimes as naive text and booleans as integers.
    They depend on the backend and the fields only, so they are looked up once per
    process (0.03 ms a read otherwise)."""
    meta = PainEntry._meta
    converters = []
    for name in ROW_FIELDS:
        column = (meta.pk if name == "pk" else meta.get_field(name)).get_col(meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((found, column))
    return converters


def flag_rows(episode: Episode) -> list[dict]:
    """The episode's entries that can raise a flag, as dicts of ``ROW_FIELDS`` (the
    checker's input, ``row_signs``): the same values ``values(*ROW_FIELDS)`` gives.

    A pre-filter only, so the pure checker stays the one place the rules live: every
    entry reporting a warning sign; the first entry and the latest few (pain getting
    worse); the earliest entry with pain more than two weeks after onset; and, once a
    fall or serious accident is reported, every entry with severe pain (it carries
    forward). Everything else cannot change ``check_episode``'s answer, so a long
    episode costs no more than a short one: one statement, each part read through an
    index (only severe pain after an injury is read from all of the episode's rows).
    Read with a plain cursor: as model instances a read took 0.23 ms, as converted
    values 0.11 ms (after every save, on the log and on Today).
    """
    pk = episode.pk
    long_after = episode.onset_date + timedelta(days=LONG_PAIN_DAYS)
    params = [
        *(pk, True),  # reporting a sign
        pk,  # the first entry
        *(pk, WORSENING_ENTRIES),  # the latest ones
        *(pk, long_after),  # the first day of pain more than two weeks after onset
        *(pk, SEVERE_PAIN, pk, True, True, True),  # severe pain once an injury is reported
    ]
    # The statement leaves deleted rows out (see symptoms.queries).
    with connection.cursor() as cursor:
        cursor.execute(_flag_rows_sql(), params)
        rows = cursor.fetchall()
    if not rows:
        return []
    converters = _row_converters(connection.vendor)
    return [_converted(row, converters) for row in rows]


def _converted(row: tuple, converters: list[tuple]) -> dict:
    values = {}
    for name, value, (found, column) in zip(ROW_FIELDS, row, converters, strict=True):
        for convert in found:
            value = convert(value, column, connection)
        values[name] = value
    return values


def row_signs(row: dict) -> Signs:
    """A row of ``ROW_FIELDS`` values as the checker's input."""
    return Signs.of(
        row,
        on=row["local_date"],
        pain=row["pain"],
        at=row["recorded_at"],
        saved_at=row["updated_at"],
        key=row["pk"],
    )


# The acknowledgements of an episode, oldest first, written once for the same reason as
# FLAG_ROWS_SQL: the ORM took 0.2 ms to compile this query, five times its run time,
# on every page that shows a flag (the log, Today) and after every save that raises one.
ACKNOWLEDGEMENTS_SQL = (
    "SELECT {id}, {code}, {seen_at} FROM {table} WHERE {episode} = %s ORDER BY {seen_at}, {id}"
)


@functools.cache
def _acknowledgements_sql() -> str:
    meta = FlagAcknowledgement._meta
    quote = connection.ops.quote_name
    columns = {
        name: quote(meta.get_field(name).column) for name in ("id", "code", "seen_at", "episode")
    }
    return ACKNOWLEDGEMENTS_SQL.format(table=quote(meta.db_table), **columns)


def acknowledgements(episode: Episode) -> Iterator[Acknowledgement]:
    """The person's acknowledgements in the episode, oldest first, read when first
    iterated: the checker reads them only if the episode raises a flag (most saves raise
    none)."""
    for row in FlagAcknowledgement.objects.raw(_acknowledgements_sql(), [episode.pk]):
        yield Acknowledgement(row.code, row.seen_at)


def for_episode(episode: Episode | None, *, history: bool = False) -> list[Flag]:
    """The checker's flags for an episode: a few small queries, whatever its length.

    A resolved episode has none to act on; with ``history``, the flags it raised (for
    the episode page and the doctor summary).
    """
    if episode is None or (episode.resolved_on is not None and not history):
        return []
    return check_episode(
        onset=episode.onset_date,
        resolved_on=episode.resolved_on,
        entries=[row_signs(row) for row in flag_rows(episode)],
        acknowledged=acknowledgements(episode),
        as_if_open=history,
    )


def banner_flags(user) -> list[Flag]:
    """The active immediate and urgent flags of the person's open episode, for the
    banner on every page: one indexed query when nothing in it reports a sign.

    Those flags come from entries that report a sign (severe pain counts only after a
    fall or accident, itself a reported sign), so an episode without such an entry has
    none; one with them is checked whole, as on the log.
    """
    reports = PainEntry.objects.filter(episode=OuterRef("pk"), reports_sign=True)
    episode = Episode.objects.open().filter(owner=user).filter(Exists(reports)).first()
    if episode is None:
        return []
    return active_urgent(for_episode(episode))


def alert_for(entry: PainEntry) -> list[Flag]:
    """The flags that make saving ``entry`` open the alert page first, most urgent first.

    An immediate or urgent flag the entry itself reports (a report after an
    acknowledgement included); a non-urgent flag of the episode whose alert has not been
    shown yet in this episode (each interrupts once, then stays listed on the log).
    """
    episode = entry.episode
    active = [f for f in for_episode(episode) if f.is_active]
    urgent = [f for f in active if f.urgency != Urgency.NON_URGENT and entry.pk in f.keys]
    non_urgent = [f for f in active if f.urgency == Urgency.NON_URGENT]
    if non_urgent:
        shown = set(episode.notices.values_list("code", flat=True))
        non_urgent = [f for f in non_urgent if f.code not in shown]
    return urgent + non_urgent


@transaction.atomic
def note_alert_shown(*, episode: Episode, flags: list[Flag]) -> None:
    """Remember that the non-urgent flags among ``flags`` have interrupted the person."""
    now = timezone.now()
    for flag in flags:
        if flag.urgency == Urgency.NON_URGENT:
            FlagNotice.objects.get_or_create(
                episode=episode, code=flag.code, defaults={"shown_at": now}
            )


def acknowledge_flag(*, episode: Episode, code: str) -> FlagAcknowledgement:
    """Record the person's acknowledgement of one flag, now: it covers every report of
    the sign made so far."""
    if code not in CODES:
        raise ValueError(f"unknown flag code {code!r}")
    return FlagAcknowledgement.objects.create(
        owner_id=episode.owner_id, episode=episode, code=code, seen_at=timezone.now()
    )


def undo_acknowledgement(*, episode: Episode, code: str) -> bool:
    """Take back the latest acknowledgement of a flag; False if there was none."""
    latest = episode.acknowledgements.filter(code=code).order_by("-seen_at", "-pk").first()
    if latest is None:
        return False
    latest.delete()
    return True


def raised_only_by(entry: PainEntry) -> list[Flag]:
    """The flags of the entry's episode that this entry alone reports: deleting it
    takes them off the log (the delete page says so)."""
    return [f for f in for_episode(entry.episode) if f.keys == {entry.pk}]


def active_urgent(flags: list[Flag]) -> list[Flag]:
    """The immediate and urgent flags still to act on."""
    return [f for f in flags if f.is_active and f.urgency != Urgency.NON_URGENT]


def has_active_immediate(flags: list[Flag]) -> bool:
    return any(f.is_active and f.urgency == Urgency.IMMEDIATE for f in flags)
