"""The practice log: /routines/history/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from routines import services
from routines.history_views import HISTORY_PAGE_SIZE
from routines.models import Practice
from safety.pain import is_meaningful_drop
from tests.routine_factories import count_queries, make_practice, make_routine, make_stretch

pytestmark = pytest.mark.django_db

URL = "routines:practice_list"


@pytest.fixture
def routine(person):
    return make_routine(owner=person, name="Evening", steps=[make_stretch()])


def test_history_lists_own_practices_with_the_change_in_pain(client, person, other, routine):
    make_practice(owner=person, routine=routine, pain_before=7, pain_after=4, days_ago=2)
    make_practice(owner=person, routine=routine, pain_before=5, pain_after=4, days_ago=1)
    make_practice(owner=person, routine=routine, pain_before=3, pain_after=5)
    make_practice(owner=other, routine=None, routine_name="Bob's session")
    client.force_login(person)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    text = response.text
    assert "Bob" not in text
    assert text.count("meaningful improvement") == 2  # intro line + the one drop of 3
    assert "-3: meaningful improvement" in text
    assert "-1: a little better" in text
    assert "+2: worse" in text
    rows = list(response.context["page"].object_list)
    assert [p.pain_before for p in rows] == [3, 5, 7]  # newest first


def test_history_shows_stopped_and_unfinished_practices(client, person, routine):
    make_practice(owner=person, routine=routine, stop_reason="radiating", stopped_at=None)
    practice = make_practice(owner=person, routine=routine)
    services.stop_practice(practice=practice, reason="sharp", steps_completed=1)
    client.force_login(person)
    text = client.get(reverse(URL)).text
    assert "Stopped: sharp pain" in text
    assert "Not finished" in text
    assert "1 of 3" in text


def test_history_keeps_deleted_sessions_by_name(client, person, routine):
    make_practice(owner=person, routine=routine, pain_before=6, pain_after=6)
    routine.delete()
    client.force_login(person)
    response = client.get(reverse(URL))
    assert "Evening" in response.text and "No change" in response.text


@pytest.mark.parametrize(
    ("change", "meaningful"),
    [(-2, True), (-5, True), (-1, False), (0, False), (2, False), (None, False)],
)
def test_meaningful_improvement_is_a_drop_of_two_or_more(change, meaningful):
    assert is_meaningful_drop(change) is meaningful


def test_history_is_paginated(client, person, routine):
    for day in range(HISTORY_PAGE_SIZE + 5):
        make_practice(owner=person, routine=routine, days_ago=day)
    client.force_login(person)
    first = client.get(reverse(URL))
    assert len(first.context["page"].object_list) == HISTORY_PAGE_SIZE
    second = client.get(reverse(URL) + "?page=2")
    assert len(second.context["page"].object_list) == 5
    assert client.get(reverse(URL) + "?page=zzz").status_code == 200


def test_history_queries_constant_for_5_and_500_practices(client, person, routine):
    client.force_login(person)
    url = reverse(URL)
    Practice.objects.bulk_create(make_practice_obj(person, routine, n) for n in range(5))
    five = count_queries(client, url)
    Practice.objects.bulk_create(make_practice_obj(person, routine, n) for n in range(5, 500))
    assert Practice.objects.filter(owner=person).count() == 500
    five_hundred = count_queries(client, url)
    print(f"history queries: 5 practices -> {five}, 500 practices -> {five_hundred}")
    assert five == five_hundred
    assert five <= 6  # +1: the warning-banner check on every signed-in page


def make_practice_obj(owner, routine, n: int) -> Practice:
    return Practice(
        owner=owner,
        routine=routine,
        routine_name=routine.name,
        started_at=timezone.now() - timedelta(hours=n),
        finished_at=timezone.now() - timedelta(hours=n) + timedelta(minutes=5),
        pain_before=6,
        pain_after=n % 7,
        steps_completed=1,
        steps_total=1,
    )


def test_history_signed_out_redirects_to_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_history_wrong_method(client, person):
    client.force_login(person)
    assert client.post(reverse(URL)).status_code == 405
