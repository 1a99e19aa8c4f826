"""Today, the signed-in home: its sections in order, the quick entry, bounded queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from symptoms.models import PainEntry
from tests.routine_factories import count_queries, make_practice, make_routine, make_stretch
from tests.signs import NONE, ticked
from tests.symptom_factories import make_daily_entries, make_entry, make_episode, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = make_user(time_zone="Europe/London")
    client.force_login(user)
    return user


def today_of(user):
    return timezone.localdate(timezone=user.profile.zone)


def positions(html: str, *texts: str) -> list[int]:
    found = [html.find(text) for text in texts]
    assert all(p >= 0 for p in found), dict(zip(texts, found, strict=True))
    return found


def test_signed_out_home_is_still_the_introduction(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Help for a lower back spasm" in response.text
    assert "How is your back today?" not in response.text


def test_signed_in_home_is_today_with_its_sections_in_order(client, person):
    stretch = make_stretch(name="Pelvic tilt")
    routine = make_routine(owner=person, name="Morning", steps=[stretch])
    make_practice(
        owner=person,
        routine=routine,
        days_ago=1,
        pain_before=6,
        pain_after=3,
        finished_at=timezone.now() - timedelta(days=1),
    )
    episode = make_episode(owner=person, onset=today_of(person) - timedelta(days=2))
    make_entry(episode=episode, on=today_of(person) - timedelta(days=1), pain=5)
    make_entry(episode=episode, on=today_of(person), pain=7, bladder_bowel=True)

    html = client.get("/").text
    warning, entry, session, week, last = positions(
        html,
        "Warning signs to act on",
        "How is your back today?",
        "Start a session",
        "Your last 7 days",
        "Your last session",
    )
    assert warning < entry < session < week < last
    assert 'role="alert"' in html[:warning]  # an immediate warning is announced
    assert "warning-banner" not in html  # shown once, in the page, not again as a banner
    assert "Start “Morning”" in html  # the session played last
    assert "pain <strong>6</strong> before" in html and "<strong>3</strong> after" in html
    assert "(down 3)" in html
    # The glance: today's and yesterday's worst pain in text, 2 of 7 days logged.
    assert "<strong>7</strong> severe" in html and "<strong>5</strong> moderate" in html
    assert "You logged on 2 of the 7 days" in html
    assert html.count("not logged") == 5


def test_an_unfinished_session_is_offered_to_continue(client, person):
    routine = make_routine(owner=person, name="Evening", steps=[make_stretch()])
    practice = make_practice(owner=person, routine=routine, steps_completed=0)
    html = client.get("/").text
    assert "Continue your session" in html
    assert "Start a session" not in html
    step = reverse("routines:play_step", args=[routine.pk, str(practice.uid), 1])
    assert f'href="{step}"' in html


def test_an_old_unfinished_session_is_not_offered(client, person):
    routine = make_routine(owner=person, name="Evening", steps=[make_stretch()])
    make_practice(owner=person, routine=routine, days_ago=2)
    html = client.get("/").text
    assert "Continue your session" not in html
    assert "Start “Evening”" in html


def test_a_new_person_is_offered_a_starter_session(client, person):
    make_routine(name="Gentle start", steps=[make_stretch()])
    html = client.get("/").text
    assert "Start “Gentle start”" in html
    assert "Your last session" not in html
    assert html.count("not logged") == 7


def test_the_quick_entry_saves_and_returns_to_today(client, person):
    response = client.post(reverse("symptoms:entry_create"), {"pain": "3", **NONE, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    entry = PainEntry.objects.get(owner=person)
    assert entry.pain == 3
    assert entry.local_date == today_of(person)
    assert abs(entry.recorded_at - timezone.now()) < timedelta(minutes=1)
    assert not PainEntry.reports(entry)
    page = client.get("/")
    assert "Your entry is saved." in page.text
    assert "<strong>3</strong> mild" in page.text


def test_several_entries_a_day_are_allowed(client, person):
    for pain in ("3", "5"):
        client.post(reverse("symptoms:entry_create"), {"pain": pain, **NONE, "next": "/"})
    assert PainEntry.objects.filter(owner=person).count() == 2
    assert "<strong>5</strong> moderate" in client.get("/").text


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_next_must_be_a_page_of_this_site(client, person, next_url):
    response = client.post(
        reverse("symptoms:entry_create"), {"pain": "3", **NONE, "next": next_url}
    )
    assert response["Location"] == reverse("symptoms:entry_list")


def test_a_warning_sign_from_today_opens_the_alert_first(client, person):
    response = client.post(
        reverse("symptoms:entry_create"),
        {"pain": "6", **ticked("bladder_bowel"), "next": "/"},
    )
    entry = PainEntry.objects.get(owner=person)
    assert response["Location"] == reverse("symptoms:entry_saved", args=[entry.pk])


def test_bad_quick_entry_shows_the_form_with_its_message_and_keeps_next(client, person):
    response = client.post(reverse("symptoms:entry_create"), {"pain": "3", "next": "/"})
    assert response.status_code == 400
    assert 'id="id_warning_signs_error"' in response.text
    assert '<input type="hidden" name="next" value="/">' in response.text
    assert PainEntry.objects.count() == 0


def test_the_quick_entry_is_a_plain_form_before_the_details(client, person):
    """No script needed: one form posting to the entry page, Save before the details."""
    html = client.get("/").text
    form_start = html.index('<form method="post" action="/symptoms/new/"')
    pain, signs, save, details = positions(
        html[form_start:],
        'name="pain"',
        'name="warning_signs"',
        "Save entry",
        "Add details",
    )
    assert pain < signs < save < details
    assert 'type="radio" name="pain" value="0"' in html
    assert "no pain</span>" in html and "severe</span>" in html


def test_today_takes_a_fixed_number_of_queries(client, person, django_assert_max_num_queries):
    routine = make_routine(owner=person, steps=[make_stretch()])
    small = count_queries(client, "/")
    episode = make_episode(owner=person, onset=today_of(person) - timedelta(days=400))
    make_daily_entries(episode=episode, days=401)
    for days_ago in range(30):
        make_practice(
            owner=person,
            routine=routine,
            days_ago=days_ago,
            pain_after=3,
            finished_at=timezone.now(),
        )
    make_practice(owner=person, routine=routine)  # unfinished
    large = count_queries(client, "/")
    # Flags read the acknowledgements only when an episode is open: one more.
    assert large <= small + 1, (small, large)
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_today_shows_only_the_persons_own_data(client, person, django_user_model):
    stranger = make_user()
    episode = make_episode(owner=stranger, onset=today_of(person))
    make_entry(episode=episode, on=today_of(person), pain=9, bladder_bowel=True)
    html = client.get("/").text
    assert "Warning signs to act on" not in html
    assert html.count("not logged") == 7
