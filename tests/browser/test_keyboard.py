"""Every task done with the keyboard alone: Tab, Shift+Tab, arrows, Space and Enter.

No clicks and no filling by selector: the tests move focus with Tab as a person would,
and every element that gets focus on the way must show a visible focus indicator.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.browser import data
from tests.browser.checks import focus_is_visible, focus_style

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', field: el.name || '',
    value: el.value || '', id: el.id || '',
    name: (el.getAttribute('aria-label') || label || el.innerText || '').trim(),
  };
}"""


class Keyboard:
    """Moves through a page with Tab and records any focus that cannot be seen."""

    def __init__(self, page) -> None:
        self.page = page
        self.invisible: list[str] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab(self, key: str = "Tab") -> dict | None:
        self.page.keyboard.press(key)
        now = self.focused()
        if now is not None and not focus_is_visible(style := focus_style(self.page)):
            self.invisible.append(f"{self.page.url}: {now['tag']} {now['name'][:40]!r} {style}")
        return now

    def tab_to(self, wanted: str | re.Pattern | Callable[[dict], bool], limit: int = 120) -> dict:
        """Press Tab until the focused element matches wanted (its name, or a test)."""
        if isinstance(wanted, str):
            text = wanted

            def wanted(el):
                return el["name"] == text
        elif isinstance(wanted, re.Pattern):
            pattern = wanted

            def wanted(el):
                return bool(pattern.search(el["name"]))

        for _ in range(limit):
            now = self.tab()
            if now is not None and wanted(now):
                return now
        raise AssertionError(f"Tab never reached {wanted!r} on {self.page.url}")

    def field(self, name: str, value: str | None = None) -> dict:
        """Tab to the form field called name (for a radio group: its first option)."""
        return self.tab_to(
            lambda el: el["field"] == name and (value is None or el["value"] == value)
        )

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def choose_radio(self, name: str, steps_right: int) -> None:
        """Tab into a radio group (first option) and pick the option steps_right along."""
        self.field(name)
        self.press("Space")
        for _ in range(steps_right):
            self.press("ArrowRight")

    def enter(self) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def assert_focus_always_visible(self) -> None:
        assert not self.invisible, "focus not visible on:\n" + "\n".join(self.invisible)


def answer_no_warning_signs(keys: Keyboard) -> None:
    keys.field("warning_signs", "none")  # "None of these"
    keys.press("Space")


def tick_warning_sign(keys: Keyboard, option: str) -> None:
    """Open the list of signs with the keyboard and tick one."""
    keys.tab_to("I have one or more of these: choose which")
    keys.press("Enter")
    keys.field("warning_signs", option)
    keys.press("Space")


def test_read_a_stretch_from_the_home_page(new_page):
    page = new_page("phone")
    page.goto("/")
    keys = Keyboard(page)
    first = keys.tab()
    assert first["name"] == "Skip to main content"
    keys.tab_to("Gentle stretches")
    keys.enter()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("stretch", re.I))
    keys.tab_to(re.compile(r"^Knee-to-chest"))
    keys.enter()
    assert page.url.endswith("/stretches/knee-to-chest/")
    expect(page.locator("ol.steps li").first).to_be_visible()
    keys.assert_focus_always_visible()


def test_skip_link_moves_focus_to_the_main_content(new_page):
    page = new_page("desktop")
    page.goto("/stretches/")
    keys = Keyboard(page)
    keys.tab()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    nxt = keys.tab()
    assert page.evaluate("document.activeElement.closest('main') !== null"), nxt


def test_sign_up_and_log_in(new_page):
    from django.contrib.auth import get_user_model

    page = new_page("phone")
    page.goto("/accounts/signup/")
    keys = Keyboard(page)
    keys.field("username")
    keys.type("kim")
    keys.field("email")
    keys.type("kim@example.org")
    keys.field("password1")
    keys.type("quiet-Harbour-71")
    keys.field("password2")
    keys.type("quiet-Harbour-71")
    keys.tab_to("Create my account")
    keys.enter()
    assert get_user_model().objects.filter(username="kim").exists()

    keys.tab_to(re.compile("Menu$"))  # the phone header's Menu
    keys.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    keys.tab_to("Log out")
    keys.enter()
    page.goto("/accounts/login/")
    keys.field("username")
    keys.type("kim")
    keys.field("password")
    keys.type("quiet-Harbour-71")
    keys.enter()  # Enter in the password field submits the form
    expect(page.get_by_role("heading", name="How is your back today?")).to_be_visible()
    keys.assert_focus_always_visible()


