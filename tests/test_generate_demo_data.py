"""The demo/benchmark data generator."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from routines.models import Practice
from symptoms.models import Episode, PainEntry


@pytest.mark.django_db
def test_one_person_gets_one_entry_a_day_inside_episodes_and_their_practices():
    call_command("generate_demo_data", "--username", "demo", "--days", "60", "--practices", "7")
    person = get_user_model().objects.get(username="demo")
    entries = PainEntry.objects.filter(owner=person)
    assert entries.count() == 60
    assert entries.values("local_date").distinct().count() == 60
    assert Practice.objects.filter(owner=person).count() == 7
    assert Episode.objects.filter(owner=person).open().count() == 1
    for episode in Episode.objects.filter(owner=person):
        dates = list(episode.entries.values_list("local_date", flat=True))
        assert dates
        assert min(dates) == episode.onset_date
        if episode.resolved_on:
            assert max(dates) == episode.resolved_on
    assert person.check_password("demo-pass-phrase-2026")


@pytest.mark.django_db
def test_population_mode_makes_many_people_and_refuses_to_duplicate_them():
    args = ["--people", "3", "--days", "10", "--practices", "2", "--username", "pop"]
    call_command("generate_demo_data", *args)
    people = get_user_model().objects.filter(username__startswith="pop-")
    assert people.count() == 3
    for person in people:
        assert PainEntry.objects.filter(owner=person).count() == 10
    with pytest.raises(CommandError, match="exist already"):
        call_command("generate_demo_data", *args)
    call_command("generate_demo_data", *args, "--replace")
    assert PainEntry.objects.count() == 30
