"""Undo after deleting a pain entry or a session (accounts.deletion).

A deleted row is kept, marked, for a day: Undo brings it back exactly for
UNDO_WINDOW; nothing else sees it meanwhile (log, warnings, export, reminders); it is
purged after a day, and at once with the account.
"""

import uuid
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.deletion import UNDO_WINDOW
from reminders.models import Reminder
from routines import services as routine_services
from routines.models import Practice, Routine, RoutineStep
from symptoms import episode_flags
from symptoms import services as symptom_services
from symptoms.models import Episode, FlagAcknowledgement, PainEntry
from symptoms.queries import newest_episodes
from tests.routine_factories import make_practice, make_routine, make_stretch
from tests.symptom_factories import NO_SIGNS, make_entry, make_episode, make_user
from transfer.export import export_data
from transfer.importer import import_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = make_user()
    client.force_login(user)
    return user


def row(model, pk: int) -> dict:
    """Every stored column of one row, deleted or not."""
    return model.all_objects.filter(pk=pk).values().get()


def delete_entry(client, entry: PainEntry):
    return client.post(reverse("symptoms:entry_delete", args=[entry.pk]), follow=True)


def undo_entry(client, entry: PainEntry, **kwargs):
    return client.post(reverse("symptoms:entry_restore", args=[entry.pk]), **kwargs)


# --- pain entries ------------------------------------------------------------------------


def test_a_deleted_entry_comes_back_exactly_with_its_episode(client, person):
    episode = make_episode(owner=person, onset=timezone.localdate() - timedelta(days=3))
    entry = make_entry(
        episode=episode, pain=6, locations=["left"], note="Lifted a box.", **NO_SIGNS
    )
    FlagAcknowledgement.objects.create(
        owner=person, episode=episode, code="bladder_bowel", seen_at=timezone.now()
    )
    entry_before, episode_before = row(PainEntry, entry.pk), row(Episode, episode.pk)

    response = delete_entry(client, entry)
    # The next page is the log, offering Undo (a POST form with the CSRF token).
    assert response.redirect_chain[-1][0] == reverse("symptoms:entry_list")
    text = response.content.decode()
    assert "Deleted just now" in text
    assert reverse("symptoms:entry_restore", args=[entry.pk]) in text
    assert "csrfmiddlewaretoken" in text
    assert not PainEntry.objects.filter(pk=entry.pk).exists()
    # Its episode had no other entry: it is gone from the log too.
    assert not Episode.objects.filter(pk=episode.pk).exists()
    assert symptom_services.open_episode(person) is None

    response = undo_entry(client, entry, follow=True)
    assert "The entry is back in your pain log." in response.content.decode()
    assert row(PainEntry, entry.pk) == entry_before  # id, uid, every field, updated_at
    assert row(Episode, episode.pk) == episode_before
    assert FlagAcknowledgement.objects.filter(episode=episode).count() == 1
    assert "Deleted just now" not in response.content.decode()


def test_an_entry_deleted_from_a_busy_episode_leaves_the_episode(client, person):
    episode = make_episode(owner=person, onset=timezone.localdate())
    keep = make_entry(episode=episode, pain=3)
    gone = make_entry(episode=episode, pain=7, hour=10)
    delete_entry(client, gone)
    assert list(Episode.objects.values_list("pk", flat=True)) == [episode.pk]
    assert list(episode.entries.values_list("pk", flat=True)) == [keep.pk]
    [listed] = newest_episodes(person, 11, deleted_since=timezone.now())
    assert (listed.pk, listed.entry_count) == (episode.pk, 1)
    undo_entry(client, gone)
    assert sorted(episode.entries.values_list("pk", flat=True)) == sorted([keep.pk, gone.pk])


@pytest.mark.parametrize("left", ["busy-episode", "only-a-resolved-episode", "nothing"])
def test_the_log_offers_undo_whatever_the_deletion_left(client, person, left):
    """The log asks for deleted entries only when its first query says one can still
    come back; that answer rides on the episodes it lists, so each case is checked:
    the open episode still listed, only a resolved one listed, or no episode at all."""
    if left == "only-a-resolved-episode":
        make_episode(
            owner=person,
            onset=timezone.localdate() - timedelta(days=40),
            resolved_on=timezone.localdate() - timedelta(days=30),
        )
    episode = make_episode(owner=person, onset=timezone.localdate())
    if left == "busy-episode":
        make_entry(episode=episode, pain=3)
    gone = make_entry(episode=episode, pain=7, hour=10)
    log = reverse("symptoms:entry_list")
    assert "Deleted just now" not in client.get(log).content.decode()
    symptom_services.delete_entry(entry=gone)
    text = client.get(log).content.decode()
    assert "Deleted just now" in text
    assert reverse("symptoms:entry_restore", args=[gone.pk]) in text


