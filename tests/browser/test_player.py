"""The session builder and the guided player in headless Chromium.

The player's clock runs 10x faster (?speed=10): each 10-second phase takes one second.
The drawings: the figure moves from the start to the hold drawing as each hold begins
(and back), mirrored for the second side; screenshots of the player mid-hold in both
themes, at phone and desktop width, with and without reduced motion.

What the database stores (sessions built, copied, reordered, practices saved or
stopped, another person's session refused) is tested on both databases. The timer, the
drawings, keeping the place on the device, spoken prompts and the sticky bar run in the
browser on a page whose HTML test_page_html checks on both databases: those tests are
marked any_database and run once, in the SQLite run.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from routines.models import Practice, Routine
from tests.browser import data
from tests.browser.actions import answer_signs
from tests.browser.checks import assert_axe_clean, screenshot
from tests.browser.conftest import PASSWORD, make_person

SPEED = 10


def settle(page) -> None:
    """Let the page finish loading (favicon included) before leaving it: a navigation
    that cancels a half-loaded icon counts as a failed request in these fixtures."""
    page.wait_for_load_state("networkidle")


def answer_safety_check(page, pain: int) -> None:
    page.check(f'input[name="pain_before"][value="{pain}"]')
    answer_signs(page)


def start_session(page, routine: Routine, pain: int) -> None:
    page.goto(f"/routines/{routine.pk}/play/")
    answer_safety_check(page, pain)
    settle(page)
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator("#player-where")).to_have_text(re.compile(r"Stretch 1 of \d+"))


def with_speed(page) -> None:
    settle(page)
    page.goto(page.url + ("&" if "?" in page.url else "?") + f"speed={SPEED}")


def test_build_a_session_and_play_it_with_the_timer(new_page, person):
    page = new_page("phone", user=person)
    page.goto("/routines/new/")
    page.get_by_label("Session name").fill("Quick knees")
    settle(page)
    page.get_by_role("button", name="Create session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Quick knees”")

    # Knee-to-chest is done on each side: hold 10 s, once per side.
    page.get_by_label("Stretch").select_option(label="Knee-to-chest stretch")
    page.get_by_label("Hold (seconds)").fill("10")
    page.get_by_label("Repeats").fill("1")
    settle(page)
    page.get_by_role("button", name="Add stretch").click()
    expect(page.locator(".routine-step")).to_have_count(1)
    expect(page.locator(".advice-notes")).to_contain_text("Shorter than the advised")

    routine = Routine.objects.get(owner=person, name="Quick knees")
    start_session(page, routine, pain=6)
    with_speed(page)

    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    timer = page.locator("#player-timer")
    expect(timer).to_be_visible()
    expect(page.locator("#player-phase")).to_have_text("Get ready")
    expect(page.locator("#player-count")).to_have_text(re.compile(r"0:(0\d|10)"))
    expect(page.locator("#player-live")).to_contain_text("Get ready")
    expect(page.locator("#player-phase")).to_have_text("Hold", timeout=5_000)
    expect(page.locator("#player-repeat")).to_have_text("Repeat 1 of 1, first side")
    expect(page.locator("#player-phase")).to_have_text("Switch sides", timeout=5_000)
    expect(page.locator("#player-repeat")).to_have_text("Repeat 1 of 1, other side", timeout=5_000)

    # The end screen.
    expect(page.get_by_role("heading", level=1)).to_have_text("Session complete", timeout=8_000)
    page.check('input[name="pain_after"][value="3"]')
    page.get_by_label("Note (optional)").fill("Easier to stand up.")
    settle(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your pain went from 6 to 3 out of 10.")).to_be_visible()
    expect(page.get_by_text("A meaningful improvement")).to_be_visible()

    practice = Practice.objects.get(owner=person)
    assert practice.finished_at is not None
    assert (practice.pain_before, practice.pain_after) == (6, 3)
    assert (practice.steps_completed, practice.steps_total) == (1, 1)

    settle(page)
    page.goto("/routines/history/")
    expect(page.locator(".practice-cards")).to_contain_text("Quick knees")
    expect(page.locator(".practice-cards")).to_contain_text("meaningful improvement")


def test_sign_up_copy_all_seven_shorten_a_hold_then_stop_for_pain(new_page, site):
    page = new_page("desktop")
    page.goto("/accounts/signup/")
    page.fill('input[name="username"]', "newcomer")
    page.fill('input[name="email"]', "newcomer@example.org")
    page.fill('input[name="password1"]', PASSWORD)
    page.fill('input[name="password2"]', PASSWORD)
    settle(page)
    page.locator("main form").get_by_role("button", name="Create my account").click()
    settle(page)
    person = get_user_model().objects.get(username="newcomer")

    page.goto("/routines/")
    all_seven = page.locator(".routine-card", has_text="All seven")
    settle(page)
    all_seven.get_by_role("button", name=re.compile("Copy to my sessions")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “All seven”")

    first = page.locator(".routine-step").first
    first.get_by_label("Hold (seconds)").fill("15")
    settle(page)
    first.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator(".routine-step").first.locator(".step-facts")).to_contain_text(
        "Hold for 15 seconds"
    )
    copy = Routine.objects.get(owner=person)
    assert copy.steps.order_by("position").first().hold_seconds == 15

    start_session(page, copy, pain=5)
    with_speed(page)
    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    expect(page.locator("#player-phase")).to_have_text("Hold", timeout=5_000)

    # Keyboard: Space pauses and resumes, N skips to the next part.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    paused_at = page.locator("#player-count").text_content()
    page.wait_for_timeout(600)
    assert page.locator("#player-count").text_content() == paused_at
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.keyboard.press("n")
    expect(page.locator("#player-phase")).to_have_text("Rest")

    settle(page)
    page.get_by_role("link", name="Stop — this hurts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You stopped the session")
    page.get_by_label("Pain spreading down a leg").check()
    settle(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop stretching for now")
    expect(page.get_by_role("link", name="When to seek medical care").first).to_be_visible()

    practice = Practice.objects.get(owner=person)
    assert practice.stop_reason == "radiating" and practice.finished_at is None
    settle(page)
    page.goto("/routines/history/")
    expect(page.locator(".practice-cards")).to_contain_text("Stopped: pain spreading down a leg")


def test_a_warning_sign_stops_the_player_from_starting(new_page, site):
    page = new_page("phone")
    routine = Routine.objects.get(slug="gentle-start")
    page.goto(f"/routines/{routine.pk}/play/")
    page.check('input[name="pain_before"][value="4"]')
    answer_signs(page, "bladder_bowel")
    settle(page)
    page.get_by_role("button", name="Start the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Please do not start this session now"
    )
    expect(page.locator(".flag--immediate")).to_be_visible()
    assert page.locator("#player").count() == 0


def test_signed_out_player_works_without_javascript(new_page, site):
    page = new_page("phone", js=False)
    routine = Routine.objects.get(slug="gentle-start")
    start_session(page, routine, pain=5)
    count = routine.steps.count()
    for number in range(1, count + 1):
        expect(page.locator("#player-where")).to_have_text(f"Stretch {number} of {count}")
        expect(page.locator("#player-hold")).to_contain_text("Hold for")
        # Both drawings, start and hold, side by side: there is no timer to move the
        # figure from one to the other.
        state = drawing_state(page)
        assert state["start"]["shown"] and state["hold"]["shown"]
        assert state["start"]["top"] == state["hold"]["top"]
        assert state["start"]["left"] < state["hold"]["left"]
        assert "-start.svg" in state["start"]["src"] and "-hold.svg" in state["hold"]["src"]
        settle(page)
        page.locator("#player-next-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session complete")
    page.check('input[name="pain_after"][value="3"]')
    settle(page)
    page.get_by_role("button", name="See how it went").click()
    expect(page.get_by_text("Your pain went from 5 to 3 out of 10.")).to_be_visible()
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    assert not Practice.objects.exists()


def test_another_person_cannot_reach_a_session(new_page, person):
    routine = Routine.objects.create(owner=person, name="Private")
    stranger = make_person("alex")
    page = new_page("desktop", user=stranger)
    for path in ("/", "/edit/", "/play/"):
        response = page.goto(f"/routines/{routine.pk}{path}")
        assert response.status == 404
        settle(page)


def test_copied_all_seven_plays_through_and_shows_in_history(new_page, person):
    starter = Routine.objects.get(slug="all-seven")
    page = new_page("phone", user=person)
    page.goto(f"/routines/{starter.pk}/")
    settle(page)
    page.get_by_role("button", name="Copy to my sessions").click()
    copy = Routine.objects.get(owner=person)
    first = page.locator(".routine-step").first
    first.get_by_label("Hold (seconds)").fill("10")
    settle(page)
    first.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator(".routine-step").first.locator(".advice-notes")).to_be_visible()

    start_session(page, copy, pain=7)
    settle(page)
    page.goto(page.url + "?speed=100")
    page.get_by_role("button", name="Start guided timer").click()
    expect(page.locator("#player-where")).to_have_text("Stretch 7 of 7", timeout=15_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Session complete", timeout=15_000)
    page.check('input[name="pain_after"][value="4"]')
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your pain went from 7 to 4 out of 10.")).to_be_visible()

    settle(page)
    page.goto("/routines/history/")
    row = page.locator(".practice-card").first
    expect(row).to_contain_text("All seven")
    expect(row).to_contain_text("7 of 7")
    expect(row).to_contain_text("7 → 4")
    expect(row).to_contain_text("meaningful improvement")


def test_drag_and_drop_reorders_the_stretches(new_page, person):
    starter = Routine.objects.get(slug="gentle-start")
    page = new_page("desktop", user=person)
    page.set_viewport_size({"width": 1280, "height": 2000})  # all three steps in view
    page.goto(f"/routines/{starter.pk}/")
    settle(page)
    page.get_by_role("button", name="Copy to my sessions").click()
    settle(page)
    names = page.locator(".routine-step h3")
    before = [text.split(". ", 1)[1] for text in names.all_inner_texts()]
    expect(page.locator("#builder-drag-hint")).to_be_visible()
    names.nth(2).drag_to(names.nth(0))
    expect(page.locator(".site-messages")).to_contain_text("New order saved.")
    after = [text.split(". ", 1)[1] for text in names.all_inner_texts()]
    assert after == [before[2], before[0], before[1]]


# --- the drawings ----------------------------------------------------------------------

DRAWING_STATE = """() => {
  const part = (pose) => {
    const figure = document.querySelector('#player-drawings .drawing--' + pose);
    const style = getComputedStyle(figure);
    const img = figure.querySelector('img');
    const box = img.getBoundingClientRect();
    return {
      opacity: Number(style.opacity),
      shown: Number(style.opacity) === 1 && style.visibility === 'visible',
      hidden: Number(style.opacity) === 0 && style.visibility === 'hidden',
      left: Math.round(box.left), top: Math.round(box.top),
      transform: getComputedStyle(img).transform,
      src: img.getAttribute('src'), alt: img.alt,
      transition: style.transitionDuration,
    };
  };
  return {start: part('start'), hold: part('hold')};
}"""
MIRRORED = "matrix(-1, 0, 0, 1, 0, 0)"


def place(drawing: dict) -> tuple[int, int]:
    return drawing["left"], drawing["top"]


def drawing_state(page) -> dict:
    return page.evaluate(DRAWING_STATE)


def wait_for_pose(page, pose: str, *, mirrored: bool) -> dict:
    """Wait until the cross-fade (and any flip) is over: only the pose's drawing shows."""
    other = "hold" if pose == "start" else "start"
    page.wait_for_function(
        f"""([pose, other, mirrored]) => {{
          const s = ({DRAWING_STATE})();
          const flip = s[pose].transform === '{MIRRORED}';
          return s[pose].shown && s[other].hidden && flip === mirrored;
        }}""",
        arg=[pose, other, mirrored],
        timeout=5_000,
    )
    return drawing_state(page)


