"""Deleting with undo: a deleted row stays, marked, for a day.

A person's deleted pain entry (with an episode left empty) or session is marked
``deleted_at`` instead of removed. Every ordinary query leaves it out: the models'
default manager (``objects``, also behind related managers such as
``episode.entries``) is a ``LiveManager``; ``all_objects`` sees deleted rows too and is
for undo and purging only. For UNDO_WINDOW the next pages offer "Undo", which puts the
row back exactly as it was (same id, uid, fields and relations). Rows deleted more
than KEEP_DELETED ago are purged (``manage.py purge_deleted``, and each new deletion
purges its owner's); deleting the account removes them at once (CASCADE).
"""

from datetime import datetime, timedelta

from django.db import models

UNDO_WINDOW = timedelta(minutes=15)
KEEP_DELETED = timedelta(days=1)


class LiveManager(models.Manager):
    """Rows not deleted: the default manager of a model with undo."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


UNDO_MINUTES = int(UNDO_WINDOW.total_seconds() // 60)  # for the words on the pages


def undo_open(deleted_at: datetime | None, now: datetime) -> bool:
    """Whether a row deleted at ``deleted_at`` can still be brought back by Undo."""
    return deleted_at is not None and now - deleted_at <= UNDO_WINDOW


def undo_until(deleted_at: datetime) -> datetime:
    return deleted_at + UNDO_WINDOW


def purge_before(now: datetime) -> datetime:
    """Rows deleted before this moment are purged."""
    return now - KEEP_DELETED