def test_the_log_reads_no_deleted_entries_when_none_can_come_back(client, person):
    episode = make_episode(owner=person, onset=timezone.localdate())
    make_entry(episode=episode, pain=3)
    old = make_entry(episode=episode, pain=5, hour=10)
    symptom_services.delete_entry(entry=old, now=timezone.now() - UNDO_WINDOW * 2)
    log = reverse("symptoms:entry_list")
    client.get(log)
    with CaptureQueriesContext(connection) as captured:
        assert "Deleted just now" not in client.get(log).content.decode()
    reads = [q["sql"] for q in captured.captured_queries if "deleted_at" in q["sql"]]
    # The episodes' query carries the question; no query reads the deleted rows.
    assert not [sql for sql in reads if '"deleted_at" DESC' in sql], reads
    assert [sql for sql in reads if "EXISTS" in sql], reads


def test_warnings_of_a_deleted_entry_do_not_show_and_come_back_with_undo(client, person):
    episode = make_episode(owner=person, onset=timezone.localdate())
    make_entry(episode=episode, pain=3, **NO_SIGNS)
    flagged = make_entry(episode=episode, pain=6, hour=10, **{**NO_SIGNS, "bladder_bowel": True})

    def active_codes() -> set[str]:
        flags = episode_flags.for_episode(symptom_services.open_episode(person))
        return {flag.code for flag in flags if flag.is_active}

    assert "bladder_bowel" in " ".join(active_codes())
    warned = active_codes()
    log = client.get(reverse("symptoms:entry_list")).content.decode()
    assert 'id="flag-bladder_bowel"' in log

    delete_entry(client, flagged)
    assert active_codes() == set()
    log = client.get(reverse("symptoms:entry_list")).content.decode()
    assert 'id="flag-bladder_bowel"' not in log
    # Nor does it stop a session from starting (the player reads the same flags).
    assert episode_flags.for_episode(symptom_services.open_episode(person)) == []

    undo_entry(client, flagged)
    assert active_codes() == warned
    assert 'id="flag-bladder_bowel"' in client.get(reverse("symptoms:entry_list")).content.decode()


def test_deleting_the_only_report_of_a_warning_says_so_first(client, person):
    """Deleting takes a warning off the log: the confirmation names it, and only when
    this entry is its only report."""
    episode = make_episode(owner=person, onset=timezone.localdate())
    plain = make_entry(episode=episode, pain=3, **NO_SIGNS)
    signs = {**NO_SIGNS, "bladder_bowel": True}
    flagged = make_entry(episode=episode, pain=6, hour=10, **signs)
    title = "Loss of bladder or bowel control"

    page = client.get(reverse("symptoms:entry_delete", args=[flagged.pk])).content.decode()
    assert "only report behind a warning" in page and title in page
    page = client.get(reverse("symptoms:entry_delete", args=[plain.pk])).content.decode()
    assert "only report behind" not in page
    make_entry(episode=episode, pain=6, hour=11, **signs)  # reported twice now
    page = client.get(reverse("symptoms:entry_delete", args=[flagged.pk])).content.decode()
    assert "only report behind" not in page


def test_undo_after_the_window_is_refused_with_a_clear_message(client, person):
    episode = make_episode(owner=person, onset=timezone.localdate())
    entry = make_entry(episode=episode)
    symptom_services.delete_entry(entry=entry, now=timezone.now() - UNDO_WINDOW * 2)
    # Not offered on the log any more.
    assert "Deleted just now" not in client.get(reverse("symptoms:entry_list")).content.decode()
    response = undo_entry(client, entry)
    assert response.status_code == 410
    assert "can no longer be brought back" in response.content.decode()
    assert not PainEntry.objects.filter(pk=entry.pk).exists()


