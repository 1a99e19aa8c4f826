"""Migration 0007: entries saved before it get reports_sign from their answers."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from symptoms.models import PainEntry
from tests.test_drawings_migration import back_to_latest, migrate  # noqa: F401 (fixture)

BEFORE = [("symptoms", "0006_undo_deletes")]


@pytest.mark.usefixtures("back_to_latest")
def test_old_entries_get_the_column_from_their_answers():
    apps = migrate(BEFORE)
    user = apps.get_model("auth", "User").objects.create(username="old")
    episode = apps.get_model("symptoms", "Episode").objects.create(
        owner=user, onset_date=date(2025, 1, 1)
    )
    old_entry = apps.get_model("symptoms", "PainEntry")
    moment = timezone.make_aware(datetime(2025, 1, 1, 9), timezone.UTC)
    answers = [{"leg_symptoms": "none"}, {"leg_symptoms": "both"}, {"fever": True}, {}]
    for n, signs in enumerate(answers):
        old_entry.objects.create(
            owner=user,
            episode=episode,
            recorded_at=moment,
            local_date=moment.date(),
            pain=n,
            **signs,
        )
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    stored = dict(PainEntry.objects.values_list("pain", "reports_sign"))
    assert stored == {0: False, 1: True, 2: True, 3: False}
