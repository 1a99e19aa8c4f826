"""The session player: safety check, one page per stretch, finish and stop."""

import json
import re

import pytest
from django.urls import reverse

from routines import timing
from routines.models import Practice
from tests.routine_factories import make_practice, make_routine, make_stretch
from tests.signs import NONE, ticked
from tests.symptom_factories import make_entry, make_episode

pytestmark = pytest.mark.django_db

SAFE = NONE


@pytest.fixture
def stretches():
    return [
        make_stretch(name="Pelvic tilt"),
        make_stretch(name="Knee to chest", per_side=True, side_note="Then the other leg."),
    ]


@pytest.fixture
def starter(stretches):
    return make_routine(name="Gentle", steps=[(stretches[0], 20, 2), (stretches[1], 30, 3)])


@pytest.fixture
def own(person, stretches):
    return make_routine(owner=person, name="Mine", steps=stretches)


def start(client, routine, pain=6, **answers):
    data = {"pain_before": str(pain), **SAFE, **answers}
    return client.post(reverse("routines:play_start", args=[routine.pk]), data)


def player_data(response) -> dict:
    match = re.search(
        r'<script id="player-data" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert match, "player data missing"
    return json.loads(match.group(1))


# --- start and the safety check ------------------------------------------------------------


def test_start_page_asks_pain_and_warning_signs(client, starter):
    response = client.get(reverse("routines:play_start", args=[starter.pk]))
    assert response.status_code == 200
    assert "How bad is your pain right now?" in response.text
    assert "Loss of bladder or bowel control" in response.text
    assert "None of these" in response.text


def test_signed_in_start_saves_a_practice_and_goes_to_step_one(client, person, starter):
    client.force_login(person)
    response = start(client, starter, pain=6)
    practice = Practice.objects.get(owner=person)
    assert (practice.routine, practice.routine_name) == (starter, "Gentle")
    assert (practice.pain_before, practice.steps_total, practice.steps_completed) == (6, 2, 0)
    assert practice.finished_at is None and practice.stopped_at is None
    assert response.status_code == 302
    assert response.url == reverse("routines:play_step", args=[starter.pk, practice.uid, 1])


def test_signed_out_start_saves_nothing(client, starter):
    response = start(client, starter, pain=4)
    assert response.status_code == 302
    assert (
        response.url == reverse("routines:play_step", args=[starter.pk, "guest", 1]) + "?before=4"
    )
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    "answers",
    [
        ticked("bladder_bowel"),
        ticked("saddle_numbness"),
        ticked("leg_symptoms:both"),
        ticked("leg_symptoms:one"),
        ticked("chest_pain"),
        ticked("fever"),
        ticked("upper_back"),
    ],
)
def test_a_warning_sign_does_not_start_and_shows_seek_care(client, person, starter, answers):
    client.force_login(person)
    response = start(client, starter, **answers)
    assert response.status_code == 200
    assert "Please do not start this session now" in response.text
    assert 'class="flag flag--' in response.text
    assert response.context["flags"]
    assert not Practice.objects.exists()


def test_severe_pain_after_a_fall_is_a_flag(client, starter):
    response = start(client, starter, pain=8, **ticked("after_fall"))
    assert "Severe pain after a fall or accident" in response.text
    assert "player-data" not in response.text


@pytest.mark.parametrize(
    "data",
    [
        {"pain_before": "11"},
        {"pain_before": "-1"},
        {"pain_before": "lots"},
        {"pain_before": ""},
        {"warning_signs": []},  # the safety check must be answered
        {"warning_signs": ["leg_symptoms:three"]},
        {"warning_signs": ["none", "fever"]},
    ],
)
def test_start_bad_input_is_400_and_saves_nothing(client, person, starter, data):
    client.force_login(person)
    post = {"pain_before": "5", **SAFE, **data}
    response = client.post(reverse("routines:play_start", args=[starter.pk]), post)
    assert response.status_code == 400
    assert response.context["form"].errors
    html = response.text
    assert "is-invalid" in html or "warning-signs--invalid" in html or "pain-scale--invalid" in html
    assert not Practice.objects.exists()


