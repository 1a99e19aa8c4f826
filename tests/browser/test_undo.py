"""Undo after a deletion, in the browser: delete, see "Undo" on the next page, press
it, and the entry or session is back, as it was (tests/test_undo.py checks every
field; here, what the person sees), on a phone and with the keyboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from routines.models import Routine
from symptoms.models import PainEntry
from tests.browser import data
from tests.browser.checks import assert_axe_clean


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def test_undo_a_deleted_pain_entry(new_page, person):
    entry = data.make_entry(person, pain=6, **data.NO_SIGNS)
    page = new_page("phone", user=person)
    page.goto(f"/symptoms/{entry.pk}/delete/")
    expect(page.get_by_text("offers “Undo” to bring it back")).to_be_visible()
    settle(page)
    page.get_by_role("button", name="Yes, delete the entry").click()
    expect(page).to_have_url(re.compile(r"/symptoms/$"))
    undo_box = page.locator(".undo-box")
    expect(undo_box).to_contain_text("Deleted just now")
    expect(undo_box).to_contain_text("pain 6 out of 10")
    expect(page.locator(".entry", has_text="Stiff after gardening.")).to_have_count(0)
    assert not PainEntry.objects.filter(pk=entry.pk).exists()
    assert_axe_clean(page, "pain log with undo")

    settle(page)
    undo = undo_box.get_by_role("button", name=re.compile("^Undo"))
    undo.focus()
    page.keyboard.press("Enter")  # the keyboard alone
    expect(page.locator(".site-messages")).to_contain_text("The entry is back in your pain log.")
    expect(page.locator(".undo-box")).to_have_count(0)
    expect(page.get_by_text("Stiff after gardening.")).to_be_visible()
    assert PainEntry.objects.get(pk=entry.pk).uid == entry.uid


def test_undo_a_deleted_session(new_page, person):
    routine = data.make_routine(person, name="Evening stretches")
    page = new_page("phone", user=person)
    page.goto(f"/routines/{routine.pk}/delete/")
    settle(page)
    page.get_by_role("button", name="Delete session").click()
    expect(page).to_have_url(re.compile(r"/routines/$"))
    undo_box = page.locator(".undo-box")
    expect(undo_box).to_contain_text("The session “Evening stretches”")
    expect(page.locator(".routine-card", has_text="Evening stretches")).to_have_count(0)
    assert_axe_clean(page, "sessions with undo")

    settle(page)
    undo_box.get_by_role("button", name=re.compile("^Undo")).click()
    expect(page.locator(".site-messages")).to_contain_text("Session “Evening stretches” is back.")
    expect(page.locator(".routine-card", has_text="Evening stretches")).to_have_count(1)
    restored = Routine.objects.get(pk=routine.pk)
    assert restored.steps.count() == 1