def pause_in(page, phase: str, detail: str = "") -> None:
    """Once the player reaches phase (and its repeat line shows detail), pause it there
    (CSS transitions still finish). The check and the click run in the same animation
    frame of the page, so a short phase at ?speed=5 cannot end in between, however busy
    the machine is."""
    page.wait_for_function(
        """([phase, detail]) => {
          const shown = document.querySelector('#player-phase').textContent.trim();
          const repeat = document.querySelector('#player-repeat').textContent;
          if (shown !== phase || !repeat.includes(detail)) return false;
          document.querySelector('#player-pause').click();
          return true;
        }""",
        arg=[phase, detail],
        timeout=8_000,
    )
    expect(page.locator("#player-pause")).to_have_text("Resume")
    expect(page.locator("#player-phase")).to_have_text(phase)
    if detail:
        expect(page.locator("#player-repeat")).to_contain_text(detail)


def resume(page) -> None:
    page.locator("#player-pause").click()
    expect(page.locator("#player-pause")).to_have_text("Pause")


@pytest.mark.any_database
def test_the_figure_moves_to_the_hold_and_back_and_mirrors_for_the_other_side(new_page, person):
    routine = data.make_routine(person, slugs=("knee-to-chest", "pelvic-tilt"))
    practice = data.start_practice(person, routine)
    page = new_page("desktop", user=person, reduced_motion="no-preference")
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/step/1/?speed=5")

    # Before the timer: both drawings, side by side.
    before = drawing_state(page)
    assert before["start"]["shown"] and before["hold"]["shown"]
    assert before["start"]["left"] < before["hold"]["left"]
    assert before["start"]["src"].endswith("/knee-to-chest-start.svg")
    assert before["hold"]["src"].endswith("/knee-to-chest-hold.svg")

    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    pause_in(page, "Get ready")
    ready = wait_for_pose(page, "start", mirrored=False)
    assert ready["start"]["transition"].split(",")[0] != "0s", "the change is animated"
    resume(page)

    pause_in(page, "Hold", "first side")
    hold = wait_for_pose(page, "hold", mirrored=False)
    # One figure in one place: the two drawings are stacked.
    assert place(hold["start"]) == place(hold["hold"])
    resume(page)

    # Each repeat is the first side, then the other side: switch, hold, then a rest
    # before the second repeat starts again on the first side.
    pause_in(page, "Switch sides")
    wait_for_pose(page, "start", mirrored=True)
    resume(page)
    pause_in(page, "Hold", "Repeat 1 of 2, other side")
    wait_for_pose(page, "hold", mirrored=True)
    resume(page)
    pause_in(page, "Rest", "Next: repeat 2, first side")
    wait_for_pose(page, "start", mirrored=False)

    # The next stretch starts from its own start drawing, the right way round.
    page.locator("#player-next-stretch").click()
    expect(page.locator("#player-name")).to_have_text("Pelvic tilt")
    expect(page.locator("#player-phase")).to_have_text("Get ready")
    after = wait_for_pose(page, "start", mirrored=False)
    assert after["start"]["src"].endswith("/pelvic-tilt-start.svg")
    assert after["hold"]["src"].endswith("/pelvic-tilt-hold.svg")
    assert after["hold"]["alt"].startswith("Lying on the back with knees bent")


