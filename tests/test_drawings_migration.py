"""Migration 0003: a stretch saved with one drawing gets a start and a hold drawing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("routines", "0002_guide_signs_from_the_rules")]
AFTER = [("routines", "0003_start_and_hold_drawings")]


def migrate(targets):
    """Migrate the test database to targets; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest(transactional_db):
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def old_stretch(apps, slug: str, illustration: str, alt: str) -> None:
    apps.get_model("routines", "Stretch").objects.create(
        slug=slug,
        name=slug,
        purpose="p",
        position="lying",
        starting_position="s",
        steps="one",
        illustration=illustration,
        illustration_alt=alt,
    )


def test_existing_stretches_keep_working_across_the_migration_and_back(back_to_latest):
    apps = migrate(BEFORE)
    old_stretch(apps, "knee-to-chest", "img/stretches/knee-to-chest.svg", "Old words")
    old_stretch(apps, "own-drawing", "img/logo.svg", "Drawn in the admin")

    Stretch = migrate(AFTER).get_model("routines", "Stretch")
    shipped = Stretch.objects.get(slug="knee-to-chest")
    assert shipped.start_illustration == "img/stretches/knee-to-chest-start.svg"
    assert shipped.hold_illustration == "img/stretches/knee-to-chest-hold.svg"
    assert shipped.start_alt.startswith("Lying on the back on the floor, both knees bent")
    assert "both hands holding that shin" in shipped.hold_alt
    own = Stretch.objects.get(slug="own-drawing")
    assert (own.start_illustration, own.start_alt) == ("img/logo.svg", "Drawn in the admin")
    assert (own.hold_illustration, own.hold_alt) == ("img/logo.svg", "Drawn in the admin")

    Stretch = migrate(BEFORE).get_model("routines", "Stretch")
    back = Stretch.objects.get(slug="knee-to-chest")
    assert back.illustration == "img/stretches/knee-to-chest-hold.svg"
    assert "both hands holding that shin" in back.illustration_alt
