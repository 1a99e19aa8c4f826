"""Episodes: onset, open until resolved, a new one after a resolved one."""

import random
import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from safety.red_flags import Acknowledgement, check_episode
from safety.rules import RULES
from safety.signs import SIGNS
from symptoms import episode_flags, services
from symptoms.episode_flags import ROW_FIELDS
from symptoms.models import Episode, FlagNotice, PainEntry
from symptoms.queries import newest_episodes
from tests.symptom_factories import make_daily_entries, make_entry, make_episode, make_user

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 1)
DAY_START = timezone.make_aware(datetime(2025, 3, 1), timezone.UTC)
YES_NO_CODES = [sign.code for sign in SIGNS if sign.is_yes_no]
CODES = list(RULES)


def new_entry(owner, day: date, pain: int = 3, **signs) -> PainEntry:
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10), timezone.UTC)
    return services.save_entry(owner=owner, entry=PainEntry(recorded_at=moment, pain=pain, **signs))


def test_first_entry_opens_an_episode_from_its_date():
    person = make_user()
    entry = new_entry(person, DAY)
    assert entry.episode.onset_date == DAY
    assert entry.episode.is_open


def test_onset_may_be_earlier_but_not_later_than_the_entry():
    person = make_user()
    entry = services.save_entry(
        owner=person,
        entry=PainEntry(recorded_at=timezone.make_aware(datetime(2025, 3, 1, 10)), pain=3),
        onset_date=DAY + timedelta(days=5),
    )
    assert entry.episode.onset_date == DAY  # clamped to the entry's day
    other = make_user()
    entry = services.save_entry(
        owner=other,
        entry=PainEntry(recorded_at=timezone.make_aware(datetime(2025, 3, 1, 10)), pain=3),
        onset_date=DAY - timedelta(days=4),
    )
    assert entry.episode.onset_date == DAY - timedelta(days=4)


def test_local_date_uses_the_profile_time_zone():
    person = make_user(time_zone="America/Los_Angeles")
    # 03:00 UTC on 2 March is 19:00 on 1 March in Los Angeles.
    moment = timezone.make_aware(datetime(2025, 3, 2, 3), timezone.UTC)
    entry = services.save_entry(owner=person, entry=PainEntry(recorded_at=moment, pain=2))
    assert entry.local_date == DAY


def test_new_entry_after_a_resolved_episode_starts_a_new_one():
    person = make_user()
    first = new_entry(person, DAY).episode
    services.resolve_episode(episode=first, resolved_on=DAY + timedelta(days=3))
    second = new_entry(person, DAY + timedelta(days=10)).episode
    assert second.pk != first.pk
    assert second.onset_date == DAY + timedelta(days=10)
    assert Episode.objects.filter(owner=person).open().get() == second


def test_flags_of_a_new_episode_do_not_carry_the_old_signs():
    person = make_user()
    first = new_entry(person, DAY, bladder_bowel=True).episode
    assert [f.code for f in episode_flags.for_episode(first)] == ["bladder_bowel"]
    services.resolve_episode(episode=first, resolved_on=DAY + timedelta(days=1))
    first.refresh_from_db()
    assert episode_flags.for_episode(first) == []
    second = new_entry(person, DAY + timedelta(days=30)).episode
    assert episode_flags.for_episode(second) == []


