"""The core tasks with JavaScript switched off: plain links and forms do everything.

Each test runs in a phone-sized context with JavaScript disabled; no page may depend on
a script to show its content or to submit a form.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser import data
from tests.browser.actions import answer_signs, open_menu


def nojs(new_page, person=None):
    page = new_page("phone", js=False, user=person)
    return page


def test_read_a_stretch(new_page):
    page = nojs(new_page)
    page.goto("/")
    page.get_by_role("link", name="Gentle stretches").click()
    page.get_by_role("link", name=re.compile(r"^Knee-to-chest")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Knee-to-chest")
    expect(page.locator("ol.steps li").first).to_be_visible()
    page.get_by_role("link", name=re.compile("Next", re.I)).first.click()
    assert page.url.endswith("/stretches/double-knee-to-chest/")


def test_quick_check_shows_an_alert(new_page):
    page = nojs(new_page)
    page.goto("/check/")
    page.locator('input[name="pain"][value="7"]').check()
    page.get_by_label("How many days have you had this pain?").fill("1")
    answer_signs(page, "saddle_numbness")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".flag--immediate")).to_be_visible()
    expect(page.locator(".flag--immediate")).to_contain_text("Get emergency care now")


def test_sign_up_log_pain_and_read_the_alert(new_page):
    from symptoms.models import PainEntry

    page = nojs(new_page)
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("noor")
    page.get_by_label("Email address").fill("noor@example.org")
    page.locator("#id_password1").fill("quiet-Harbour-71")
    page.locator("#id_password2").fill("quiet-Harbour-71")
    page.get_by_role("button", name="Create my account").click()
    open_menu(page)  # the phone header's Menu, a <details>: no script needed
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto("/symptoms/new/")
    page.locator('input[name="pain"][value="5"]').check()
    answer_signs(page, "leg_symptoms:one")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/saved/")
    assert page.evaluate("document.querySelector('main').firstElementChild.id") == "flag-alert"
    expect(page.locator("#flag-alert .flag--urgent")).to_contain_text("See a doctor today")
    assert PainEntry.objects.get(owner__username="noor").leg_symptoms == "one"

    page.get_by_role("link", name="Back to your pain log").click()
    expect(page.locator(".flag--urgent")).to_be_visible()


def test_build_and_play_a_session(new_page, person):
    from routines.models import Practice, Routine

    page = nojs(new_page, person)
    page.goto("/routines/new/")
    page.get_by_label("Session name").fill("No-script session")
    page.get_by_role("button", name="Create session").click()
    routine = Routine.objects.get(owner=person, name="No-script session")
    page.locator("#id_stretch").select_option(index=1)
    page.locator("#id_hold_seconds").fill("20")
    page.locator("#id_repeats").fill("2")
    page.get_by_role("button", name="Add stretch").click()
    expect(page.locator(".routine-step")).to_have_count(1)

    page.get_by_role("link", name="Play", exact=True).click()
    page.locator('input[name="pain_before"][value="4"]').check()
    answer_signs(page)
    page.get_by_role("button", name="Start the session").click()
    # Without the timer script the stretch is still all there, with plain links.
    expect(page.locator("#player-steps li").first).to_be_visible()
    expect(page.locator("#player-controls")).to_be_hidden()  # player.js shows it: not run
    page.get_by_role("link", name="Done, finish the session").click()
    page.locator('input[name="pain_after"][value="2"]').check()
    page.get_by_role("button", name="Save").click()
    practice = Practice.objects.get(owner=person, routine=routine)
    assert (practice.pain_before, practice.pain_after) == (4, 2)


def test_progress_and_export(new_page, person):
    data.make_entry(person, pain=6, onset_days_ago=2, **data.NO_SIGNS)
    data.make_entry(person, pain=3, **data.NO_SIGNS)
    page = nojs(new_page, person)
    page.goto("/symptoms/progress/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/accounts/export/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download pain entries (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.count("\n") >= 3  # a header and two entries
