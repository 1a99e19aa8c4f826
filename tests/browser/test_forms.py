"""Pages reached by posting a form: every form with errors, the quick check's answers.

Each case fills a form as a person would, submits it, and the page that comes back must
have the expected status and pass the same checks as every other page (one <h1>, no
overflow, zero axe-core violations, no browser errors), at phone and desktop widths.
The layout checks run once (SQLite run); on PostgreSQL each form is sent again and its
status, content and HTML checked (test_form_result_on_postgresql).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.browser import data
from tests.browser.actions import answer_signs
from tests.browser.checks import inspect_page, text_stress_failures


def submit(page, button: str) -> int:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    return navigation.value.status


def quick_check(*signs: str, pain: int | None = 4, days: str = "2") -> Callable:
    def run(page, person) -> int:
        page.goto("/check/")
        if pain is not None:
            page.check(f'input[name="pain"][value="{pain}"]')
            page.get_by_label("How many days have you had this pain?").fill(days)
            answer_signs(page, *signs)
        return submit(page, "Check")

    return run


def login_wrong_password(page, person) -> int:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill("not-the-password")
    return submit(page, "Log in")


def signup_empty(page, person) -> int:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(person.username)  # taken
    return submit(page, "Create my account")


def password_reset_bad_email(page, person) -> int:
    page.goto("/accounts/password-reset/")
    page.get_by_label("Email").fill("not an email")
    return submit(page, "Send the link")


def entry_new_empty(page, person) -> int:
    page.goto("/symptoms/new/")
    return submit(page, "Save entry")


def entry_edit_future(page, person) -> int:
    entry = data.make_entry(person, **data.NO_SIGNS)
    page.goto(f"/symptoms/{entry.pk}/edit/")
    page.get_by_label("Date and time").fill("2099-01-01T10:00")
    return submit(page, "Save changes")


def session_new_empty(page, person) -> int:
    page.goto("/routines/new/")
    return submit(page, "Create session")


def builder_bad_hold(page, person) -> int:
    routine = data.make_routine(person)
    page.goto(f"/routines/{routine.pk}/edit/")
    page.locator("#id_hold_seconds").fill("999")  # the add-a-stretch form
    return submit(page, "Add stretch")


def open_practice(page, person, suffix: str) -> None:
    """Start a practice of a new session for person and open its page `suffix`."""
    routine = data.make_routine(person)
    practice = data.start_practice(person, routine)
    page.goto(f"/routines/{routine.pk}/play/{practice.uid}/{suffix}")


def player_start_empty(page, person) -> int:
    page.goto(f"/routines/{data.starter_routine().pk}/play/")
    return submit(page, "Start the session")


def player_start_with_warning_sign(page, person) -> int:
    page.goto(f"/routines/{data.starter_routine().pk}/play/")
    page.check('input[name="pain_before"][value="6"]')
    # An urgent sign: the answers go into the log, and an urgent warning there does not
    # keep the player from opening for the second run (an emergency one would).
    answer_signs(page, "leg_symptoms:one")
    return submit(page, "Start the session")


def player_finish_empty(page, person) -> int:
    open_practice(page, person, "finish/")
    return submit(page, "Save")


def password_change_wrong(page, person) -> int:
    page.goto("/accounts/password/")
    page.get_by_label("Old password").fill("wrong-old-password")
    return submit(page, "Change password")


def account_delete_wrong(page, person) -> int:
    page.goto("/accounts/delete/")
    page.get_by_label("Your password").fill("wrong-password")
    return submit(page, "Yes, delete my account and all my data")


def import_no_file(page, person) -> int:
    page.goto("/accounts/import/")
    return submit(page, "Import")


def player_stop_for_pain(page, person) -> int:
    open_practice(page, person, "stop/?completed=0")
    page.locator('input[name="reason"]').first.check()
    page.locator('input[name="pain_after"][value="7"]').check()
    return submit(page, "Continue")


def player_stop_empty(page, person) -> int:
    open_practice(page, person, "stop/?completed=0")
    return submit(page, "Continue")


def flag_checked_by_a_doctor(page, person) -> int:
    data.make_flagged_entry(person, "urgent")
    data.make_flagged_entry(person, "immediate")
    page.goto("/symptoms/")
    link = page.get_by_role("link", name=re.compile("^I have been checked by a doctor"))
    link.first.click()
    page.wait_for_url("**/acknowledge/")
    return submit(
        page, "Yes, I have been checked by a doctor or at an emergency department about this"
    )


def flag_acknowledgement_undone(page, person) -> int:
    flag_checked_by_a_doctor(page, person)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=re.compile("^Undo")).first.click()
    return navigation.value.status


def episode_resolved(page, person) -> int:
    data.make_entry(person, **data.NO_SIGNS)
    page.goto("/symptoms/")
    page.get_by_role("link", name="My back is better: mark this episode resolved").click()
    page.wait_for_url("**/resolve/")
    return submit(page, "Mark it resolved")


def episode_resolve_asks_first(page, person) -> int:
    data.make_flagged_entry(person, "urgent")
    page.goto("/symptoms/")
    page.get_by_role("link", name="My back is better: mark this episode resolved").click()
    page.wait_for_url("**/resolve/")
    return submit(page, "Mark it resolved anyway")


def episode_reopened(page, person) -> int:
    """Resolved with a warning open, then reopened from the log: the warning is back."""
    episode_resolve_asks_first(page, person)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=re.compile("^Reopen the episode from")).click()
    return navigation.value.status


def entry_deleted(page, person) -> int:
    entry = data.make_entry(person, **data.NO_SIGNS)
    page.goto(f"/symptoms/{entry.pk}/delete/")
    return submit(page, "Yes, delete the entry")


def undo(page) -> int:
    with page.expect_navigation() as navigation:
        page.locator(".undo-box").get_by_role("button", name=re.compile("^Undo")).first.click()
    return navigation.value.status


def entry_restored(page, person) -> int:
    entry_deleted(page, person)
    return undo(page)


def entry_undo_too_late(page, person) -> int:
    """Undo pressed after the window: the entry stays deleted, the page says so (410)."""
    from datetime import timedelta

    from accounts.deletion import UNDO_WINDOW
    from symptoms.models import PainEntry

    entry_deleted(page, person)
    PainEntry.all_objects.filter(owner=person).update(
        deleted_at=timezone.now() - UNDO_WINDOW - timedelta(minutes=1)
    )
    return undo(page)


def session_deleted(page, person) -> int:
    routine = data.make_routine(person, name="Evening stretches")
    page.goto(f"/routines/{routine.pk}/delete/")
    return submit(page, "Delete session")


def session_restored(page, person) -> int:
    session_deleted(page, person)
    return undo(page)


def locked_out(page, person) -> int:
    page.goto("/accounts/login/")
    status = 0
    for _ in range(6):
        page.get_by_label("Username").fill(person.username)
        page.get_by_label("Password").fill("not-the-password")
        status = submit(page, "Log in")
        if not page.get_by_role("button", name="Log in", exact=True).count():
            break
    return status


def reminder_new_empty(page, person) -> int:
    page.goto("/accounts/reminders/new/")
    page.get_by_label("Do my stretch session").check()
    page.get_by_label("Time").fill("")
    for day in ("Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(day).uncheck()
    return submit(page, "Save reminder")


def reminder_pause_bad(page, person) -> int:
    page.goto(f"/accounts/reminders/{data.make_reminder(person).pk}/pause/")
    page.get_by_label("Pause for how many days?").fill("400")
    return submit(page, "Pause reminder")


def quiet_hours_half(page, person) -> int:
    page.goto("/accounts/reminders/")
    page.get_by_label("From").fill("22:00")
    return submit(page, "Save quiet hours")


def reminder_resumed(page, person) -> int:
    data.make_reminders(person)
    page.goto("/accounts/reminders/")
    button = page.get_by_role("button", name=re.compile("^Start again now"))
    with page.expect_navigation() as navigation:
        button.first.click()
    return navigation.value.status


def push_off_everywhere(page, person) -> int:
    data.make_reminders(person)
    page.goto("/accounts/reminders/")
    return submit(page, "Turn off push everywhere")


def reminder_unsubscribed(page, person) -> int:
    from reminders.sending import unsubscribe_token

    page.goto(f"/accounts/reminders/unsubscribe/{unsubscribe_token(data.make_reminder(person))}/")
    return submit(page, "Stop these emails")


def share_link_bad_days(page, person) -> int:
    page.goto("/symptoms/report/share/")
    page.get_by_label("The link works for (days)").fill("45")
    return submit(page, "Make the link")


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable
    status: int
    signed_in: bool = False
    shows: str = ""  # a CSS selector that must be on the page that comes back


CASES = [
    Case("check-errors", quick_check(pain=None), 400, shows=".invalid-feedback"),
    Case("check-no-flag", quick_check(), 200),
    Case("check-immediate", quick_check("bladder_bowel"), 200, shows=".flag--immediate"),
    Case("check-urgent", quick_check("leg_symptoms:one"), 200, shows=".flag--urgent"),
    Case("check-non-urgent", quick_check(days="20"), 200, shows=".flag--non_urgent"),
    Case("login-errors", login_wrong_password, 200, shows=".alert-danger, .invalid-feedback"),
    Case("signup-errors", signup_empty, 400, shows=".invalid-feedback"),
    Case("password-reset-errors", password_reset_bad_email, 200, shows=".invalid-feedback"),
    Case("entry-new-errors", entry_new_empty, 400, True, shows=".invalid-feedback"),
    Case("entry-edit-errors", entry_edit_future, 400, True, shows=".invalid-feedback"),
    Case("session-new-errors", session_new_empty, 400, True, shows=".invalid-feedback"),
    Case("builder-errors", builder_bad_hold, 400, True, shows=".invalid-feedback"),
    Case("player-start-errors", player_start_empty, 400, True, shows=".invalid-feedback"),
    Case("player-start-flag", player_start_with_warning_sign, 200, True, shows=".flag"),
    Case("player-finish-errors", player_finish_empty, 400, True, shows=".invalid-feedback"),
    Case("player-stop-errors", player_stop_empty, 400, True, shows=".invalid-feedback"),
    Case("player-stopped", player_stop_for_pain, 200, True),
    Case("flag-checked-by-a-doctor", flag_checked_by_a_doctor, 200, True, shows=".flag--seen"),
    Case("flag-undone", flag_acknowledgement_undone, 200, True, shows=".flag--immediate"),
    Case("episode-resolved", episode_resolved, 200, True, shows="[role=status]"),
    Case("episode-resolved-anyway", episode_resolve_asks_first, 200, True, shows="[role=status]"),
    Case("episode-reopened", episode_reopened, 200, True, shows=".flag--urgent"),
    Case("entry-deleted", entry_deleted, 200, True, shows=".undo-box form[method=post]"),
    Case("entry-restored", entry_restored, 200, True, shows="[role=status]"),
    Case("entry-undo-too-late", entry_undo_too_late, 410, True, shows="h1"),
    Case("session-deleted", session_deleted, 200, True, shows=".undo-box form[method=post]"),
    Case("session-restored", session_restored, 200, True, shows="[role=status]"),
    Case("locked-out", locked_out, 429, shows="h1"),
    Case("password-change-errors", password_change_wrong, 200, True, shows=".invalid-feedback"),
    Case("account-delete-errors", account_delete_wrong, 400, True, shows=".invalid-feedback"),
    Case("import-errors", import_no_file, 400, True, shows=".invalid-feedback"),
    Case("reminder-new-errors", reminder_new_empty, 400, True, shows=".invalid-feedback"),
    Case("reminder-pause-errors", reminder_pause_bad, 400, True, shows=".invalid-feedback"),
    Case("quiet-hours-errors", quiet_hours_half, 400, True, shows=".invalid-feedback"),
    Case("reminder-resumed", reminder_resumed, 200, True, shows="[role=status]"),
    Case("push-off-everywhere", push_off_everywhere, 200, True, shows="[role=status]"),
    Case("reminder-unsubscribed", reminder_unsubscribed, 200),
    Case("share-links-errors", share_link_bad_days, 400, True, shows=".invalid-feedback"),
]


def send(new_page, person, case: Case, viewport: str):
    """Fill in and send the case's form; the page that came back, and what is wrong with
    its status or content."""
    page = new_page(viewport, user=person if case.signed_in else None)
    label = f"{case.name} {viewport}"
    failures = []
    status = case.run(page, person)
    if status != case.status:
        failures.append(f"{label}: status {status}, expected {case.status}")
    if case.shows and not page.locator(case.shows).count():
        failures.append(f"{label}: nothing matches {case.shows!r}")
    return page, failures


# How the browser lays out and reads the page is the same whichever database made its
# HTML: checked once, in the SQLite run; test_form_result_on_postgresql sends each form
# again on PostgreSQL.
@pytest.mark.any_database
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_form_result_page(new_page, person, case):
    failures = []
    for viewport in ("phone", "desktop"):
        page, found = send(new_page, person, case, viewport)
        label = f"{case.name} {viewport}"
        failures += found + inspect_page(page, label)
        if viewport == "phone":
            failures += text_stress_failures(page, label)
    assert not failures, "\n".join(failures)


@pytest.mark.postgresql
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_form_result_on_postgresql(new_page, person, case):
    """What the database can change in test_form_result_page, on PostgreSQL: the status,
    what the page shows and its HTML (checked by the fixtures), at phone size."""
    _, failures = send(new_page, person, case, "phone")
    assert not failures, "\n".join(failures)