@pytest.mark.any_database
def test_the_player_mid_hold_in_both_themes_at_phone_and_desktop_width(new_page, person):
    """Screenshots for people to look at, and axe in both themes, while a hold runs."""
    routine = data.make_routine(person, slugs=("seated-spinal-twist",))
    routine.steps.update(hold_seconds=60)  # 20 s at ?speed=3: time for every picture
    practice = data.start_practice(person, routine)
    page = new_page("desktop", user=person, reduced_motion="no-preference")
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/step/1/?speed=3")
    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    expect(page.locator("#player-phase")).to_have_text("Hold", timeout=8_000)

    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, reduced_motion="no-preference")
            wait_for_pose(page, "hold", mirrored=False)
            screenshot(page, f"player-mid-hold-{width}-{scheme}")
            if width == 360:
                assert_axe_clean(page, f"player mid-hold {scheme}")
            # Reduced motion: the two drawings side by side, nothing moves.
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            still = drawing_state(page)
            assert still["start"]["shown"] and still["hold"]["shown"]
            assert still["start"]["top"] == still["hold"]["top"]
            assert still["start"]["left"] < still["hold"]["left"]
            screenshot(page, f"player-mid-hold-{width}-{scheme}-reduced-motion")
    expect(page.locator("#player-phase")).to_have_text("Hold")  # all taken mid-hold


