"""Warning signs that cannot be missed or silenced by mistake (Chromium, 360 px phone).

A new report after "checked by a doctor" opens the alert again; resolving with an open
urgent warning asks first; the quick check refuses blank answers; the banner follows the
person to every kind of page; call buttons dial the region's numbers; "None of these"
saves an entry in one tap, with and without JavaScript; a non-urgent alert interrupts
once per episode.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import data
from tests.browser.actions import answer_signs, open_details


def log_pain(page, pain: int, *signs: str, onset_days_ago: int | None = None) -> None:
    page.goto("/symptoms/new/")
    if onset_days_ago is not None:
        onset = timezone.localdate() - timedelta(days=onset_days_ago)
        open_details(page)
        page.get_by_label("When did this pain start?").fill(onset.isoformat())
    page.locator(f'input[name="pain"][value="{pain}"]').check()
    answer_signs(page, *signs)
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_load_state()


def test_a_new_report_after_acknowledging_opens_the_alert_again(new_page, person):
    page = new_page("phone", user=person)
    log_pain(page, 4, "bladder_bowel")
    assert "/saved/" in page.url
    page.goto("/symptoms/")
    page.get_by_role("link", name=re.compile("^I have been checked by a doctor")).click()
    page.wait_for_url("**/acknowledge/")
    expect(page.locator("h1")).to_contain_text("I have been checked by a doctor")
    page.get_by_role("button", name=re.compile("^Yes, I have been checked")).click()
    page.wait_for_url("**/symptoms/")
    expect(page.locator(".flag--seen")).to_contain_text("Loss of bladder or bowel control")

    log_pain(page, 4, "bladder_bowel")
    assert "/saved/" in page.url
    alert = page.locator("#flag-alert")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("You reported this again after seeing a doctor")
    expect(alert.locator('a[href="tel:999"]')).to_be_visible()


def test_resolving_with_an_open_urgent_warning_asks_first(new_page, person):
    data.make_flagged_entry(person, "urgent")
    page = new_page("phone", user=person)
    page.goto("/symptoms/")
    page.get_by_role("link", name="My back is better: mark this episode resolved").click()
    page.wait_for_url("**/resolve/")
    expect(page.locator("#flag-alert .flag--urgent")).to_be_visible()
    expect(page.locator("#flag-alert")).to_contain_text("See a doctor today")
    expect(page.locator('#flag-alert a[href="tel:111"]')).to_be_visible()
    # Keeping it open changes nothing.
    page.get_by_role("link", name="No, keep it open").click()
    page.wait_for_url("**/symptoms/")
    expect(page.get_by_role("link", name=re.compile("mark this episode resolved"))).to_be_visible()


def test_the_quick_check_with_blank_answers_is_a_400_with_field_errors(new_page):
    page = new_page("phone")
    page.goto("/check/")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Check").click()
    assert navigation.value.status == 400
    expect(page.locator(".warning-signs__error")).to_contain_text("None of these")
    expect(page.get_by_text("No warning sign found")).to_have_count(0)
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # pain, days


@pytest.mark.parametrize(
    ("region", "emergency", "urgent"),
    [("GB", "tel:999", "tel:111"), ("AU", "tel:000", "tel:1800022222")],
)
def test_call_buttons_dial_the_numbers_of_the_chosen_region(new_page, region, emergency, urgent):
    page = new_page("phone")
    page.goto("/check/")
    page.get_by_label("Where are you?").select_option(region)
    page.locator('input[name="pain"][value="8"]').check()
    page.get_by_label("How many days have you had this pain?").fill("1")
    answer_signs(page, "saddle_numbness", "leg_symptoms:one")
    page.get_by_role("button", name="Check").click()
    immediate = page.locator(".flag--immediate .care__call")
    expect(immediate.first).to_have_attribute("href", emergency)
    expect(page.locator(".flag--urgent .care__call").first).to_have_attribute("href", urgent)
    box = immediate.first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # one tap


def test_the_banner_follows_an_open_warning_to_every_kind_of_page(new_page, person):
    data.make_flagged_entry(person, "urgent")
    routine = data.make_routine(person)
    practice = data.start_practice(person, routine)
    page = new_page("phone", user=person)
    for path in (
        "/",
        "/stretches/knee-to-chest/",
        "/guide/home-care/",
        "/routines/",
        f"/routines/{routine.pk}/play/{practice.uid}/step/1/",
        "/accounts/",
    ):
        page.goto(path)
        banner = page.locator(".warning-banner")
        expect(banner).to_be_visible()
        expect(banner).to_have_attribute("role", "alert")
        expect(banner).to_contain_text("See a doctor today")
        expect(banner.locator('a[href="tel:111"]')).to_be_visible()
        expect(banner.get_by_role("link", name=re.compile("Open your pain log"))).to_be_visible()
        # First on the page: above the site header.
        assert page.evaluate(
            "document.querySelector('.warning-banner').compareDocumentPosition("
            "document.querySelector('.site-header')) & Node.DOCUMENT_POSITION_FOLLOWING"
        ), path


def test_an_open_emergency_warning_keeps_the_player_from_starting(new_page, person):
    data.make_flagged_entry(person, "immediate")
    page = new_page("phone", user=person)
    page.goto(f"/routines/{data.starter_routine().pk}/play/")
    expect(page.locator("h1")).to_have_text("Please do not start this session now")
    expect(page.locator('a[href="tel:999"]').first).to_be_visible()
    expect(page.get_by_role("button", name="Start the session")).to_have_count(0)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_none_of_these_saves_an_entry_in_one_tap(new_page, person, js):
    from symptoms.models import PainEntry

    page = new_page("phone", user=person, js=js)
    page.goto("/symptoms/new/")
    page.locator('input[name="pain"][value="3"]').check()
    page.get_by_label("None of these").check()  # the one tap for the warning questions
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/symptoms/")
    entry = PainEntry.objects.get(owner=person)
    assert entry.pain == 3
    assert entry.bladder_bowel is False and entry.leg_symptoms == "none"
    assert entry.chest_pain is False


def test_none_of_these_and_a_sign_cannot_both_stay_ticked(new_page, person):
    page = new_page("phone", user=person)
    page.goto("/symptoms/new/")
    none = page.get_by_label("None of these")
    none.check()
    answer_signs(page, "fever")
    expect(none).not_to_be_checked()  # ticking a sign unticks "None of these"
    none.check()
    expect(page.locator('input[name="warning_signs"][value="fever"]')).not_to_be_checked()


def test_the_non_urgent_alert_page_opens_once_per_episode(new_page, person):
    page = new_page("phone", user=person)
    log_pain(page, 4, onset_days_ago=20)
    assert "/saved/" in page.url
    expect(page.locator("#flag-alert .flag--non_urgent")).to_contain_text(
        "Pain lasting longer than two weeks"
    )
    log_pain(page, 4)
    assert page.url.endswith("/symptoms/"), page.url  # not interrupted again
    flag = page.locator(".flag--non_urgent")
    expect(flag).to_be_visible()  # still listed, with its own acknowledgement
    expect(
        flag.get_by_role("link", name=re.compile("^I have booked an appointment"))
    ).to_be_visible()
