"""Reads that the ORM made slow to build: one query each, whatever the history.

Plain functions over symptoms.models, used by the log, an episode's page and every
saved entry (the open episode). Each statement leaves deleted rows out itself, so it
runs through ``all_objects``: the default manager would build its "not deleted" filter,
which raw() never uses, on every call.
"""

import functools

from django.db import connection
from django.db.transaction import TransactionManagementError

from symptoms.models import Episode, PainEntry

# The log's first query: the person's newest episodes, the open one first, each with its
# count of live entries (counted for those few only, picked by the LIMIT inside), and
# whether one of the person's entries was deleted since a moment (Undo is offered then).
# Django took about 1.3 ms to compile this query from the ORM (a grouped count over a
# limited sub-select, an EXISTS), four times what the database takes to run it, on the
# page read most; so it is written here once, with identifiers from the models and
# every value a parameter, as symptoms.episode_flags does for the red-flag rows.
NEWEST_EPISODES_SQL = """
SELECT episode.*,
    (SELECT COUNT(*) FROM {entries} counted
        WHERE counted.episode_id = episode.id AND counted.deleted_at IS NULL) AS entry_count,
    EXISTS (SELECT 1 FROM {entries} deleted
        WHERE deleted.owner_id = %s AND deleted.deleted_at > %s) AS undoable
FROM (
    SELECT {columns} FROM {episodes}
    WHERE owner_id = %s AND deleted_at IS NULL
    ORDER BY resolved_on IS NULL DESC, onset_date DESC, id DESC
    LIMIT %s
) AS episode
ORDER BY episode.resolved_on IS NULL DESC, episode.onset_date DESC, episode.id DESC
"""


@functools.cache
def _newest_episodes_sql() -> str:
    quote = connection.ops.quote_name
    return NEWEST_EPISODES_SQL.format(
        columns=", ".join(quote(field.column) for field in Episode._meta.concrete_fields),
        entries=quote(PainEntry._meta.db_table),
        episodes=quote(Episode._meta.db_table),
    )


def newest_episodes(owner, limit: int, *, deleted_since) -> list[Episode]:
    """The person's ``limit`` newest episodes (not deleted), the open one first, then
    the others newest first; each with ``entry_count`` (its entries not deleted) and
    ``undoable``: whether one of the person's entries was deleted after
    ``deleted_since`` (the same on every row). One query, whatever the history."""
    params = [
        owner.pk,
        connection.ops.adapt_datetimefield_value(deleted_since),
        owner.pk,
        limit,
    ]
    return list(Episode.all_objects.raw(_newest_episodes_sql(), params))


# The person's open episode (at most one: the one_open_episode_per_owner constraint),
# read before every entry is saved (locked) and on Today, progress and the session
# player. The ORM took about 0.3 ms of Python to build this one-row read (through the
# partial unique index), on every post.
OPEN_EPISODE_SQL = """
SELECT {columns} FROM {episodes}
WHERE owner_id = %s AND resolved_on IS NULL AND deleted_at IS NULL{lock}
"""


@functools.cache
def _open_episode_sql(lock: bool) -> str:
    quote = connection.ops.quote_name
    return OPEN_EPISODE_SQL.format(
        columns=", ".join(quote(field.column) for field in Episode._meta.concrete_fields),
        episodes=quote(Episode._meta.db_table),
        # SQLite has no row locks: its write transactions are exclusive (BEGIN IMMEDIATE).
        lock=" FOR UPDATE" if lock and connection.features.has_select_for_update else "",
    )


def open_episode(owner, *, lock: bool = False) -> Episode | None:
    """The person's open episode, if any; with ``lock``, its row stays locked until the
    transaction ends (as ``select_for_update()``, which also needs one)."""
    if lock and connection.get_autocommit():
        raise TransactionManagementError("open_episode(lock=True) needs a transaction.")
    episodes = list(Episode.all_objects.raw(_open_episode_sql(lock), [owner.pk]))
    return episodes[0] if episodes else None


def with_sessions(entries) -> list[PainEntry]:
    """The entries as a list, each with ``sessions``: the practices (routines.Practice)
    it was the safety check of, newest first, read in one query for all of them.
    (``prefetch_related`` gives the same at about twice the cost on a page of twenty,
    0.7 ms against 0.4 ms, most of it in its own machinery.)"""
    entries = list(entries)
    sessions = {entry.pk: [] for entry in entries}
    practice_model = PainEntry.practices.rel.related_model  # symptoms does not import routines
    for practice in practice_model.objects.filter(pain_entry__in=entries):
        sessions[practice.pain_entry_id].append(practice)
    for entry in entries:
        entry.sessions = sessions[entry.pk]
    return entries
