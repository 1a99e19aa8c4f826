"""Today on a 360x740 phone: a pain entry in three taps with Save in view, with and
without JavaScript; where it hurts by keyboard alone; the compact header and its Menu."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import data
from tests.browser.actions import open_details, open_menu
from tests.browser.checks import inspect_page

PHONE_HEIGHT = 740
HEADER_MAX = 64


def in_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE_HEIGHT


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_a_pain_entry_in_three_taps_without_scrolling(new_page, person, js):
    from symptoms.models import PainEntry

    page = new_page("phone", js=js, user=person)
    page.goto("/")
    expect(page.get_by_role("heading", name="How is your back today?")).to_be_visible()
    save = page.get_by_role("button", name="Save entry")
    assert in_first_screen(save), save.bounding_box()
    save_box = save.bounding_box()

    taps = [
        page.get_by_label("3 mild", exact=True),
        page.get_by_label("None of these", exact=True),
        save,
    ]
    for target in taps:
        assert in_first_screen(target), target
        target.tap()
    assert len(taps) == 3

    expect(page.get_by_text("Your entry is saved.")).to_be_visible()
    assert urlsplit(page.url).path == "/"
    entry = PainEntry.objects.get(owner=person)
    assert entry.pain == 3
    assert not PainEntry.reports(entry)
    # Back on Today, the glance shows the new entry.
    expect(page.locator(".glance__day--today")).to_contain_text("3 mild")
    print(f"Save at y={save_box['y']:.0f}-{save_box['y'] + save_box['height']:.0f} (js={js})")


@pytest.mark.parametrize("viewport,who", [("phone", "out"), ("phone", "in"), ("desktop", "in")])
def test_the_header_is_compact_on_phones_and_its_menu_needs_no_script(
    new_page, person, viewport, who
):
    for js in (True, False):
        page = new_page(viewport, js=js, user=person if who == "in" else None)
        page.goto("/stretches/")
        height = page.locator(".site-header").bounding_box()["height"]
        if viewport == "phone":
            assert height <= HEADER_MAX, height
            expect(page.locator(".site-nav--bar")).to_be_hidden()
            expect(page.get_by_role("link", name="Guide", exact=True)).to_be_hidden()
            open_menu(page)
        else:
            expect(page.locator(".site-menu")).to_be_hidden()
        link = "Pain log" if who == "in" else "Log in"
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Pain log" if who == "in" else "Log in"
        )
        print(f"header {viewport} signed {who} js={js}: {height:.0f} px")


def test_today_pages_pass_the_checks_at_phone_size(new_page, person):
    """The sections Today can show, at 360 px: axe, one h1, no overflow, 24 px targets."""
    data.make_entry(person, pain=7, onset_days_ago=3, **data.NO_SIGNS)
    data.make_finished_practice(person, data.make_routine(person))
    data.make_flagged_entry(person, "immediate")
    page = new_page("phone", user=person)
    page.goto("/")
    alert = page.locator(".warning-banner[role=alert]")
    expect(alert).to_be_visible()
    # The warning comes first, and the call is one tap away.
    assert alert.bounding_box()["y"] < page.locator(".site-header").bounding_box()["y"]
    expect(alert.locator("a[href^='tel:']").first).to_be_visible()
    failures = inspect_page(page, "today with a warning phone")
    page.locator("details.entry-form__details > summary").click()
    failures += inspect_page(page, "today details open phone")
    assert not failures, "\n".join(failures)


def test_pick_two_body_regions_by_keyboard_alone(new_page, person):
    from symptoms.models import PainEntry
    from tests.browser.test_keyboard import Keyboard, answer_no_warning_signs

    page = new_page("phone", user=person)
    page.goto("/")
    keys = Keyboard(page)
    keys.choose_radio("pain", 5)  # 0 -> 5
    answer_no_warning_signs(keys)
    keys.tab_to(re.compile(r"^Add details"))
    keys.press("Enter")  # opens the details
    keys.field("locations", "lower_back_left")
    keys.press("Space")
    keys.field("locations", "buttock_left")
    keys.press("Space")
    # The drawing shows both regions ticked, and no other.
    filled = page.evaluate(
        """() => [...document.querySelectorAll('[data-region]')]
            .filter((g) => getComputedStyle(g).fill !== getComputedStyle(
                document.querySelector('[data-region="foot_right"]')).fill)
            .map((g) => g.dataset.region)"""
    )
    assert filled == ["lower_back_left", "buttock_left"], filled
    keys.tab_to("Save with these details")
    keys.enter()

    entry = PainEntry.objects.get(owner=person)
    assert entry.pain == 5
    assert entry.locations == ["lower_back_left", "buttock_left"]
    keys.assert_focus_always_visible()


def test_a_tap_on_the_drawing_ticks_the_region(new_page, person):
    page = new_page("phone", user=person)
    page.goto("/symptoms/new/")
    open_details(page)
    page.locator('svg [data-region="calf_right"] path').first.click()
    expect(page.get_by_label("Right calf or shin")).to_be_checked()
    page.locator('svg [data-region="calf_right"] path').last.click()
    expect(page.get_by_label("Right calf or shin")).not_to_be_checked()
