"""The pain log: logging, editing and deleting entries, flags on the page."""

import re
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from symptoms.models import Episode, FlagAcknowledgement, PainEntry
from symptoms.queries import with_sessions
from tests.signs import NONE, ticked
from tests.symptom_factories import (
    NO_SIGNS,
    make_daily_entries,
    make_entry,
    make_episode,
    make_user,
)

pytestmark = pytest.mark.django_db

PAST_DAY = date(2025, 1, 10)


def entry_data(**overrides) -> dict:
    data = {
        "recorded_at": f"{PAST_DAY:%Y-%m-%d}T08:00",
        "pain": "4",
        "locations": ["lower_back_centre", "lower_back_left"],
        "triggers": ["lifting"],
        "reliefs": ["heat"],
        **NONE,
        "note": "Bent over to tie a shoe.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def person(client):
    user = make_user(time_zone="Pacific/Auckland")
    client.force_login(user)
    return user


# --- signed out -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["symptoms:entry_list", "symptoms:entry_create"])
def test_signed_out_is_sent_to_log_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_signed_out_cannot_post_an_entry(client):
    response = client.post(reverse("symptoms:entry_create"), entry_data())
    assert response.status_code == 302
    assert PainEntry.objects.count() == 0


# --- logging ----------------------------------------------------------------------


def test_new_entry_form_asks_onset_and_defaults_to_now(client, person):
    response = client.get(reverse("symptoms:entry_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="onset_date"' in html
    local_now = timezone.localtime(timezone.now(), person.profile.zone)
    assert f'value="{local_now:%Y-%m-%dT%H:}' in html  # now, in the person's zone
    assert html.count("<h1") == 1
    for question in ("Numbness, tingling or weakness in one leg", "Loss of bladder or bowel"):
        assert question in html
    assert "None of these" in html


def test_first_entry_starts_an_episode_with_local_dates(client, person):
    response = client.post(
        reverse("symptoms:entry_create"), entry_data(onset_date=f"{PAST_DAY - timedelta(days=2)}")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("symptoms:entry_list")
    entry = PainEntry.objects.get(owner=person)
    # 08:00 in Auckland (UTC+13 in January) is 19:00 the day before in UTC.
    assert entry.recorded_at.astimezone(timezone.UTC).day == 9
    assert entry.local_date == PAST_DAY
    assert entry.episode.onset_date == PAST_DAY - timedelta(days=2)
    assert entry.locations == ["lower_back_centre", "lower_back_left"]
    assert entry.saddle_numbness is False  # "None of these" answers every question "no"
    assert entry.leg_symptoms == "none" and entry.chest_pain is False
    assert entry.note == "Bent over to tie a shoe."


def test_onset_defaults_to_the_entry_date(client, person):
    client.post(reverse("symptoms:entry_create"), entry_data())
    assert Episode.objects.get(owner=person).onset_date == PAST_DAY


def test_second_entry_joins_the_open_episode_and_is_not_asked_onset(client, person):
    episode = make_episode(owner=person, onset=PAST_DAY)
    make_entry(episode=episode)
    assert 'name="onset_date"' not in client.get(reverse("symptoms:entry_create")).content.decode()
    client.post(reverse("symptoms:entry_create"), entry_data(recorded_at=f"{PAST_DAY}T20:00"))
    assert Episode.objects.filter(owner=person).count() == 1
    assert episode.entries.count() == 2


def test_an_entry_without_warning_answers_is_not_saved(client, person):
    response = client.post(reverse("symptoms:entry_create"), entry_data(warning_signs=None))
    assert response.status_code == 400
    assert "tick each sign you have, or tick “None of these”" in response.content.decode()
    assert PainEntry.objects.count() == 0


def test_ticked_signs_are_yes_and_the_rest_no(client, person):
    client.post(
        reverse("symptoms:entry_create"),
        entry_data(**ticked("bladder_bowel", "leg_symptoms:one", "leg_symptoms:both")),
    )
    entry = PainEntry.objects.get(owner=person)
    assert entry.bladder_bowel is True
    assert entry.leg_symptoms == "both"  # the more serious of the two
    assert entry.saddle_numbness is False and entry.fever is False
    assert entry.fever_or_weight_loss is None  # no longer asked


def test_other_text_ticks_other(client, person):
    client.post(
        reverse("symptoms:entry_create"),
        entry_data(triggers=[], trigger_other="Sneezing", relief_other="A warm bath"),
    )
    entry = PainEntry.objects.get(owner=person)
    assert entry.triggers == ["other"]
    assert "other" in entry.reliefs
    assert entry.trigger_labels == ["Sneezing"]


BAD_INPUT = [
    ("pain", {"pain": "11"}),
    ("pain", {"pain": "-1"}),
    ("pain", {"pain": "text"}),
    ("pain", {"pain": None}),
    ("recorded_at", {"recorded_at": "2999-01-01T10:00"}),
    ("recorded_at", {"recorded_at": "yesterday"}),
    ("triggers", {"triggers": ["aliens"]}),
    ("locations", {"locations": ["neck"]}),
    ("reliefs", {"reliefs": ["magic"]}),
    ("warning_signs", {"warning_signs": ["leg_symptoms:three"]}),
    ("warning_signs", {"warning_signs": ["maybe"]}),
    ("warning_signs", {"warning_signs": ["none", "after_fall"]}),
    ("warning_signs", {"warning_signs": None}),
    ("note", {"note": "x" * 2001}),
    ("trigger_other", {"trigger_other": "y" * 201}),
    ("onset_date", {"onset_date": f"{PAST_DAY + timedelta(days=1)}"}),
    ("onset_date", {"onset_date": "not a date"}),
]


@pytest.mark.parametrize(
    ("field", "change"), BAD_INPUT, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_INPUT)]
)
def test_bad_input_is_a_field_error_and_saves_nothing(client, person, field, change):
    response = client.post(reverse("symptoms:entry_create"), entry_data(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    if field == "warning_signs":  # the checklist shows its message inside its fieldset
        assert 'class="warning-signs__error" id="id_warning_signs_error"' in html
    elif field in ("pain", "locations", "triggers", "reliefs"):  # in their fieldset
        assert f'id="id_{field}_error"' in html
        assert f'aria-describedby="id_{field}_error"' in html or field == "pain"
    else:  # shown at the field, which points to it (safety/widgets/field.html)
        assert f'<div id="id_{field}_error" class="invalid-feedback">' in html
        described = re.search(rf'<(?:input|textarea)[^>]* id="id_{field}"', html).group(0)
        assert 'aria-invalid="true"' in described
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error', described)
    assert PainEntry.objects.count() == 0
    assert Episode.objects.count() == 0


def test_a_future_time_is_refused_in_plain_words(client, person):
    future = timezone.localtime(timezone.now() + timedelta(hours=2), person.profile.zone)
    response = client.post(
        reverse("symptoms:entry_create"), entry_data(recorded_at=f"{future:%Y-%m-%dT%H:%M}")
    )
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert PainEntry.objects.count() == 0


def test_a_note_of_2000_characters_is_fine(client, person):
    response = client.post(reverse("symptoms:entry_create"), entry_data(note="z" * 2000))
    assert response.status_code == 302
    assert len(PainEntry.objects.get().note) == 2000


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_entry_create_wrong_method(client, person, method):
    assert getattr(client, method)(reverse("symptoms:entry_create")).status_code == 405


# --- the alert after saving --------------------------------------------------------


def test_entry_with_a_warning_sign_shows_the_alert_first(client, person):
    response = client.post(
        reverse("symptoms:entry_create"), entry_data(**ticked("bladder_bowel")), follow=True
    )
    entry = PainEntry.objects.get(owner=person)
    assert response.redirect_chain[-1][0] == reverse("symptoms:entry_saved", args=[entry.pk])
    html = response.content.decode()
    main = html[html.index('<main id="main"') :]
    body = main[main.index(">") + 1 :].lstrip()
    assert body.startswith('<div class="flags" role="alert" tabindex="-1"')
    assert main.index("Get emergency care now") < main.index("Your entry is saved")
    assert html.count("<h1") == 1
    assert "flag--immediate" in html
    assert "js/flag-focus.js" in html
    assert 'href="/guide/when-to-seek-care/#bladder_bowel"' in html


def test_entry_without_warning_sign_goes_back_to_the_log(client, person):
    response = client.post(reverse("symptoms:entry_create"), entry_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("symptoms:entry_list")
    assert 'role="alert"' not in response.content.decode()
    assert "Your entry is saved" in response.content.decode()


def test_an_earlier_sign_is_listed_on_the_log_not_announced_again(client, person):
    client.post(reverse("symptoms:entry_create"), entry_data(**ticked("bladder_bowel")))
    response = client.post(reverse("symptoms:entry_create"), entry_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("symptoms:entry_list")
    html = response.content.decode()
    assert "Your entry is saved" in html
    assert "flag--immediate" in html  # still listed until the episode is resolved
    assert 'role="alert"' not in html


def test_saved_page_of_another_person_is_404(client, person):
    other = make_user()
    entry = make_entry(episode=make_episode(owner=other, onset=PAST_DAY), bladder_bowel=True)
    assert client.get(reverse("symptoms:entry_saved", args=[entry.pk])).status_code == 404


# --- the list ------------------------------------------------------------------------


def test_list_shows_open_episode_day_flags_and_entries(client, person):
    today = timezone.localdate(timezone=person.profile.zone)
    episode = make_episode(owner=person, onset=today - timedelta(days=3))
    make_entry(episode=episode, on=today - timedelta(days=3), leg_symptoms="one", note="First")
    make_entry(episode=episode, on=today - timedelta(days=1), pain=2, note="Better")
    other = make_user()
    make_entry(episode=make_episode(owner=other, onset=today), note="Not mine")
    response = client.get(reverse("symptoms:entry_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This episode: day 4" in html
    assert "Numbness, tingling or weakness in one leg" in html
    assert "flag--urgent" in html
    assert "First" in html and "Better" in html
    assert "Not mine" not in html
    assert reverse("symptoms:entry_create") in html
    assert html.count("<h1") == 1
    assert 'role="alert"' not in html  # listed, not announced again


def test_list_without_an_open_episode(client, person):
    make_entry(episode=make_episode(owner=person, onset=PAST_DAY, resolved_on=PAST_DAY), note="Old")
    html = client.get(reverse("symptoms:entry_list")).content.decode()
    assert "You have no open episode" in html
    assert "Old" in html
    assert "flag--" not in html


def test_list_wrong_method(client, person):
    assert client.post(reverse("symptoms:entry_list")).status_code == 405


def test_list_queries_do_not_grow_with_three_years_of_entries(client, person):
    episode = make_episode(owner=person, onset=date(2023, 1, 1))
    make_daily_entries(episode=episode, days=10)
    url = reverse("symptoms:entry_list")
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_daily_entries_extra(episode, start=10, days=3 * 365)
    assert episode.entries.count() == 10 + 3 * 365
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    print(
        f"\n/symptoms/ with {episode.entries.count()} entries: {len(big)} queries, {elapsed:.0f} ms"
    )
    assert response.status_code == 200
    assert len(big) == len(small)
    assert "Older entries" in response.content.decode()


def make_daily_entries_extra(episode, *, start: int, days: int) -> None:
    PainEntry.objects.bulk_create(
        [
            PainEntry(
                owner=episode.owner,
                episode=episode,
                recorded_at=timezone.now() - timedelta(days=start + n),
                local_date=episode.onset_date + timedelta(days=start + n),
                pain=(start + n) % 11,
            )
            for n in range(days)
        ],
        batch_size=500,
    )


# --- edit and delete -----------------------------------------------------------------


def test_edit_shows_the_answers_and_saves_changes(client, person):
    entry = make_entry(episode=make_episode(owner=person, onset=PAST_DAY), **NO_SIGNS)
    url = reverse("symptoms:entry_edit", args=[entry.pk])
    html = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="warning_signs"[^>]*value="none"[^>]*checked', html)
    assert 'name="onset_date"' not in html
    response = client.post(url, entry_data(pain="2", note="Edited"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.pain, entry.note) == (2, "Edited")


def test_edit_bad_input_changes_nothing(client, person):
    entry = make_entry(episode=make_episode(owner=person, onset=PAST_DAY), pain=4)
    response = client.post(reverse("symptoms:entry_edit", args=[entry.pk]), entry_data(pain="11"))
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.pain == 4


def test_back_dating_before_onset_moves_the_onset(client, person):
    episode = make_episode(owner=person, onset=PAST_DAY)
    entry = make_entry(episode=episode)
    client.post(
        reverse("symptoms:entry_edit", args=[entry.pk]),
        entry_data(recorded_at=f"{PAST_DAY - timedelta(days=3)}T10:00"),
    )
    episode.refresh_from_db()
    assert episode.onset_date == PAST_DAY - timedelta(days=3)


@pytest.mark.parametrize("name", ["symptoms:entry_edit", "symptoms:entry_delete"])
def test_another_persons_entry_is_404(client, person, name):
    other = make_user()
    entry = make_entry(episode=make_episode(owner=other, onset=PAST_DAY), pain=5)
    url = reverse(name, args=[entry.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, entry_data(pain="1")).status_code == 404
    entry.refresh_from_db()
    assert entry.pain == 5


def test_delete_asks_then_deletes_on_post(client, person):
    episode = make_episode(owner=person, onset=PAST_DAY)
    keep = make_entry(episode=episode)
    entry = make_entry(episode=episode, hour=12)
    url = reverse("symptoms:entry_delete", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "offers “Undo” to bring it back" in response.content.decode()
    assert PainEntry.objects.filter(pk=entry.pk).exists()
    assert client.post(url).status_code == 302
    assert not PainEntry.objects.filter(pk=entry.pk).exists()
    assert PainEntry.objects.filter(pk=keep.pk).exists()


def test_deleting_the_last_entry_removes_its_episode(client, person):
    entry = make_entry(episode=make_episode(owner=person, onset=PAST_DAY))
    client.post(reverse("symptoms:entry_delete", args=[entry.pk]))
    assert not Episode.objects.filter(owner=person).exists()


def test_delete_wrong_method(client, person):
    entry = make_entry(episode=make_episode(owner=person, onset=PAST_DAY))
    assert client.put(reverse("symptoms:entry_delete", args=[entry.pk])).status_code == 405


# --- acknowledging a flag, undo, re-report -------------------------------------------


def _ack_url(episode, code: str) -> str:
    return reverse("symptoms:flag_acknowledge", args=[episode.pk, code])


def test_acknowledging_takes_a_confirmation_step_then_moves_the_flag(client, person):
    today = timezone.localdate(timezone=person.profile.zone)
    episode = make_episode(owner=person, onset=today)
    make_entry(episode=episode, on=today, fever=True)
    log = client.get(reverse("symptoms:entry_list")).content.decode()
    assert f'href="{_ack_url(episode, "fever")}"' in log  # a link to a page, not a POST
    page = client.get(_ack_url(episode, "fever"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "I have been checked by a doctor or at an emergency department about this" in html
    assert "If you report this sign again, SpasmCare will warn you again" in html
    assert FlagAcknowledgement.objects.count() == 0  # opening the page changes nothing
    response = client.post(_ack_url(episode, "fever"))
    assert response.status_code == 302
    ack = FlagAcknowledgement.objects.get(episode=episode)
    assert (ack.code, ack.owner) == ("fever", person)
    html = client.get(reverse("symptoms:entry_list")).content.decode()
    assert "Checked by a doctor" in html and "flag--seen" in html
    assert "flag--urgent" not in html
    assert "Undo" in html


def test_undo_makes_the_warning_active_again(client, person):
    today = timezone.localdate(timezone=person.profile.zone)
    episode = make_episode(owner=person, onset=today)
    make_entry(episode=episode, on=today, chest_pain=True)
    client.post(_ack_url(episode, "chest_pain"))
    undo = reverse("symptoms:flag_undo", args=[episode.pk, "chest_pain"])
    assert client.get(undo).status_code == 405
    response = client.post(undo, follow=True)
    assert response.status_code == 200
    assert FlagAcknowledgement.objects.count() == 0
    html = response.content.decode()
    assert "flag--immediate" in html and "flag--seen" not in html
    assert client.post(undo).status_code == 404  # nothing left to undo


def test_a_new_report_after_seeing_a_doctor_opens_the_alert_again(client, person):
    first = client.post(reverse("symptoms:entry_create"), entry_data(**ticked("bladder_bowel")))
    assert "/saved/" in first["Location"]
    episode = Episode.objects.get(owner=person)
    client.post(_ack_url(episode, "bladder_bowel"))
    response = client.post(
        reverse("symptoms:entry_create"),
        entry_data(recorded_at=f"{PAST_DAY}T20:00", **ticked("bladder_bowel")),
        follow=True,
    )
    html = response.content.decode()
    assert "/saved/" in response.redirect_chain[-1][0]
    assert "You reported this again after seeing a doctor" in html
    assert "Your entry is saved." not in html
    # The earlier acknowledgement stays in the history.
    assert FlagAcknowledgement.objects.filter(episode=episode).count() == 1


def test_the_non_urgent_alert_page_opens_once_per_episode(client, person):
    episode = make_episode(owner=person, onset=PAST_DAY - timedelta(days=20))
    make_entry(episode=episode, on=PAST_DAY - timedelta(days=20), pain=3)
    first = client.post(reverse("symptoms:entry_create"), entry_data())
    assert "/saved/" in first["Location"]  # pain more than two weeks after onset
    again = client.post(
        reverse("symptoms:entry_create"), entry_data(recorded_at=f"{PAST_DAY}T21:00")
    )
    assert again["Location"] == reverse("symptoms:entry_list")
    log = client.get(reverse("symptoms:entry_list")).content.decode()
    assert "flag--non_urgent" in log  # still listed
    assert "I have booked an appointment" in log


def test_acknowledge_unknown_or_unraised_code_is_404(client, person):
    episode = make_episode(owner=person, onset=PAST_DAY)
    make_entry(episode=episode)
    for code in ("aliens", "bladder_bowel"):
        assert client.get(_ack_url(episode, code)).status_code == 404
        assert client.post(_ack_url(episode, code)).status_code == 404
    assert FlagAcknowledgement.objects.count() == 0


def test_acknowledge_on_another_persons_episode_is_404(client, person):
    episode = make_episode(owner=make_user(), onset=PAST_DAY)
    make_entry(episode=episode, leg_symptoms="one")
    assert client.post(_ack_url(episode, "leg_one")).status_code == 404
    assert FlagAcknowledgement.objects.count() == 0


# --- the guide's when-to-seek-care page -------------------------------------------------


def test_seek_care_guide_page_shows_my_flags(client, content):
    person = make_user()
    today = timezone.localdate()
    make_entry(episode=make_episode(owner=person, onset=today), saddle_numbness=True)
    url = reverse("routines:guide_page", args=["when-to-seek-care"])
    assert "flag-saddle_numbness" not in client.get(url).content.decode()  # signed out
    client.force_login(person)
    html = client.get(url).content.decode()
    assert 'id="flag-saddle_numbness"' in html
    assert "From your" in html
    assert html.count("<h1") == 1
    assert "warning-banner" not in html  # the page lists the flags itself
    other_page = client.get(reverse("routines:guide_page", args=["home-care"])).content.decode()
    assert 'id="flag-saddle_numbness"' not in other_page
    assert "warning-banner" in other_page  # the compact banner instead


def test_every_flag_links_to_its_item_on_the_seek_care_page(client, content):
    from safety.rules import CODES

    html = client.get(reverse("routines:guide_page", args=["when-to-seek-care"])).content.decode()
    for code in CODES:  # retired ones too: old alerts still link to them
        assert f'id="{code}"' in html, code


def test_the_open_episode_heads_the_log_even_with_an_older_onset_than_a_resolved_one(
    client, person
):
    # Onsets can move back (an entry dated earlier, or "Change the start date"): the open
    # episode is still the one the log is about, and the resolved one is listed below.
    resolved = make_episode(owner=person, onset=date(2025, 3, 1), resolved_on=date(2025, 3, 9))
    make_entry(episode=resolved, on=date(2025, 3, 2))
    current = make_episode(owner=person, onset=date(2025, 2, 1))
    for day in (1, 2, 3):
        make_entry(episode=current, on=date(2025, 4, day))
    client.force_login(person)
    html = client.get(reverse("symptoms:entry_list")).text
    assert "This episode: day" in html and "3 entries so far" in html
    assert "Your back pain started on 1 February 2025" in html
    assert reverse("symptoms:episode_detail", args=[resolved.pk]) in html
    assert html.count('<li class="entry sc-card">') == 3


def test_each_entry_on_a_page_gets_its_own_sessions_newest_first_in_one_query(
    django_assert_num_queries,
):
    from tests.routine_factories import make_practice

    person, other = make_user(), make_user()
    episode = make_episode(owner=person, onset=timezone.localdate() - timedelta(days=3))
    checked = make_entry(episode=episode, hour=8)
    plain = make_entry(episode=episode, hour=9)
    older = make_practice(owner=person, days_ago=2, pain_entry=checked, routine_name="First")
    newer = make_practice(owner=person, days_ago=1, pain_entry=checked, routine_name="Again")
    make_practice(owner=person, days_ago=1)  # a session without a safety check entry
    make_practice(
        owner=other,
        pain_entry=make_entry(episode=make_episode(owner=other, onset=timezone.localdate())),
    )
    with django_assert_num_queries(2):  # the entries, then all of their sessions
        entries = with_sessions(episode.entries.all())
    assert [(e.pk, [p.pk for p in e.sessions]) for e in entries] == [
        (plain.pk, []),
        (checked.pk, [newer.pk, older.pk]),
    ]
    with django_assert_num_queries(0):
        assert with_sessions([]) == []


def drawn_times(html: str) -> tuple[str, str]:
    """The entry form's visible time and the hidden copy of it as drawn."""
    shown = re.search(r'<input type="datetime-local" name="recorded_at" value="([^"]*)"', html)
    drawn = re.search(r'<input type="hidden" name="initial-recorded_at" value="([^"]*)"', html)
    return shown.group(1), drawn.group(1)


@pytest.fixture
def clock(monkeypatch):
    """Set the server's clock: clock(moment). Set before signing in, so the session does
    not expire against it (scripts/clock_sweep runs these weeks before MORNING)."""
    return lambda moment: monkeypatch.setattr(timezone, "now", lambda: moment)


MORNING = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("page", ["symptoms:entry_create", "home"])
def test_a_time_left_as_drawn_is_the_moment_the_entry_is_saved(client, clock, page):
    """A form drawn at 08:00 and sent at 11:30 with its time as it was (Today left
    open on a phone all morning): the entry is for 11:30, the help's "leave it for now"."""
    clock(MORNING)
    client.force_login(make_user(time_zone="Europe/Berlin"))
    shown, drawn = drawn_times(client.get(reverse(page)).content.decode())
    assert shown == drawn == "2026-11-30T09:00"  # 08:00 UTC in Berlin
    clock(MORNING + timedelta(hours=3, minutes=30))
    data = entry_data(recorded_at=shown, **{"initial-recorded_at": drawn})
    response = client.post(reverse("symptoms:entry_create"), data)
    assert response.status_code == 302
    assert PainEntry.objects.get().recorded_at == MORNING + timedelta(hours=3, minutes=30)


@pytest.mark.parametrize(
    ("sent", "extra", "recorded"),
    [
        ("2026-11-30T09:15", {"initial-recorded_at": "2026-11-30T09:00"}, "08:15"),  # changed
        ("2026-11-30T09:00", {}, "08:00"),  # without the drawn time (an older page, a client)
        ("2026-11-30T09:00", {"initial-recorded_at": ""}, "08:00"),
    ],
    ids=["changed", "no drawn time", "empty drawn time"],
)
def test_a_time_changed_or_sent_alone_is_read_as_typed(client, clock, sent, extra, recorded):
    clock(MORNING + timedelta(hours=3))
    client.force_login(make_user(time_zone="Europe/Berlin"))
    data = entry_data(recorded_at=sent, **extra)
    response = client.post(reverse("symptoms:entry_create"), data)
    assert response.status_code == 302
    assert f"{PainEntry.objects.get().recorded_at:%H:%M}" == recorded


def test_an_edited_entry_keeps_its_time_when_it_is_left_as_drawn(client, clock):
    person = make_user(time_zone="Europe/Berlin")
    entry = make_entry(episode=make_episode(owner=person, onset=date(2026, 11, 29)), hour=8)
    clock(MORNING + timedelta(days=1))
    client.force_login(person)
    url = reverse("symptoms:entry_edit", args=[entry.pk])
    shown, drawn = drawn_times(client.get(url).content.decode())
    assert shown == drawn == "2026-11-29T09:00"
    data = entry_data(recorded_at=shown, pain="2", **{"initial-recorded_at": drawn})
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.pain == 2 and entry.recorded_at == MORNING - timedelta(days=1)


def drawn_onset(html: str) -> tuple[str, str]:
    shown = re.search(r'<input type="date" name="onset_date" value="([^"]*)"', html)
    drawn = re.search(r'<input type="hidden" name="initial-onset_date" value="([^"]*)"', html)
    return shown.group(1), drawn.group(1)


@pytest.mark.parametrize(("typed", "onset"), [(None, "2026-11-30"), ("2026-11-20", "2026-11-20")])
def test_an_onset_left_as_drawn_is_the_day_the_entry_is_saved(client, clock, typed, onset):
    """Today drawn at 23:50 and sent after midnight, nothing changed: the pain started
    "today" as the help says, the day it is saved; a day the person chose is kept."""
    late = datetime(2026, 11, 29, 22, 50, tzinfo=UTC)
    clock(late)  # 23:50 in Berlin
    client.force_login(make_user(time_zone="Europe/Berlin"))
    html = client.get(reverse("home")).content.decode()
    (time_shown, time_drawn), (day_shown, day_drawn) = drawn_times(html), drawn_onset(html)
    assert day_shown == day_drawn == "2026-11-29"
    clock(late + timedelta(minutes=20))
    data = entry_data(
        recorded_at=time_shown,
        onset_date=typed or day_shown,
        **{"initial-recorded_at": time_drawn, "initial-onset_date": day_drawn},
    )
    assert client.post(reverse("symptoms:entry_create"), data).status_code == 302
    entry = PainEntry.objects.get()
    assert entry.recorded_at == late + timedelta(minutes=20)
    assert entry.local_date.isoformat() == "2026-11-30"
    assert entry.episode.onset_date.isoformat() == onset
