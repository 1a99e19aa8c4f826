"""Today, the signed-in home: its sections in order, the quick entry, bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
    episode = make_episode(owner=person, onset=today_of(person) - timedelta(days=20))
    make_entry(episode=episode, on=today_of(person) - timedelta(days=1), pain=5)
    make_entry(episode=episode, on=today_of(person), pain=7, bladder_bowel=True)

    html = client.get("/").text
    banner, header, later, entry, session, week, last = positions(
        html,
        'class="warning-banner warning-banner--immediate',
        'class="site-header"',
        "Warning signs to act on",  # pain for more than two weeks: to book, listed here
        "How is your back today?",
        "Start a session",
        "Your last 7 days",
        "Your last session",
    )
    assert banner < header < later < entry < session < week < last
    assert 'role="alert"' in html[banner - 200 : banner + 200]  # the emergency is announced
    assert "Pain lasting" in html[later:entry] or "two weeks" in html[later:entry]
    assert "loss of bladder" not in html[later:entry].lower()  # not twice
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


def test_only_the_latest_session_is_offered_to_continue(client, person):
    evening = make_routine(owner=person, name="Evening", steps=[make_stretch()])
    morning = make_routine(owner=person, name="Morning", steps=[make_stretch()])
    make_practice(owner=person, routine=evening, started_at=timezone.now() - timedelta(hours=2))
    make_practice(owner=person, routine=morning, finished_at=timezone.now())
    html = client.get("/").text
    # Started since, "Morning" is the session to go on with, not the older "Evening".
    assert "Continue your session" not in html
    assert "Start “Morning”" in html


def test_a_session_started_and_later_deleted_offers_the_latest_that_still_exists(client, person):
    kept = make_routine(owner=person, name="Kept", steps=[make_stretch()])
    make_practice(owner=person, routine=kept, days_ago=3, finished_at=timezone.now())
    make_practice(owner=person, routine=None)  # its session was deleted since
    html = client.get("/").text
    assert "Start “Kept”" in html and "Continue your session" not in html


def test_the_session_to_start_and_the_last_rated_one_come_from_one_query(client, person):
    morning = make_routine(owner=person, name="Morning", steps=[make_stretch()])
    for days_ago in range(10):
        make_practice(
            owner=person,
            routine=morning,
            days_ago=days_ago,
            pain_after=2,
            finished_at=timezone.now(),
        )
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/").text
    practice_reads = [q for q in captured.captured_queries if "routines_practice" in q["sql"]]
    assert len(practice_reads) == 1, practice_reads
    assert "Start “Morning”" in html and "<strong>2</strong> after" in html


def test_an_older_session_is_offered_behind_many_whose_session_was_deleted(client, person):
    kept = make_routine(owner=person, name="Kept", steps=[make_stretch()])
    make_practice(owner=person, routine=kept, days_ago=30, finished_at=timezone.now())
    for days_ago in range(8):  # rated, but their session was deleted since
        make_practice(owner=person, routine=None, days_ago=days_ago, pain_after=4)
    html = client.get("/").text
    assert "Start “Kept”" in html
    assert "<strong>4</strong> after" in html  # the latest rated one, though deleted


def test_an_older_rated_session_is_shown_behind_many_unrated_ones(client, person):
    morning = make_routine(owner=person, name="Morning", steps=[make_stretch()])
    make_practice(owner=person, routine=morning, days_ago=30, pain_before=8, pain_after=1)
    for days_ago in range(8):  # stopped early: no pain score after them
        make_practice(owner=person, routine=morning, days_ago=days_ago, stopped_at=timezone.now())
    html = client.get("/").text
    assert "Your last session" in html
    assert "pain <strong>8</strong> before" in html and "<strong>1</strong> after" in html


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
    print(f"Today: {small} queries for a new person, {large} with 401 entries and 31 sessions")
    # Session and person, open episode, its flag rows, the latest practices (the session
    # to offer and the last rated one), the week: seven at most.
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


def test_today_shows_only_the_persons_own_data(client, person, django_user_model):
    stranger = make_user()
    episode = make_episode(owner=stranger, onset=today_of(person) - timedelta(days=30))
    make_entry(episode=episode, on=today_of(person), pain=9, bladder_bowel=True)
    html = client.get("/").text
    assert "Warning signs to act on" not in html
    assert "warning-banner" not in html
    assert html.count("not logged") == 7


# --- one log: the player's safety check is an entry of the pain log ----------------


@pytest.fixture
def routine(person):
    return make_routine(owner=person, name="Morning", steps=[make_stretch(), make_stretch()])


def start(client, routine, **data):
    return client.post(reverse("routines:play_start", args=[routine.pk]), data)


def test_the_safety_check_is_saved_as_an_entry_before_a_session(client, person, routine):
    from routines.models import Practice

    response = start(client, routine, pain_before="6", **NONE)
    practice = Practice.objects.get(owner=person)
    assert response.status_code == 302 and str(practice.uid) in response["Location"]
    entry = PainEntry.objects.get(owner=person)
    assert entry.source == PainEntry.Source.SESSION
    assert entry.pain == practice.pain_before == 6
    assert practice.pain_entry == entry
    assert not PainEntry.reports(entry)
    # Finished, the pain after is kept with the practice and shown beside the entry.
    client.post(
        reverse("routines:play_finish", args=[routine.pk, str(practice.uid)]),
        {"pain_after": "3", "steps_completed": "2"},
    )
    log = client.get(reverse("symptoms:entry_list")).text
    assert "Before a session" in log
    assert "Session: “Morning”; pain after it: <strong>3</strong> (mild)." in log


def test_a_warning_sign_in_the_safety_check_is_kept_in_the_log_and_stops_the_session(
    client, person, routine
):
    from routines.models import Practice

    response = start(client, routine, pain_before="7", **ticked("bladder_bowel"))
    assert response.status_code == 200
    assert "Please do not start this session now" in response.text
    assert "Your answers are saved in your" in response.text
    assert not Practice.objects.exists()
    entry = PainEntry.objects.get(owner=person)
    assert entry.source == PainEntry.Source.SESSION and entry.bladder_bowel is True
    # Checked like any entry: the warning is on every page and on the log.
    log = client.get(reverse("symptoms:entry_list")).text
    assert "Warning signs to act on" in log
    assert "warning-banner" in client.get(reverse("routines:stretch_list")).text


def test_an_entry_of_the_last_30_minutes_is_offered_instead_of_asking_again(
    client, person, routine
):
    from routines.models import Practice

    client.post(reverse("symptoms:entry_create"), {"pain": "4", **NONE})
    entry = PainEntry.objects.get(owner=person)
    page = client.get(reverse("routines:play_start", args=[routine.pk])).text
    assert "You logged your pain at" in page
    assert "Pain 4 out of 10 (moderate), and none of the warning signs." in page
    # The form starts from that entry's answers: only what changed needs a tap.
    form = client.get(reverse("routines:play_start", args=[routine.pk])).context["form"]
    assert form.initial == {"pain_before": 4, "warning_signs": ["none"]}

    response = start(client, routine, use_entry=str(entry.pk))
    assert response.status_code == 302
    practice = Practice.objects.get(owner=person)
    assert practice.pain_entry == entry and practice.pain_before == 4
    assert PainEntry.objects.count() == 1  # nothing asked or saved twice


def test_a_changed_answer_makes_a_new_entry(client, person, routine):
    client.post(reverse("symptoms:entry_create"), {"pain": "4", **NONE})
    start(client, routine, pain_before="6", **NONE)
    assert sorted(PainEntry.objects.values_list("pain", "source")) == [
        (4, "log"),
        (6, "session"),
    ]


def test_an_older_entry_or_someone_elses_is_not_offered(client, person, routine):
    episode = make_episode(owner=person, onset=today_of(person))
    old = make_entry(episode=episode, on=today_of(person), pain=2)
    PainEntry.objects.filter(pk=old.pk).update(recorded_at=timezone.now() - timedelta(minutes=31))
    stranger = make_user()
    theirs = make_entry(episode=make_episode(owner=stranger, onset=today_of(person)), pain=1)
    PainEntry.objects.filter(pk=theirs.pk).update(recorded_at=timezone.now())
    page = client.get(reverse("routines:play_start", args=[routine.pk])).text
    assert "You logged your pain at" not in page
    # Using an entry that is not offered is the plain form again: answers needed.
    for pk in (old.pk, theirs.pk):
        assert start(client, routine, use_entry=str(pk)).status_code == 400


def test_a_guest_session_saves_no_entry(client, routine):
    from routines.models import Routine

    client.logout()
    starter = make_routine(name="Open", steps=[make_stretch()])
    assert Routine.objects.filter(pk=starter.pk, owner__isnull=True).exists()
    response = start(client, starter, pain_before="5", **NONE)
    assert response.status_code == 302 and "/guest/" in response["Location"]
    assert not PainEntry.objects.exists()


def test_export_and_import_carry_the_source_and_the_practice_link(client, person, routine):
    from routines.models import Practice
    from transfer import export
    from transfer.importer import import_data

    start(client, routine, pain_before="5", **NONE)
    data = export.export_json(person)
    import json

    document = json.loads(data)
    (entry,) = document["entries"]
    (practice,) = document["practices"]
    assert entry["source"] == "session"
    assert practice["pain_entry_uid"] == entry["uid"]

    other = make_user()
    import_data(document, other)
    copied = Practice.objects.get(owner=other)
    assert copied.pain_entry is not None
    assert copied.pain_entry.owner == other and copied.pain_entry.source == "session"
    assert str(copied.pain_entry.uid) == entry["uid"]