def test_an_open_emergency_warning_in_the_log_stops_the_player(client, person, starter):
    from datetime import date

    client.force_login(person)
    episode = make_episode(owner=person, onset=date.today())
    make_entry(episode=episode, on=date.today(), bladder_bowel=True)
    page = client.get(reverse("routines:play_start", args=[starter.pk]))
    assert page.status_code == 200
    assert "Please do not start this session now" in page.text
    assert 'href="tel:999"' in page.text
    assert start(client, starter).status_code == 200  # the answers do not get past it
    assert not Practice.objects.exists()
    # An urgent (not emergency) warning does not stop the player; its banner shows.
    episode.entries.update(bladder_bowel=False, leg_symptoms="one")
    page = client.get(reverse("routines:play_start", args=[starter.pk]))
    assert "A quick safety check" in page.text and "warning-banner" in page.text


def test_start_other_persons_session_is_404(client, other, own):
    client.force_login(other)
    assert client.get(reverse("routines:play_start", args=[own.pk])).status_code == 404
    assert start(client, own).status_code == 404
    assert not Practice.objects.exists()


def test_start_own_session_signed_out_is_404(client, own):
    assert client.get(reverse("routines:play_start", args=[own.pk])).status_code == 404


def test_start_empty_session_cannot_play(client, person):
    empty = make_routine(owner=person, name="Empty")
    client.force_login(person)
    assert client.get(reverse("routines:play_start", args=[empty.pk])).status_code == 400
    assert start(client, empty).status_code == 400
    assert not Practice.objects.exists()


def test_start_wrong_method(client, starter):
    assert client.put(reverse("routines:play_start", args=[starter.pk])).status_code == 405


# --- the step pages ------------------------------------------------------------------


def test_step_page_without_javascript(client, person, starter):
    client.force_login(person)
    practice = make_practice(owner=person, routine=starter, steps_total=2)
    url = reverse("routines:play_step", args=[starter.pk, practice.uid, 2])
    response = client.get(url)
    assert response.status_code == 200
    text = response.text
    assert "Stretch 2 of 2" in text
    assert "Hold for 30 seconds, 3 times on each side" in text
    assert reverse("routines:play_finish", args=[starter.pk, practice.uid]) in text
    assert "Stop — this hurts" in text
    assert "style=" not in text
    assert "<script>" not in text
    expected_left = timing.step_seconds(timing.StepTiming(30, 3, per_side=True))
    assert response.context["time_left"] == timing.duration_text(expected_left)


def test_step_page_links_next_step_and_carries_pain_for_guests(client, starter):
    url = reverse("routines:play_step", args=[starter.pk, "guest", 1]) + "?before=4"
    response = client.get(url)
    assert response.status_code == 200
    assert (
        reverse("routines:play_step", args=[starter.pk, "guest", 2]) + "?before=4" in response.text
    )
    assert "nothing is saved" in response.text


def test_step_page_player_data_matches_the_timing_rules(client, starter):
    response = client.get(reverse("routines:play_step", args=[starter.pk, "guest", 1]))
    data = player_data(response)
    assert [s["name"] for s in data["steps"]] == ["Pelvic tilt", "Knee to chest"]
    assert data["steps"][1]["perSide"] is True
    # Knee to chest, 3 repeats, each one side then the other: a switch inside each.
    assert [p["kind"] for p in data["phases"]].count("switch") == 3
    assert data["placeKey"] == f"guest-{starter.pk}"
    assert sum(p["seconds"] for p in data["phases"]) == response.context["total_seconds"]
    assert data["finishUrl"].endswith("/finish/")


