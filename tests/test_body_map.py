"""Where it hurts: the body map's regions, the old choices migrated or kept, import."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from symptoms.models import Location, PainEntry
from tests.signs import NONE
from tests.symptom_factories import make_entry, make_episode, make_user

BEFORE = [("symptoms", "0003_warning_signs_for_every_nhs_sign")]
AFTER = [("symptoms", "0004_body_map_locations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest(transactional_db):
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_old_lower_back_choices_become_regions_and_the_others_are_kept(back_to_latest):
    apps = migrate(BEFORE)
    user = apps.get_model("auth", "User").objects.create(username="old")
    episode = apps.get_model("symptoms", "Episode").objects.create(
        owner_id=user.pk, onset_date="2025-01-01"
    )
    entry = apps.get_model("symptoms", "PainEntry").objects.create(
        owner_id=user.pk,
        episode=episode,
        recorded_at="2025-01-01T09:00Z",
        local_date="2025-01-01",
        pain=4,
        locations=["centre", "left", "right", "buttock", "leg"],
    )
    apps = migrate(AFTER)
    moved = apps.get_model("symptoms", "PainEntry").objects.get(pk=entry.pk)
    assert moved.locations == [
        "lower_back_centre",
        "lower_back_left",
        "lower_back_right",
        "buttock",
        "leg",
    ]
    apps = migrate(BEFORE)
    back = apps.get_model("symptoms", "PainEntry").objects.get(pk=entry.pk)
    assert back.locations == ["centre", "left", "right", "buttock", "leg"]


@pytest.mark.django_db
def test_the_regions_include_each_side_of_the_back_buttocks_and_legs():
    values = set(Location.values)
    for part in ("lower_back", "buttock", "thigh", "calf", "foot"):
        assert {f"{part}_left", f"{part}_right"} <= values
    assert "lower_back_centre" in values
    assert not {"centre", "left", "right", "buttock", "leg"} & values


@pytest.mark.django_db
def test_the_entry_form_offers_a_checkbox_and_label_per_region_and_a_drawing(client):
    client.force_login(make_user())
    html = client.get(reverse("symptoms:entry_create")).text
    for value, label in Location.choices:
        assert f'type="checkbox" name="locations" value="{value}"' in html
        assert f">{label}</label>" in html
        assert f'data-region="{value}"' in html
    assert 'aria-hidden="true"' in html[html.index('<svg class="body-map__figure"') :][:200]
    # The legacy choices are not offered for a new entry.
    assert 'value="buttock"' not in html and 'value="leg"' not in html


@pytest.mark.django_db
def test_an_old_entry_keeps_its_legacy_location_when_changed(client):
    user = make_user()
    client.force_login(user)
    entry = make_entry(episode=make_episode(owner=user, onset=_day()), locations=["leg"])
    html = client.get(reverse("symptoms:entry_edit", args=[entry.pk])).text
    assert "Down a leg (where not noted)" in html
    response = client.post(
        reverse("symptoms:entry_edit", args=[entry.pk]),
        {"pain": "5", **NONE, "locations": ["leg", "calf_left"], "recorded_at": ""},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.locations == ["calf_left", "leg"] or entry.locations == ["leg", "calf_left"]
    assert "Left calf or shin" in entry.location_labels


@pytest.mark.django_db
def test_picked_regions_are_saved_and_shown_in_the_log(client):
    user = make_user()
    client.force_login(user)
    client.post(
        reverse("symptoms:entry_create"),
        {"pain": "4", **NONE, "locations": ["lower_back_left", "buttock_left"]},
    )
    entry = PainEntry.objects.get(owner=user)
    assert entry.locations == ["lower_back_left", "buttock_left"]
    html = client.get(reverse("symptoms:entry_list")).text
    assert "Lower back, left side, Left buttock" in html


def _day():
    from datetime import date

    return date(2025, 3, 1)


@pytest.mark.django_db
def test_a_file_exported_before_the_body_map_imports_with_regions():
    import json

    from transfer import export
    from transfer.importer import import_data

    me = make_user()
    make_entry(episode=make_episode(owner=me, onset=_day()), locations=["lower_back_left"])
    document = json.loads(export.export_json(me))
    document["entries"][0]["locations"] = ["left", "centre", "buttock", "left"]
    other = make_user()
    import_data(document, other)
    entry = PainEntry.objects.get(owner=other)
    assert entry.locations == ["lower_back_left", "lower_back_centre", "buttock"]
    document["entries"][0]["locations"] = ["neck"]
    from transfer.reader import ImportRefused

    with pytest.raises(ImportRefused):
        import_data(document, make_user())