def test_only_one_open_episode_per_person():
    person = make_user()
    make_episode(owner=person, onset=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_episode(owner=person, onset=DAY + timedelta(days=1))


def test_episode_flags_include_acknowledgements():
    person = make_user()
    episode = make_episode(owner=person, onset=DAY)
    make_entry(episode=episode, on=DAY, leg_symptoms="one")
    make_entry(episode=episode, on=DAY + timedelta(days=15), pain=2)
    episode_flags.acknowledge_flag(episode=episode, code="leg_one")
    flags = episode_flags.for_episode(episode)
    assert [(f.code, f.acknowledged) for f in flags] == [
        ("leg_one", True),
        ("pain_over_two_weeks", False),
    ]


def _all_signs(episode) -> list:
    return [entry.checker_signs() for entry in episode.entries.all()]


def test_episode_flags_equal_the_checker_over_every_entry():
    """flag_rows() only pre-filters: the flags match checking the whole episode."""
    rng = random.Random(2026)
    person = make_user()
    for round_ in range(40):
        episode = make_episode(owner=person, onset=DAY, resolved_on=None)
        for _ in range(rng.randint(0, 30)):
            make_entry(
                episode=episode,
                on=DAY + timedelta(days=rng.randint(0, 40)),
                pain=rng.randint(0, 10),
                leg_symptoms=rng.choice([None, "none", "none", "one", "both"]),
                **{
                    code: rng.choice([None, False, False, False, False, True])
                    for code in YES_NO_CODES
                },
            )
        for code in rng.sample(CODES, 2):
            episode_flags.acknowledge_flag(episode=episode, code=code)
        acks = [Acknowledgement(a.code, a.seen_at) for a in episode.acknowledgements.all()]
        expected = check_episode(
            onset=DAY, resolved_on=None, entries=_all_signs(episode), acknowledged=acks
        )
        assert episode_flags.for_episode(episode) == expected, f"round {round_}"
        episode.resolved_on = DAY  # make room for the next open episode
        episode.save()


def test_a_long_quiet_episode_reads_few_rows(django_assert_num_queries):
    person = make_user()
    episode = make_episode(owner=person, onset=DAY)
    make_daily_entries(episode=episode, days=400)
    make_entry(episode=episode, on=DAY + timedelta(days=3), after_fall=True, pain=8)
    # The first day, the fall, the one leg on day 40, the first day of pain after two
    # weeks, the last three days, and (the fall carries forward) every severe day.
    entries = sorted(episode.entries.all(), key=lambda e: (e.local_date, e.recorded_at, e.pk))
    long_pain = next(e for e in entries if (e.local_date - DAY).days > 14 and e.pain >= 1)
    expected = {entries[0].pk, long_pain.pk, *(e.pk for e in entries[-3:])}
    expected |= {e.pk for e in entries if e.leg_symptoms == "one" or e.after_fall or e.pain >= 7}
    assert {row["pk"] for row in episode_flags.flag_rows(episode)} == expected
    assert len(expected) < len(entries) / 2
    with django_assert_num_queries(2):
        codes = [f.code for f in episode_flags.for_episode(episode)]
    assert codes == ["leg_one", "fall_severe_pain", "pain_over_two_weeks"]


def test_a_long_quiet_episode_without_a_fall_reads_a_handful_of_rows():
    episode = make_episode(owner=make_user(), onset=DAY)
    make_daily_entries(episode=episode, days=1000)
    assert len(episode_flags.flag_rows(episode)) == 1 + 1 + 1 + 3  # first, leg, long, last 3


def test_flag_rows_hold_exactly_what_the_orm_reads():
    """Read with a plain cursor, converted as Django converts: aware datetimes, dates,
    booleans (SQLite stores 0 and 1) and unanswered questions come out as values() gives
    them, types included."""
    episode = make_episode(owner=make_user(), onset=DAY)
    make_entry(episode=episode, on=DAY, pain=8, after_fall=True, leg_symptoms="one")
    make_entry(episode=episode, on=DAY + timedelta(days=1), pain=2, after_fall=False)
    make_entry(episode=episode, on=DAY + timedelta(days=2), pain=0, **dict.fromkeys(YES_NO_CODES))

    def typed(rows) -> list[dict]:
        return sorted(
            ({name: (type(value), value) for name, value in row.items()} for row in rows),
            key=lambda row: row["pk"],
        )

    read = episode_flags.flag_rows(episode)
    assert len(read) == 3
    assert typed(read) == typed(PainEntry.objects.filter(episode=episode).values(*ROW_FIELDS))
    assert all(timezone.is_aware(row["recorded_at"]) for row in read)


def test_flag_rows_reads_each_part_through_an_index():
    """No part of the statement reads the whole entries table. SQLite: its plan names an
    index for every read, and nothing is sorted. PostgreSQL: with sequential scans
    priced out (a test table is too small for the planner to prefer an index), no read
    of the entries table is left without one."""
    episode = make_episode(owner=make_user(), onset=DAY)
    make_daily_entries(episode=episode, days=30)
    params = [episode.pk, True, episode.pk, episode.pk, 3, episode.pk, DAY]
    params += [episode.pk, 7, episode.pk, True, True, True]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + episode_flags._flag_rows_sql(), params)
            plan = [row[-1] for row in cursor.fetchall()]
            reads = [step for step in plan if "symptoms_painentry" in step]
            assert len(reads) == 6, plan
            assert all(s.startswith("SEARCH symptoms_painentry USING INDEX entry_") for s in reads)
            assert not any("FOR ORDER BY" in step for step in plan), plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + episode_flags._flag_rows_sql(), params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan on symptoms_painentry" not in plan, plan
            assert plan.count("symptoms_painentry") >= 6, plan