# --- keeping the place, spoken prompts, the sticky "now" bar, touch ------------------

SPEECH_STUB = """
window.__spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, 'speechSynthesis', {
  configurable: true,
  value: {
    speak: function (u) { window.__spoken.push(u.text); },
    cancel: function () {},
    getVoices: function () { return []; }
  }
});
"""


def seconds_left(page) -> int:
    """The session's time left, from "m:ss left" in the progress bar."""
    text = page.locator("#player-left-label").text_content()
    minutes, seconds = re.match(r"(\d+):(\d\d) left", text).groups()
    return int(minutes) * 60 + int(seconds)


@pytest.mark.any_database
def test_a_reload_mid_hold_resumes_from_the_time_left(new_page, person):
    routine = data.make_routine(person, slugs=("knee-to-chest", "pelvic-tilt"))
    practice = data.start_practice(person, routine)
    page = new_page("phone", user=person)
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/step/1/")
    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    # Get ready is 10 s: wait into the first hold (real time, speed 1).
    expect(page.locator("#player-phase")).to_have_text("Hold", timeout=15_000)
    page.wait_for_timeout(1_500)
    before = seconds_left(page)
    count_before = page.locator("#player-count").text_content()
    settle(page)
    page.reload()
    # The timer carries on by itself: same part, time left within 2 s of before.
    expect(page.locator("#player-timer")).to_be_visible()
    expect(page.locator("#player-phase")).to_have_text("Hold")
    expect(page.locator("#player-repeat")).to_have_text("Repeat 1 of 2, first side")
    after = seconds_left(page)
    print(f"time left before the reload {before} s, after {after} s")
    assert 0 <= before - after <= 2, (before, after)
    assert page.locator("#player-count").text_content() != "0:20", count_before
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(page.locator("#player-nav")).to_be_hidden()

    # Paused, then reloaded: still paused, at the same time left.
    page.get_by_role("button", name="Pause").click()
    paused_left = seconds_left(page)
    settle(page)
    page.reload()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    assert seconds_left(page) == paused_left
    page.wait_for_timeout(1_200)
    assert seconds_left(page) == paused_left

    # Stopping forgets the place kept on the device.
    kept = "Object.keys(localStorage).filter(k => k.startsWith('spasmcare.player.place.'))"
    assert page.evaluate(kept) == [f"spasmcare.player.place.{practice.uid}"]
    page.get_by_role("link", name="Stop — this hurts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You stopped the session")
    assert page.evaluate(kept) == []