def test_undo_is_offered_for_at_least_ten_minutes(client, person):
    episode = make_episode(owner=person, onset=timezone.localdate())
    entry = make_entry(episode=episode)
    symptom_services.delete_entry(entry=entry, now=timezone.now() - timedelta(minutes=10))
    assert "Deleted just now" in client.get(reverse("symptoms:entry_list")).content.decode()
    assert undo_entry(client, entry).status_code == 302
    assert PainEntry.objects.filter(pk=entry.pk).exists()


def test_another_persons_undo_is_404_and_changes_nothing(client, person):
    stranger = make_user()
    episode = make_episode(owner=stranger, onset=timezone.localdate())
    entry = make_entry(episode=episode)
    symptom_services.delete_entry(entry=entry)
    assert undo_entry(client, entry).status_code == 404
    assert not PainEntry.objects.filter(pk=entry.pk).exists()
    # And a live entry (nothing to undo) is 404 too; GET is not allowed.
    live = make_entry(episode=make_episode(owner=person, onset=timezone.localdate()))
    assert undo_entry(client, live).status_code == 404
    url = reverse("symptoms:entry_restore", args=[entry.pk])
    assert client.get(url).status_code == 405


def test_a_new_episode_opened_meanwhile_takes_the_restored_entry(client, person):
    today = timezone.localdate()
    episode = make_episode(owner=person, onset=today)
    entry = make_entry(episode=episode, pain=5)
    delete_entry(client, entry)
    newer = symptom_services.save_entry(
        owner=person, entry=PainEntry(recorded_at=timezone.now(), pain=2, **NO_SIGNS)
    )
    assert newer.episode_id != episode.pk
    undo_entry(client, entry)
    restored = PainEntry.objects.get(pk=entry.pk)
    assert restored.episode_id == newer.episode_id  # one open episode at a time
    assert restored.uid == entry.uid and restored.pain == 5


def test_export_never_includes_deleted_entries_episodes_or_sessions(person):
    kept_episode = make_episode(owner=person, onset=date(2025, 1, 1), resolved_on=date(2025, 1, 5))
    kept = make_entry(episode=kept_episode)
    gone_episode = make_episode(owner=person, onset=date(2025, 2, 1))
    gone = make_entry(episode=gone_episode)
    FlagAcknowledgement.objects.create(
        owner=person, episode=gone_episode, code="bladder_bowel", seen_at=timezone.now()
    )
    stretch = make_stretch()
    session = make_routine(owner=person, name="Evening", steps=[stretch])
    make_practice(owner=person, routine=session)
    symptom_services.delete_entry(entry=gone)
    routine_services.delete_routine(routine=session)

    data = export_data(person)
    assert [e["uid"] for e in data["entries"]] == [str(kept.uid)]
    assert [e["uid"] for e in data["episodes"]] == [str(kept_episode.uid)]
    assert data["flag_acknowledgements"] == []
    assert data["routines"] == []
    # The practice stays in the history, with no link to the deleted session.
    assert [p["routine_uid"] for p in data["practices"]] == [None]
    assert [p["routine_name"] for p in data["practices"]] == ["Evening"]

    # The file imports cleanly into a new account ...
    newcomer = make_user()
    result = import_data(data, newcomer)
    assert result.created["entries"] == 1
    # ... and back into this one: the deleted twin of a row in a file gives way to it.
    symptom_services.restore_entry(entry=PainEntry.all_objects.get(pk=gone.pk))
    again = export_data(person)
    symptom_services.delete_entry(entry=PainEntry.objects.get(pk=gone.pk))
    import_data(again, person)
    assert PainEntry.objects.filter(owner=person, uid=gone.uid).exists()