def test_log_pain_with_a_warning_sign_then_read_the_alert(new_page, person):
    from symptoms.models import PainEntry

    page = new_page("phone", user=person)
    page.goto("/symptoms/new/")
    keys = Keyboard(page)
    keys.choose_radio("pain", 6)  # 0 -> 6
    tick_warning_sign(keys, "bladder_bowel")  # an immediate warning sign
    keys.tab_to("Save entry")
    keys.enter()

    entry = PainEntry.objects.get(owner=person)
    assert (entry.pain, entry.bladder_bowel, entry.saddle_numbness) == (6, True, False)
    # Focus moves to the alert, which is announced and shows its focus.
    expect(page.locator("#flag-alert")).to_be_focused()
    assert focus_is_visible(focus_style(page))
    expect(page.locator("#flag-alert")).to_contain_text("Get emergency care now")

    # The next Tabs stay in the alert: the call button first, then why the sign matters.
    call = keys.tab()
    assert call["name"] == "Call 999"
    link = keys.tab_to(re.compile("^Why this sign matters"), limit=3)
    assert link["name"].startswith("Why this sign matters")
    assert page.evaluate("document.activeElement.closest('#flag-alert') !== null")
    keys.enter()
    assert "/guide/when-to-seek-care/" in page.url
    keys.assert_focus_always_visible()


def test_build_and_play_a_session(new_page, person):
    from routines.models import Practice, Routine

    page = new_page("desktop", user=person)
    page.goto("/routines/new/")
    keys = Keyboard(page)
    keys.field("name")
    keys.type("Keyboard stretches")
    keys.tab_to("Create session")
    keys.enter()
    routine = Routine.objects.get(owner=person, name="Keyboard stretches")

    keys.field("stretch")
    keys.press("ArrowDown")  # choose a stretch from the closed list with the arrows
    keys.field("hold_seconds")
    keys.press("Control+a")
    keys.type("20")
    keys.field("repeats")
    keys.press("Control+a")
    keys.type("1")
    keys.tab_to("Add stretch")
    keys.enter()
    assert routine.steps.count() == 1

    keys.tab_to("Play")
    keys.enter()
    keys.choose_radio("pain_before", 3)
    answer_no_warning_signs(keys)
    keys.tab_to("Start the session")
    keys.enter()
    expect(page.locator("#player-where")).to_have_text(re.compile(r"Stretch 1 of 1"))

    keys.tab_to("Start guided timer")
    page.keyboard.press("Enter")
    expect(page.locator("#player-timer")).to_be_visible()
    # Running, the timer's own buttons replace the links; "Next stretch" on the last
    # stretch ends the session and the player moves on to the finish page.
    keys.tab_to("Next stretch")
    keys.enter()
    keys.choose_radio("pain_after", 2)
    keys.tab_to("Save")
    keys.enter()
    practice = Practice.objects.get(owner=person, routine=routine)
    assert (practice.pain_before, practice.pain_after) == (3, 2)
    assert practice.finished_at is not None
    keys.assert_focus_always_visible()


def test_export_my_data(new_page, person):
    data.make_entry(person, **data.NO_SIGNS)
    page = new_page("desktop", user=person)
    page.goto("/accounts/export/")
    keys = Keyboard(page)
    keys.tab_to("Download all my data (JSON)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".json")
    keys.tab_to("Download pain entries (CSV)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    keys.assert_focus_always_visible()


def test_focus_is_visible_on_every_element_of_busy_pages(new_page, person):
    routine = data.make_routine(person, slugs=("knee-to-chest", "cat-camel"))
    practice = data.start_practice(person, routine)
    pages = [
        "/",
        "/stretches/knee-to-chest/",
        "/symptoms/new/",
        f"/routines/{routine.pk}/edit/",
        f"/routines/{routine.pk}/play/{practice.uid}/step/1/",
        "/accounts/export/",
    ]
    page = new_page("desktop", user=person)
    keys = Keyboard(page)
    for path in pages:
        page.goto(path)
        seen = 0
        for _ in range(200):
            if keys.tab() is None and seen:
                break  # focus has left the page's last element
            seen += 1
        assert seen > 3, f"Tab reached only {seen} elements on {path}"
    keys.assert_focus_always_visible()
