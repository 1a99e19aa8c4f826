"""Logging pain with a warning sign on a phone: the alert comes first, and gets focus.

For each urgency the entry is logged through the real form at 360x740; the page that
comes back opens with the alert (inside the top of the screen, before anything else in
<main>), says what to do in words and not colour alone, and has keyboard focus.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.actions import answer_signs, open_details
from tests.browser.checks import assert_axe_clean, focus_is_visible, focus_style

WORDS = {
    "immediate": "Get emergency care now",
    "urgent": "See a doctor today",
    "non_urgent": "Book an appointment with a doctor",
}
# Answers that raise each urgency ("non_urgent" comes from how long the pain has lasted).
SIGNS = {"immediate": ("bladder_bowel",), "urgent": ("leg_symptoms:one",), "non_urgent": ()}


def log_entry(page, *, urgency: str) -> None:
    page.goto("/symptoms/new/")
    if urgency == "non_urgent":  # pain for more than two weeks
        onset = (timezone.localdate() - timedelta(days=20)).isoformat()
        open_details(page)
        page.get_by_label("When did this pain start?").fill(onset)
    page.locator('input[name="pain"][value="6"]').check()
    answer_signs(page, *SIGNS[urgency])
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/saved/")


@pytest.mark.parametrize("urgency", ["immediate", "urgent", "non_urgent"])
def test_alert_is_first_on_a_phone_after_saving_an_entry(new_page, person, urgency):
    page = new_page("phone", user=person)
    log_entry(page, urgency=urgency)

    alert = page.locator("#flag-alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert.locator(f".flag--{urgency}")).to_have_count(1)
    expect(alert).to_contain_text(WORDS[urgency])
    # First in <main>, the page's heading, and inside the first screen without scrolling.
    assert page.evaluate("document.querySelector('main').firstElementChild.id") == "flag-alert"
    assert alert.locator("h1").count() == 1
    box = alert.bounding_box()
    assert box["y"] < 740 / 2, f"alert starts {box['y']} px down a 740 px screen"
    # Focus moved to it (a screen reader reads it first) and the focus shows.
    expect(page.locator("#flag-alert")).to_be_focused()
    assert focus_is_visible(focus_style(page))
    assert_axe_clean(page, f"entry saved with an {urgency} warning sign")


def test_entry_without_warning_signs_goes_back_to_the_log_quietly(new_page, person):
    page = new_page("phone", user=person)
    page.goto("/symptoms/new/")
    page.locator('input[name="pain"][value="3"]').check()
    answer_signs(page)
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/symptoms/")
    expect(page.locator(".flag")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("saved")


@pytest.mark.parametrize("urgency", ["immediate", "urgent", "non_urgent"])
def test_quick_check_alert_is_first_and_focused_on_a_phone(new_page, urgency):
    page = new_page("phone")
    page.goto("/check/")
    page.locator('input[name="pain"][value="5"]').check()
    days = "20" if urgency == "non_urgent" else "1"
    page.get_by_label("How many days have you had this pain?").fill(days)
    answer_signs(page, *SIGNS[urgency])
    page.get_by_role("button", name="Check").click()

    alert = page.locator("#flag-alert")
    expect(alert.locator(f".flag--{urgency}")).to_contain_text(WORDS[urgency])
    assert page.evaluate("document.querySelector('main').firstElementChild.id") == "flag-alert"
    expect(page.locator("#flag-alert")).to_be_focused()
    assert focus_is_visible(focus_style(page))


def test_player_safety_check_with_a_warning_sign_moves_focus_to_the_alert(new_page, site):
    from tests.browser import data

    page = new_page("phone")
    page.goto(f"/routines/{data.starter_routine().pk}/play/")
    page.locator('input[name="pain_before"][value="4"]').check()
    answer_signs(page, "leg_symptoms:both")
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator("#flag-alert")).to_be_focused()
    expect(page.locator("#flag-alert .flag--immediate")).to_contain_text(WORDS["immediate"])