def test_purge_command_removes_what_was_deleted_over_a_day_ago(person):
    episode = make_episode(owner=person, onset=timezone.localdate())
    old = make_entry(episode=episode, pain=4)
    recent = make_entry(episode=episode, pain=5, hour=11)
    session = make_routine(owner=person, name="Old one", steps=[make_stretch()])
    practice = make_practice(owner=person, routine=session)
    long_ago = timezone.now() - timedelta(days=2)
    symptom_services.delete_entry(entry=old, now=long_ago)
    routine_services.delete_routine(routine=session, now=long_ago)
    symptom_services.delete_entry(entry=recent)

    call_command("purge_deleted", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not PainEntry.all_objects.filter(pk=old.pk).exists()
    assert PainEntry.all_objects.filter(pk=recent.pk).exists()  # still undoable
    assert Episode.all_objects.filter(pk=episode.pk).exists()
    assert not Routine.all_objects.filter(pk=session.pk).exists()
    assert not RoutineStep.objects.filter(routine_id=session.pk).exists()
    practice.refresh_from_db()
    assert practice.routine_id is None and practice.routine_name == "Old one"

    # A day later the entry goes too, and its empty episode with it.
    routine_services.purge_everything_deleted(timezone.now() + timedelta(days=2))
    assert not PainEntry.all_objects.filter(owner=person).exists()
    assert not Episode.all_objects.filter(owner=person).exists()


def test_deleting_the_account_removes_deleted_rows_at_once(client, person):
    episode = make_episode(owner=person, onset=timezone.localdate())
    entry = make_entry(episode=episode)
    session = make_routine(owner=person, name="Mine")
    symptom_services.delete_entry(entry=entry)
    routine_services.delete_routine(routine=session)
    person.delete()
    assert not PainEntry.all_objects.filter(pk=entry.pk).exists()
    assert not Episode.all_objects.filter(pk=episode.pk).exists()
    assert not Routine.all_objects.filter(pk=session.pk).exists()


# --- sessions ----------------------------------------------------------------------------


def test_a_deleted_session_comes_back_exactly_with_steps_history_and_reminders(client, person):
    stretch = make_stretch()
    session = make_routine(owner=person, name="Morning", steps=[stretch, stretch])
    practice = make_practice(owner=person, routine=session)
    reminder = Reminder.objects.create(
        owner=person, kind="session", routine=session, local_time="08:00"
    )
    session_before = row(Routine, session.pk)
    steps_before = list(RoutineStep.objects.filter(routine=session).values())

    response = client.post(reverse("routines:routine_delete", args=[session.pk]), follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("routines:routine_list")
    assert "Deleted just now" in text and "Morning" in text
    assert reverse("routines:routine_restore", args=[session.pk]) in text
    for name in ("routine_detail", "routine_edit", "play_start"):
        assert client.get(reverse(f"routines:{name}", args=[session.pk])).status_code == 404
    assert not Reminder.objects.for_owner(person).shown().exists()
    reminders_page = client.get(reverse("reminders:list")).content.decode()
    assert "Morning" not in reminders_page
    history = client.get(reverse("routines:practice_list")).content.decode()
    assert "Morning" in history  # the history keeps it, without a link to it
    assert reverse("routines:routine_detail", args=[session.pk]) not in history

    response = client.post(reverse("routines:routine_restore", args=[session.pk]), follow=True)
    assert "Session “Morning” is back." in response.content.decode()
    assert row(Routine, session.pk) == session_before
    assert list(RoutineStep.objects.filter(routine=session).values()) == steps_before
    assert Practice.objects.get(pk=practice.pk).routine_id == session.pk
    assert Reminder.objects.for_owner(person).shown().get() == reminder
    assert client.get(reverse("routines:routine_detail", args=[session.pk])).status_code == 200


def test_session_undo_window_and_owner(client, person):
    stranger = make_user()
    theirs = make_routine(owner=stranger, name="Theirs")
    routine_services.delete_routine(routine=theirs)
    assert client.post(reverse("routines:routine_restore", args=[theirs.pk])).status_code == 404
    assert not Routine.objects.filter(pk=theirs.pk).exists()

    mine = make_routine(owner=person, name="Mine")
    routine_services.delete_routine(routine=mine, now=timezone.now() - UNDO_WINDOW * 2)
    response = client.post(reverse("routines:routine_restore", args=[mine.pk]))
    assert response.status_code == 410
    assert "can no longer be brought back" in response.content.decode()
    assert not Routine.objects.filter(pk=mine.pk).exists()


def test_a_reminder_of_a_deleted_session_is_not_sent(person):
    from reminders.models import ReminderClaim
    from reminders.sending import skip_reason

    session = make_routine(owner=person, name="Morning")
    reminder = Reminder.objects.create(
        owner=person, kind="session", routine=session, local_time="08:00", by_email=True
    )
    routine_services.delete_routine(routine=session)
    now = timezone.now()
    claim = ReminderClaim.objects.create(
        reminder=reminder,
        local_date=now.date(),
        local_time="08:00",
        due_at=now,
        claimed_at=now,
        run=uuid.uuid4(),
    )
    claim = ReminderClaim.objects.select_related("reminder__routine").get(pk=claim.pk)
    assert skip_reason(claim, now) == "session deleted"