@pytest.mark.parametrize(
    ("earlier", "seen", "entry", "alert"),
    [
        ({}, [], {}, False),  # nothing reported
        ({"bladder_bowel": True}, [], {}, False),  # an old sign: listed on the log
        ({}, [], {"bladder_bowel": True}, True),
        # Reported after seeing a doctor: a new warning (issue 12).
        ({}, ["bladder_bowel"], {"bladder_bowel": True}, True),
        ({"bladder_bowel": True}, ["bladder_bowel"], {}, False),  # seen; nothing new
        ({}, [], {"after_fall": True, "pain": 6}, False),
        ({}, [], {"after_fall": True, "pain": 7}, True),
        ({"after_fall": True, "pain": 2}, [], {"pain": 8}, True),  # the fall carries forward
        ({"after_fall": True, "pain": 2}, [], {"pain": 6}, False),
        ({}, [], {"day": 14, "pain": 5}, False),  # two weeks is not more than two weeks
        ({}, [], {"day": 15, "pain": 5}, True),  # non-urgent: the first time
        ({}, [], {"day": 15, "pain": 0}, False),
        ({}, ["pain_over_two_weeks"], {"day": 30, "pain": 5}, False),  # booked
    ],
)
def test_alert_for_a_sign_this_entry_reports(earlier, seen, entry, alert):
    person = make_user()
    episode = make_episode(owner=person, onset=DAY)
    if earlier:
        make_entry(episode=episode, on=DAY, **earlier)
    for code in seen:
        episode_flags.acknowledge_flag(episode=episode, code=code)
    entry = dict(entry)
    day = DAY + timedelta(days=entry.pop("day", 1))
    saved = make_entry(episode=episode, on=day, **entry)
    assert bool(episode_flags.alert_for(saved)) is alert


def test_a_non_urgent_alert_interrupts_once_per_episode():
    episode = make_episode(owner=make_user(), onset=DAY)
    first = make_entry(episode=episode, on=DAY + timedelta(days=16))
    shown = episode_flags.alert_for(first)
    assert [f.code for f in shown] == ["pain_over_two_weeks"]
    episode_flags.note_alert_shown(episode=episode, flags=shown)
    assert episode_flags.alert_for(make_entry(episode=episode, on=DAY + timedelta(days=17))) == []
    # An urgent sign still interrupts every time it is reported.
    urgent = make_entry(episode=episode, on=DAY + timedelta(days=18), fever=True)
    assert [f.code for f in episode_flags.alert_for(urgent)] == ["fever"]


def test_alert_is_empty_in_a_resolved_episode():
    episode = make_episode(owner=make_user(), onset=DAY, resolved_on=DAY)
    assert episode_flags.alert_for(make_entry(episode=episode, bladder_bowel=True)) == []


def test_acknowledge_rejects_unknown_codes():
    episode = make_episode(owner=make_user(), onset=DAY)
    with pytest.raises(ValueError):
        episode_flags.acknowledge_flag(episode=episode, code="nope")


# --- the resolve view --------------------------------------------------------------