@pytest.mark.any_database
def test_a_locked_phone_catches_up_from_the_end_time(new_page, person):
    routine = data.make_routine(person, slugs=("pelvic-tilt",))
    practice = data.start_practice(person, routine)
    page = new_page("phone", user=person)
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/step/1/")
    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    expect(page.locator("#player-phase")).to_have_text("Get ready")
    # A lock that froze the page for 12 s: on waking (visibilitychange) the time left is
    # worked out from the end time, not from the ticks that never ran.
    page.evaluate(
        """() => {
          const real = Date.now;
          Date.now = () => real() + 12000;
          document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    expect(page.locator("#player-phase")).to_have_text("Hold")
    count = page.locator("#player-count").text_content()
    assert count in ("0:18", "0:17", "0:16"), count


def spoken(page) -> list[str]:
    return page.evaluate("window.__spoken")


@pytest.mark.any_database
def test_spoken_prompts_are_off_by_default_and_remembered_when_on(new_page, person):
    routine = data.make_routine(person, slugs=("knee-to-chest",))
    routine.steps.update(hold_seconds=10, repeats=1)
    practice = data.start_practice(person, routine)
    page = new_page("phone", user=person)
    page.context.add_init_script(SPEECH_STUB)
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/step/1/?speed={SPEED}")
    speak = page.get_by_label("Speak the prompts aloud")
    expect(speak).to_be_visible()
    expect(speak).not_to_be_checked()
    settle(page)

    # Off: the timer runs through get ready and a hold, and nothing is spoken.
    page.get_by_role("button", name="Start guided timer").click()
    expect(page.locator("#player-phase")).to_have_text("Switch sides", timeout=5_000)
    assert spoken(page) == []

    # On: every change of part is spoken, and the choice is kept for the next page.
    speak.check()
    expect(page.locator("#player-phase")).to_have_text("Hold", timeout=5_000)
    expect(page.locator("#player-repeat")).to_have_text("Repeat 1 of 1, other side")
    page.wait_for_function("window.__spoken.length > 0")
    assert spoken(page)[-1] == "Hold the knee-to-chest stretch, other side, 10 seconds."
    expect(page.get_by_role("heading", level=1)).to_have_text("Session complete", timeout=8_000)

    practice2 = data.start_practice(person, routine)
    settle(page)
    page.goto(f"/routines/{routine.pk}/play/{practice2.uid}/step/1/?speed={SPEED}")
    expect(page.get_by_label("Speak the prompts aloud")).to_be_checked()
    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    expect(page.locator("#player-phase")).to_have_text("Switch sides", timeout=5_000)
    assert spoken(page) == [
        "Get ready: Knee-to-chest stretch. 10 seconds.",
        "Hold the knee-to-chest stretch, first side, 10 seconds.",
        "Switch sides.",
    ]
    # Off again: silence.
    page.get_by_label("Speak the prompts aloud").uncheck()
    page.evaluate("window.__spoken = []")
    expect(page.locator("#player-phase")).to_have_text("Hold", timeout=5_000)
    page.wait_for_timeout(300)
    assert spoken(page) == []


@pytest.mark.any_database
def test_the_stretch_and_side_stay_in_view_during_a_hold_and_touch_has_no_key_hints(
    new_page, person
):
    routine = data.make_routine(person, slugs=("knee-to-chest",))
    practice = data.start_practice(person, routine)
    page = new_page("phone", user=person)
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/step/1/?speed=2")
    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    # A touch phone: the "(N)" keyboard hint is not shown on the Skip button.
    expect(page.locator("#player-next")).to_have_text(re.compile("Skip"))
    assert page.locator("#player-next").inner_text().strip() == "Skip"
    expect(page.locator("#player-phase")).to_have_text("Hold", timeout=10_000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(200)
    now = page.locator("#player-now")
    for part in ("#player-now-name", "#player-now-side", "#player-now-image"):
        expect(page.locator(part)).to_be_in_viewport()
    expect(page.locator("#player-now-name")).to_have_text("Knee-to-chest stretch")
    expect(page.locator("#player-now-side")).to_have_text("Hold · Repeat 1 of 2, first side")
    assert (
        page.locator("#player-now-image").get_attribute("src").endswith("/knee-to-chest-hold.svg")
    )
    assert now.bounding_box()["y"] < 150
    assert_axe_clean(page, "player mid-hold, scrolled")


@pytest.mark.any_database
def test_a_desktop_keeps_the_key_hint(new_page, person):
    routine = data.make_routine(person, slugs=("pelvic-tilt",))
    practice = data.start_practice(person, routine)
    page = new_page("desktop", user=person)
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/step/1/")
    settle(page)
    page.get_by_role("button", name="Start guided timer").click()
    expect(page.locator("#player-next")).to_have_text("Skip (N)")