def test_step_page_shows_both_drawings_and_gives_the_player_every_steps_pair(
    client, starter, stretches
):
    """Without JavaScript both drawings show; the player gets each step's pair to move
    between (static/js/player.js)."""
    response = client.get(reverse("routines:play_step", args=[starter.pk, "guest", 2]))
    knee = stretches[1]
    assert 'id="player-drawings"' in response.text
    for path, alt in (
        (knee.start_illustration, knee.start_alt),
        (knee.hold_illustration, knee.hold_alt),
    ):
        assert f'<img src="/static/{path}" alt="{alt}"' in response.text
    data = player_data(response)
    for step, stretch in zip(data["steps"], stretches, strict=True):
        assert step["startImage"] == f"/static/{stretch.start_illustration}"
        assert step["holdImage"] == f"/static/{stretch.hold_illustration}"
        assert (step["startAlt"], step["holdAlt"]) == (stretch.start_alt, stretch.hold_alt)


@pytest.mark.parametrize("number", [0, 3, 99])
def test_step_number_out_of_range_is_404(client, starter, number):
    url = reverse("routines:play_step", args=[starter.pk, "guest", number])
    assert client.get(url).status_code == 404


def test_step_of_other_persons_practice_is_404(client, person, other, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(other)
    url = reverse("routines:play_step", args=[starter.pk, practice.uid, 1])
    assert client.get(url).status_code == 404


def test_step_with_a_bad_token_is_404(client, person, starter):
    client.force_login(person)
    url = reverse("routines:play_step", args=[starter.pk, "not-a-uuid", 1])
    assert client.get(url).status_code == 404


def test_step_of_a_practice_signed_out_is_404(client, person, starter):
    practice = make_practice(owner=person, routine=starter)
    url = reverse("routines:play_step", args=[starter.pk, practice.uid, 1])
    assert client.get(url).status_code == 404


def test_step_wrong_method(client, starter):
    url = reverse("routines:play_step", args=[starter.pk, "guest", 1])
    assert client.post(url).status_code == 405


# --- finish -------------------------------------------------------------------------------


def test_finish_saves_pain_after_and_note(client, person, starter):
    client.force_login(person)
    start(client, starter, pain=7)
    practice = Practice.objects.get(owner=person)
    url = reverse("routines:play_finish", args=[starter.pk, practice.uid])
    page = client.get(url + "?completed=2")
    assert page.status_code == 200 and "How bad is your pain now?" in page.text
    response = client.post(
        url, {"pain_after": "4", "note": "Hips felt looser.", "steps_completed": "2"}
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.finished_at is not None and practice.stopped_at is None
    assert (practice.pain_after, practice.note, practice.steps_completed) == (
        4,
        "Hips felt looser.",
        2,
    )
    done = client.get(response.url)
    assert "from 7 to 4" in done.text
    assert "A meaningful improvement" in done.text


def test_finish_bad_input_is_400_and_saves_nothing(client, person, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(person)
    url = reverse("routines:play_finish", args=[starter.pk, practice.uid])
    for data in ({"pain_after": "12"}, {"pain_after": ""}, {"pain_after": "3", "note": "x" * 2001}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert response.context["form"].errors
    practice.refresh_from_db()
    assert practice.finished_at is None and practice.pain_after is None


def test_finish_clamps_steps_completed(client, person, starter):
    practice = make_practice(owner=person, routine=starter, steps_total=2)
    client.force_login(person)
    url = reverse("routines:play_finish", args=[starter.pk, practice.uid])
    client.post(url, {"pain_after": "3", "steps_completed": "40"})
    practice.refresh_from_db()
    assert practice.steps_completed == 2


@pytest.mark.parametrize(
    ("view", "sent", "stored"),
    [
        ("routines:play_finish", "abc", 3),  # not known: the whole session
        ("routines:play_finish", "-4", 0),
        ("routines:play_finish", "1.5", 3),
        ("routines:play_stop", "abc", 0),  # not known: none
        ("routines:play_stop", "99999999999999999999", 3),
    ],
)
def test_a_tampered_step_count_is_not_an_error_the_person_cannot_see(
    client, person, starter, view, sent, stored
):
    practice = make_practice(owner=person, routine=starter, steps_total=3)
    client.force_login(person)
    data = {"pain_after": "3", "steps_completed": sent, "reason": "too_sore"}
    response = client.post(reverse(view, args=[starter.pk, practice.uid]), data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.steps_completed == stored


def test_finish_twice_changes_nothing(client, person, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(person)
    url = reverse("routines:play_finish", args=[starter.pk, practice.uid])
    client.post(url, {"pain_after": "3"})
    response = client.post(url, {"pain_after": "9"})
    assert response.status_code == 302 and response.url == reverse("routines:practice_list")
    practice.refresh_from_db()
    assert practice.pain_after == 3


def test_finish_other_persons_practice_is_404(client, person, other, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(other)
    url = reverse("routines:play_finish", args=[starter.pk, practice.uid])
    assert client.post(url, {"pain_after": "0"}).status_code == 404
    practice.refresh_from_db()
    assert practice.pain_after is None


def test_finish_as_guest_saves_nothing_and_shows_the_change(client, starter):
    url = reverse("routines:play_finish", args=[starter.pk, "guest"]) + "?before=6"
    response = client.post(url, {"pain_after": "3"})
    assert response.status_code == 302
    done = client.get(response.url)
    assert "from 6 to 3" in done.text and "Nothing was saved" in done.text
    assert not Practice.objects.exists()


def test_finish_wrong_method(client, starter):
    url = reverse("routines:play_finish", args=[starter.pk, "guest"])
    assert client.delete(url).status_code == 405


def test_done_page_of_unfinished_practice_is_404(client, person, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(person)
    url = reverse("routines:play_done", args=[starter.pk, practice.uid])
    assert client.get(url).status_code == 404


# --- stop — this hurts ------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["sharp", "radiating"])
def test_stop_for_sharp_or_radiating_pain_says_stop_and_seek_care(client, person, starter, reason):
    client.force_login(person)
    start(client, starter, pain=5)
    practice = Practice.objects.get(owner=person)
    url = reverse("routines:play_stop", args=[starter.pk, practice.uid])
    page = client.get(url + "?completed=1")
    assert page.status_code == 200 and "What happened?" in page.text
    response = client.post(url, {"reason": reason, "steps_completed": "1", "pain_after": "7"})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.stopped_at is not None and practice.finished_at is None
    assert (practice.stop_reason, practice.steps_completed, practice.pain_after) == (reason, 1, 7)
    stopped = client.get(response.url)
    assert "Stop stretching for now" in stopped.text
    assert reverse("routines:guide_page", args=["when-to-seek-care"]) in stopped.text


def test_stop_too_sore_is_gentle(client, person, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(person)
    url = reverse("routines:play_stop", args=[starter.pk, practice.uid])
    response = client.post(url, {"reason": "too_sore"})
    stopped = client.get(response.url)
    assert "Rest now" in stopped.text and "Stop stretching for now" not in stopped.text
    practice.refresh_from_db()
    assert practice.stop_reason == "too_sore" and practice.pain_after is None


def test_stop_as_guest_saves_nothing(client, starter):
    url = reverse("routines:play_stop", args=[starter.pk, "guest"])
    response = client.post(url, {"reason": "radiating"})
    assert response.status_code == 302
    assert "Stop stretching for now" in client.get(response.url).text
    assert not Practice.objects.exists()


@pytest.mark.parametrize("data", [{}, {"reason": "bored"}, {"reason": "sharp", "pain_after": "11"}])
def test_stop_bad_input_is_400_and_saves_nothing(client, person, starter, data):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(person)
    response = client.post(reverse("routines:play_stop", args=[starter.pk, practice.uid]), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    practice.refresh_from_db()
    assert practice.stopped_at is None and practice.stop_reason == ""


def test_stop_other_persons_practice_is_404(client, person, other, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(other)
    url = reverse("routines:play_stop", args=[starter.pk, practice.uid])
    assert client.post(url, {"reason": "sharp"}).status_code == 404
    practice.refresh_from_db()
    assert practice.stopped_at is None


def test_stop_wrong_method(client, starter):
    assert client.put(reverse("routines:play_stop", args=[starter.pk, "guest"])).status_code == 405


def test_stopped_page_of_running_practice_is_404(client, person, starter):
    practice = make_practice(owner=person, routine=starter)
    client.force_login(person)
    url = reverse("routines:play_stopped", args=[starter.pk, practice.uid])
    assert client.get(url).status_code == 404