def test_resolve_marks_the_episode_and_the_next_entry_asks_onset(client):
    person = make_user()
    client.force_login(person)
    episode = make_episode(owner=person, onset=DAY)
    make_entry(episode=episode)
    url = reverse("symptoms:episode_resolve", args=[episode.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="resolved_on"' in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.resolved_on == timezone.localdate()  # left empty: today
    html = client.get(reverse("symptoms:entry_create")).content.decode()
    assert 'name="onset_date"' in html
    # Resolving again: it is no longer open.
    assert client.post(url).status_code == 404


def test_resolve_wrong_method_and_other_person(client):
    person = make_user()
    client.force_login(person)
    mine = make_episode(owner=person, onset=DAY)
    theirs = make_episode(owner=make_user(), onset=DAY)
    assert client.put(reverse("symptoms:episode_resolve", args=[mine.pk])).status_code == 405
    assert client.get(reverse("symptoms:episode_resolve", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("symptoms:episode_resolve", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open


def test_resolve_signed_out_redirects_to_login(client):
    episode = make_episode(owner=make_user(), onset=DAY)
    response = client.post(reverse("symptoms:episode_resolve", args=[episode.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    episode.refresh_from_db()
    assert episode.is_open


def test_a_first_entry_racing_another_joins_the_episode_it_opened(monkeypatch):
    person = make_user()
    opened = make_episode(owner=person, onset=DAY)
    # As if the open episode appeared between the look-up and the insert.
    monkeypatch.setattr(
        services.Episode.objects, "select_for_update", lambda: Episode.objects.none()
    )
    entry = new_entry(person, DAY + timedelta(days=1))
    assert entry.episode == opened
    assert Episode.objects.filter(owner=person).count() == 1


# --- earlier episodes -------------------------------------------------------------------


def test_list_links_earlier_episodes_and_their_page_shows_their_entries(client):
    person = make_user()
    client.force_login(person)
    old = make_episode(owner=person, onset=DAY, resolved_on=DAY + timedelta(days=6))
    make_entry(episode=old, note="From the old one")
    make_entry(episode=old, on=DAY + timedelta(days=2), note="Second old")
    current = make_episode(owner=person, onset=timezone.localdate())
    make_entry(episode=current, on=timezone.localdate(), note="Current")
    html = client.get(reverse("symptoms:entry_list")).content.decode()
    assert "Earlier episodes" in html
    assert reverse("symptoms:episode_detail", args=[old.pk]) in html
    assert "From the old one" not in html  # the list shows the open episode's entries
    assert "(2 entries)" in html
    response = client.get(reverse("symptoms:episode_detail", args=[old.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "From the old one" in html and "Second old" in html
    assert "Current" not in html
    assert "7 days after it started" in html
    assert html.count("<h1") == 1


def test_newest_episodes_open_first_then_newest_with_live_counts_and_undo():
    person, other = make_user(), make_user()
    resolved = [
        make_episode(
            owner=person,
            onset=DAY + timedelta(days=10 * n),
            resolved_on=DAY + timedelta(days=10 * n + 3),
        )
        for n in range(4)
    ]
    current = make_episode(owner=person, onset=DAY - timedelta(days=30))  # open, oldest onset
    gone = make_episode(
        owner=person, onset=DAY + timedelta(days=100), resolved_on=DAY + timedelta(days=101)
    )
    Episode.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    make_episode(owner=other, onset=DAY + timedelta(days=200))  # someone else's, open
    for n in range(3):
        make_entry(episode=resolved[1], hour=8 + n)
    deleted = make_entry(episode=resolved[1], hour=12)
    deleted_at = timezone.now() - timedelta(minutes=5)
    PainEntry.all_objects.filter(pk=deleted.pk).update(deleted_at=deleted_at)
    make_entry(episode=current)

    listed = newest_episodes(person, 3, deleted_since=deleted_at - timedelta(seconds=1))
    assert [e.pk for e in listed] == [current.pk, resolved[3].pk, resolved[2].pk]
    assert [e.entry_count for e in listed] == [1, 0, 0]
    assert all(e.undoable for e in listed)
    everything = newest_episodes(person, 10, deleted_since=deleted_at)
    assert [e.pk for e in everything] == [current.pk, *(e.pk for e in reversed(resolved))]
    assert everything[3].entry_count == 3  # the deleted entry is not counted
    assert not any(e.undoable for e in everything)  # deleted at, not after, the moment
    assert newest_episodes(make_user(), 10, deleted_since=deleted_at) == []


def test_episode_page_of_another_person_is_404_and_post_is_405(client):
    person = make_user()
    client.force_login(person)
    theirs = make_episode(owner=make_user(), onset=DAY)
    assert client.get(reverse("symptoms:episode_detail", args=[theirs.pk])).status_code == 404
    mine = make_episode(owner=person, onset=DAY)
    assert client.post(reverse("symptoms:episode_detail", args=[mine.pk])).status_code == 405


# --- changing the start date ------------------------------------------------------------


def test_change_onset_to_an_earlier_day(client):
    person = make_user()
    client.force_login(person)
    episode = make_episode(owner=person, onset=DAY)
    make_entry(episode=episode, on=DAY)
    url = reverse("symptoms:episode_onset", args=[episode.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"onset_date": f"{DAY - timedelta(days=3)}"})
    assert response["Location"] == reverse("symptoms:entry_list")
    episode.refresh_from_db()
    assert episode.onset_date == DAY - timedelta(days=3)


@pytest.mark.parametrize("value", [f"{DAY + timedelta(days=1)}", "soon", ""])
def test_onset_after_the_first_entry_or_not_a_date_is_refused(client, value):
    person = make_user()
    client.force_login(person)
    episode = make_episode(owner=person, onset=DAY)
    make_entry(episode=episode, on=DAY)
    response = client.post(
        reverse("symptoms:episode_onset", args=[episode.pk]), {"onset_date": value}
    )
    assert response.status_code == 400
    assert "onset_date" in response.context["form"].errors
    episode.refresh_from_db()
    assert episode.onset_date == DAY


def test_onset_of_another_persons_episode_is_404(client):
    client.force_login(make_user())
    theirs = make_episode(owner=make_user(), onset=DAY)
    url = reverse("symptoms:episode_onset", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"onset_date": f"{DAY - timedelta(days=1)}"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.onset_date == DAY
    assert client.put(url).status_code == 405


# --- resolving with a warning still active ----------------------------------------------


def _person_with_flag(client, **signs):
    person = make_user()
    client.force_login(person)
    today = timezone.localdate()
    episode = make_episode(owner=person, onset=today - timedelta(days=4))
    make_entry(episode=episode, on=today - timedelta(days=2), **signs)
    return person, episode


@pytest.mark.parametrize("signs", [{"bladder_bowel": True}, {"leg_symptoms": "one"}])
def test_resolving_with_an_active_warning_asks_first(client, signs):
    _, episode = _person_with_flag(client, **signs)
    url = reverse("symptoms:episode_resolve", args=[episode.pk])
    response = client.post(url, {"resolved_on": f"{timezone.localdate()}"})
    assert response.status_code == 200  # the confirmation page, nothing changed
    html = response.content.decode()
    assert "Before you mark this episode resolved" in html
    assert 'href="tel:' in html  # the call buttons are on it
    episode.refresh_from_db()
    assert episode.is_open
    response = client.post(url, {"resolved_on": f"{timezone.localdate()}", "confirm": "yes"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.resolved_on == timezone.localdate()


def test_a_non_urgent_warning_does_not_stop_resolving(client):
    person = make_user()
    client.force_login(person)
    today = timezone.localdate()
    episode = make_episode(owner=person, onset=today - timedelta(days=20))
    make_entry(episode=episode, on=today - timedelta(days=1))
    response = client.post(reverse("symptoms:episode_resolve", args=[episode.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(("days", "ok"), [(-3, False), (-2, True), (0, True), (1, False)])
def test_the_resolution_date_lies_from_the_last_entry_to_today(client, days, ok):
    _, episode = _person_with_flag(client)
    day = timezone.localdate() + timedelta(days=days)
    response = client.post(
        reverse("symptoms:episode_resolve", args=[episode.pk]), {"resolved_on": f"{day}"}
    )
    assert response.status_code == (302 if ok else 400)
    episode.refresh_from_db()
    assert episode.resolved_on == (day if ok else None)


def test_flags_of_a_resolved_episode_stay_on_its_page_and_in_the_report(client):
    person, episode = _person_with_flag(client, saddle_numbness=True)
    client.post(
        reverse("symptoms:episode_resolve", args=[episode.pk]),
        {"resolved_on": f"{timezone.localdate()}", "confirm": "yes"},
    )
    page = client.get(reverse("symptoms:episode_detail", args=[episode.pk])).content.decode()
    assert "Numbness or altered feeling around the genitals" in page
    report = client.get(reverse("progress:report") + f"?episode={episode.pk}").content.decode()
    assert "Numbness or altered feeling around the genitals" in report
    assert "warning-banner" not in client.get("/stretches/").content.decode()


def _resolve(client, episode) -> None:
    response = client.post(
        reverse("symptoms:episode_resolve", args=[episode.pk]),
        {"resolved_on": f"{timezone.localdate()}", "confirm": "yes"},
    )
    assert response.status_code == 302


def test_resolving_by_mistake_is_undone_and_the_warning_is_back_first_on_every_page(client):
    """Resolving silences an episode's warnings, so it must be reversible: reopening
    brings them back as they were (banner, log, call buttons)."""
    person, episode = _person_with_flag(client, bladder_bowel=True)
    _resolve(client, episode)
    assert "warning-banner" not in client.get("/stretches/").content.decode()
    log = client.get(reverse("symptoms:entry_list")).content.decode()
    reopen = reverse("symptoms:episode_reopen", args=[episode.pk])
    assert f'action="{reopen}"' in log  # offered right where resolving leads

    response = client.post(reopen)
    assert response.status_code == 302 and response["Location"] == reverse("symptoms:entry_list")
    episode.refresh_from_db()
    assert episode.is_open
    log = client.get(reverse("symptoms:entry_list")).content.decode()
    assert "The episode is open again" in log
    assert 'href="tel:' in log and f'action="{reopen}"' not in log
    assert "warning-banner" in client.get("/stretches/").content.decode()


def test_reopening_takes_in_the_episode_opened_since(client):
    """Resolved by mistake, then a new entry opened a new episode: reopening makes them
    one spell again, with the new episode's entries, acknowledgements and shown alerts."""
    person, episode = _person_with_flag(client, leg_symptoms="one")
    first_entry = episode.entries.get()
    acknowledged = episode_flags.acknowledge_flag(episode=episode, code="leg_one")
    _resolve(client, episode)
    today = timezone.localdate()
    newer = make_episode(owner=person, onset=today)
    later_entry = make_entry(episode=newer, on=today, bladder_bowel=True)
    deleted_entry = make_entry(episode=newer, on=today)
    services.delete_entry(entry=deleted_entry)  # still undoable: it moves too
    ack = episode_flags.acknowledge_flag(episode=newer, code="bladder_bowel")
    shown = FlagNotice.objects.create(episode=newer, code="fever", shown_at=timezone.now())
    FlagNotice.objects.create(episode=episode, code="pain_over_two_weeks", shown_at=DAY_START)
    FlagNotice.objects.create(episode=newer, code="pain_over_two_weeks", shown_at=timezone.now())

    page = client.get(reverse("symptoms:episode_detail", args=[episode.pk])).content.decode()
    assert "your open episode, which started on" in page
    assert client.post(reverse("symptoms:episode_reopen", args=[episode.pk])).status_code == 302

    episode.refresh_from_db()
    assert episode.is_open and episode.onset_date == today - timedelta(days=4)
    assert not Episode.all_objects.filter(pk=newer.pk).exists()
    assert set(PainEntry.all_objects.filter(episode=episode)) == {
        first_entry,
        later_entry,
        deleted_entry,
    }
    assert set(episode.acknowledgements.all()) == {acknowledged, ack}
    # Each shown alert once: the newer episode's copy of one already shown is dropped.
    assert dict(episode.notices.values_list("code", "shown_at")) == {
        "fever": shown.shown_at,
        "pain_over_two_weeks": DAY_START,
    }
    assert services.restore_entry(entry=PainEntry.all_objects.get(pk=deleted_entry.pk))
    assert PainEntry.objects.get(pk=deleted_entry.pk).episode_id == episode.pk


def test_an_episode_opened_while_reopening_joins_it_too(monkeypatch):
    """An entry in another tab opens an episode between reopen's read and its write:
    the database refuses a second open episode, and reopen takes that one in."""
    person = make_user()
    episode = make_episode(owner=person, onset=DAY, resolved_on=DAY + timedelta(days=2))
    newer = make_episode(owner=person, onset=DAY + timedelta(days=5))
    entry = make_entry(episode=newer, on=DAY + timedelta(days=5))
    reads = []
    real_open_episode = services.open_episode

    def open_episode_too_early(owner, *, lock=False):
        reads.append(lock)
        return None if len(reads) == 1 else real_open_episode(owner, lock=lock)

    monkeypatch.setattr(services, "open_episode", open_episode_too_early)
    services.reopen_episode(episode=episode)
    assert len(reads) == 2
    assert Episode.objects.open().get(owner=person) == episode
    assert PainEntry.objects.get(pk=entry.pk).episode_id == episode.pk
    assert not Episode.all_objects.filter(pk=newer.pk).exists()


def test_only_the_newest_resolved_episode_can_be_reopened(client):
    person = make_user()
    client.force_login(person)
    older = make_episode(owner=person, onset=DAY, resolved_on=DAY + timedelta(days=3))
    newest = make_episode(
        owner=person, onset=DAY + timedelta(days=10), resolved_on=DAY + timedelta(days=12)
    )
    older_page = client.get(reverse("symptoms:episode_detail", args=[older.pk]))
    assert "Reopen" not in older_page.content.decode()
    assert client.post(reverse("symptoms:episode_reopen", args=[older.pk])).status_code == 404
    assert (
        "Reopen"
        in client.get(reverse("symptoms:episode_detail", args=[newest.pk])).content.decode()
    )
    assert client.get(reverse("symptoms:episode_reopen", args=[newest.pk])).status_code == 405
    assert client.post(reverse("symptoms:episode_reopen", args=[newest.pk])).status_code == 302
    assert client.post(reverse("symptoms:episode_reopen", args=[newest.pk])).status_code == 404
    older.refresh_from_db()
    assert older.resolved_on == DAY + timedelta(days=3)
    assert Episode.objects.open().get(owner=person) == newest
    # Resolving it again is the way back; the older one is then the newest resolved again.
    services.resolve_episode(episode=newest, resolved_on=DAY + timedelta(days=12))
    assert services.reopenable_episode(person) == newest


def test_nobody_else_can_reopen_an_episode(client):
    owner = make_user("owner")
    episode = make_episode(owner=owner, onset=DAY, resolved_on=DAY + timedelta(days=2))
    url = reverse("symptoms:episode_reopen", args=[episode.pk])
    assert client.post(url).status_code == 302  # to log in
    client.force_login(make_user("someone-else"))
    assert client.post(url).status_code == 404
    episode.refresh_from_db()
    assert episode.resolved_on == DAY + timedelta(days=2)


@pytest.mark.parametrize("sign", SIGNS, ids=lambda sign: sign.code)
def test_reports_sign_follows_the_answers_and_the_database_refuses_a_stale_one(sign):
    """The column the check reads by index is worked out on every write, and an update()
    that changes an answer behind the model's back is refused, not silently stale."""
    episode = make_episode(owner=make_user(), onset=DAY)
    entry = make_entry(episode=episode, on=DAY)
    yes = True if sign.is_yes_no else next(c.value for c in sign.choices if c.reported)
    assert PainEntry.objects.get(pk=entry.pk).reports_sign is False
    setattr(entry, sign.code, yes)
    entry.save()
    assert PainEntry.objects.get(pk=entry.pk).reports_sign is True
    setattr(entry, sign.code, sign.no)
    entry.save(update_fields=[sign.code, "reports_sign"])
    assert PainEntry.objects.get(pk=entry.pk).reports_sign is False
    with pytest.raises(IntegrityError), transaction.atomic():
        PainEntry.objects.filter(pk=entry.pk).update(**{sign.code: yes})
    entries = PainEntry.objects.bulk_create([PainEntry(**_copy(entry), **{sign.code: yes})])
    assert PainEntry.objects.get(pk=entries[0].pk).reports_sign is True


def _copy(entry: PainEntry) -> dict:
    fields = ("owner_id", "episode_id", "recorded_at", "local_date", "pain")
    return {name: getattr(entry, name) for name in fields}


def test_the_open_episode_is_the_live_unresolved_one_of_its_owner():
    person, other = make_user("ann"), make_user("bob")
    assert services.open_episode(person) is None
    resolved = make_episode(owner=person, onset=DAY)
    services.resolve_episode(episode=resolved, resolved_on=DAY)
    make_episode(owner=other, onset=DAY)
    assert services.open_episode(person) is None
    current = make_episode(owner=person, onset=DAY + timedelta(days=3))
    found = services.open_episode(person)
    assert (found.pk, found.onset_date) == (current.pk, current.onset_date)
    Episode.objects.filter(pk=current.pk).update(deleted_at=timezone.now())  # Undo pending
    assert services.open_episode(person) is None


@pytest.mark.django_db(transaction=True)
def test_locking_the_open_episode_needs_a_transaction():
    person = make_user()
    make_episode(owner=person, onset=DAY)
    with pytest.raises(transaction.TransactionManagementError):
        services.open_episode(person, lock=True)
    with transaction.atomic():
        assert services.open_episode(person, lock=True) is not None


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_saving_an_entry_waits_for_the_episode_another_save_holds():
    """Filing an entry locks the open episode's row until it commits, so a save (or a
    resolve) at the same moment waits instead of working on a stale episode."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: no row locks to test")
    person = make_user()
    make_episode(owner=person, onset=DAY)
    locked, release = threading.Event(), threading.Event()

    def hold_the_episode():
        try:
            with transaction.atomic():
                services.open_episode(person, lock=True)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_episode)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            new_entry(person, DAY + timedelta(days=1))
    finally:
        release.set()
        holder.join(10)
    assert new_entry(person, DAY + timedelta(days=1)).episode.onset_date == DAY
