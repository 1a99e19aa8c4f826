"""Every page, signed out and signed in, at phone and desktop widths and at 320 px.

On each: the expected status, one <h1>, no horizontal overflow, zero axe-core violations,
no browser errors (the fixtures fail the test on any), and a screenshot for people to look at.
Then the same checks in the dark theme (prefers-color-scheme: dark), as whoever may see
the page: every page at phone size, the stretch list and stretch pages at desktop size too.

What the database makes of a page is its HTML: test_page_html asks for every page with
Django's test client, on both databases, and checks its status and its HTML with the Nu
Html Checker. How a browser lays out, colours and reads that HTML cannot depend on the
database, so test_page is marked any_database and runs once, in the SQLite run.
Pages reached by posting a form (answers, errors) are in test_forms.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.browser import data, html_check
from tests.browser.checks import inspect_page, text_stress_failures
from tests.browser.conftest import VIEWPORTS, html_problems, make_person, sign_in_cookie

STRETCH_SLUGS = [
    "knee-to-chest",
    "double-knee-to-chest",
    "pelvic-tilt",
    "cat-camel",
    "childs-pose",
    "piriformis",
    "seated-spinal-twist",
]
GUIDE_SLUGS = ["causes", "benefits", "safe-stretching", "home-care", "when-to-seek-care"]


@dataclass(frozen=True)
class Page:
    name: str
    path: str | Callable  # a path, or a function (person) -> path that makes its data
    status: int = 200
    private: bool = False  # only for a signed-in person (signed out: sent to log in)
    hidden: bool = False  # someone's own data: signed out, the page is not found (404)
    signed_out_only: bool = False
    # Signed out, the same address is another page, checked as its own entry ("/").
    signed_in_only: bool = False

    def url_for(self, person) -> str:
        return self.path(person) if callable(self.path) else self.path


def _starter(suffix: str = "") -> Callable:
    return lambda person: f"/routines/{data.starter_routine().pk}/{suffix}"


def _own_routine(suffix: str = "") -> Callable:
    return lambda person: f"/routines/{data.make_routine(person).pk}/{suffix}"


def _guest_step(person) -> str:
    return f"/routines/{data.starter_routine().pk}/play/guest/step/1/?before=4"


def _practice_step(person) -> str:
    routine = data.make_routine(person, slugs=("knee-to-chest", "piriformis"))
    practice = data.start_practice(person, routine)
    return f"/routines/{routine.pk}/play/{practice.uid}/step/2/"


def _practice_finish(person) -> str:
    routine = data.make_routine(person)
    practice = data.start_practice(person, routine)
    return f"/routines/{routine.pk}/play/{practice.uid}/finish/?completed=1"


def _practice_done(person) -> str:
    routine = data.make_routine(person)
    practice = data.make_finished_practice(person, routine)
    return f"/routines/{routine.pk}/play/{practice.uid}/done/"


def _practice_stop(person) -> str:
    routine = data.make_routine(person)
    practice = data.start_practice(person, routine)
    return f"/routines/{routine.pk}/play/{practice.uid}/stop/?completed=0"


def _guest(suffix: str) -> Callable:
    return lambda person: f"/routines/{data.starter_routine().pk}/play/guest/{suffix}"


def _episode(suffix: str) -> Callable:
    return lambda person: f"/symptoms/episodes/{data.make_entry(person).episode_id}/{suffix}"


def _password_reset_link(person) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return f"/accounts/password-reset/{uid}/{default_token_generator.make_token(person)}/"


def _confirm_email_link(person) -> str:
    from accounts import services

    profile = services.get_profile(person)
    profile.pending_email = "new-address@example.org"
    profile.save()
    return f"/accounts/confirm-email/{services.email_token(person, profile.pending_email)}/"


def _history(person) -> str:
    data.make_finished_practice(person, data.make_routine(person))
    return "/routines/history/"


def _pain_log_with(urgency: str | None) -> Callable:
    def path(person) -> str:
        if urgency:
            data.make_flagged_entry(person, urgency)
        else:
            data.make_entry(person, pain=3, **data.NO_SIGNS)
        return "/symptoms/"

    return path


def _saved_with(urgency: str) -> Callable:
    return lambda person: f"/symptoms/{data.make_flagged_entry(person, urgency).pk}/saved/"


def _flagged_episode(suffix: str, urgency: str = "immediate") -> Callable:
    def path(person) -> str:
        episode_id = data.make_flagged_entry(person, urgency).episode_id
        return f"/symptoms/episodes/{episode_id}/{suffix}"

    return path


def _entry(suffix: str) -> Callable:
    return lambda person: f"/symptoms/{data.make_entry(person, **data.NO_SIGNS).pk}/{suffix}"


def _with_entries(path: str) -> Callable:
    def make(person) -> str:
        data.make_entry(person, pain=7, onset_days_ago=3, **data.NO_SIGNS)
        data.make_entry(person, pain=4, **data.NO_SIGNS)
        return path

    return make


def _today_with(urgency: str | None) -> Callable:
    """Today with a week of entries, a finished session and, if asked, a warning."""

    def path(person) -> str:
        data.make_entry(person, pain=7, onset_days_ago=3, **data.NO_SIGNS)
        data.make_finished_practice(person, data.make_routine(person))
        if urgency:
            data.make_flagged_entry(person, urgency)
        return "/"

    return path


def _today_continue(person) -> str:
    data.start_practice(person, data.make_routine(person))
    return "/"


def _reminder(suffix: str) -> Callable:
    return lambda person: f"/accounts/reminders/{data.make_reminder(person).pk}/{suffix}"


def _with_reminders(person) -> str:
    data.make_reminders(person)
    return "/accounts/reminders/"


def _unsubscribe_link(person) -> str:
    from reminders.sending import unsubscribe_token

    return f"/accounts/reminders/unsubscribe/{unsubscribe_token(data.make_reminder(person))}/"


def _share_links(person) -> str:
    data.make_share_link(person)
    return "/symptoms/report/share/"


PAGES = [
    Page("home", "/"),
    Page("today-empty", "/", private=True, signed_in_only=True),
    Page("today", _today_with(None), private=True, signed_in_only=True),
    Page("today-continue", _today_continue, private=True, signed_in_only=True),
    *[
        Page(f"today-{u}", _today_with(u), private=True, signed_in_only=True)
        for u in data.URGENCY_SIGNS
    ],
    Page("stretch-list", "/stretches/"),
    *[Page(f"stretch-{slug}", f"/stretches/{slug}/") for slug in STRETCH_SLUGS],
    Page("guide-index", "/guide/"),
    *[Page(f"guide-{slug}", f"/guide/{slug}/") for slug in GUIDE_SLUGS],
    Page("not-found-stretch", "/stretches/no-such-stretch/", status=404),
    Page("not-found", "/no/such/page/", status=404),
    Page("check", "/check/"),
    Page("offline", "/offline/"),
    Page("install", "/install/"),
    Page("login", "/accounts/login/", signed_out_only=True),
    Page("signup", "/accounts/signup/", signed_out_only=True),
    Page("password-reset", "/accounts/password-reset/", signed_out_only=True),
    Page("password-reset-sent", "/accounts/password-reset/sent/", signed_out_only=True),
    Page("password-reset-new", _password_reset_link, signed_out_only=True),
    Page("password-reset-done", "/accounts/password-reset/complete/", signed_out_only=True),
    Page("confirm-email", _confirm_email_link),
    # Sessions: starters for everyone, the player as a guest or with a saved practice.
    Page("session-list", "/routines/"),
    Page("session-starter", _starter()),
    Page("player-start", _starter("play/")),
    Page("player-guest-step", _guest_step),
    Page("session-new", "/routines/new/", private=True),
    Page("session-own", _own_routine(), hidden=True),
    Page("session-builder", _own_routine("edit/"), private=True),
    Page("session-delete", _own_routine("delete/"), private=True),
    Page("player-step", _practice_step, hidden=True),
    Page("player-finish", _practice_finish, hidden=True),
    Page("player-done", _practice_done, hidden=True),
    Page("player-stop", _practice_stop, hidden=True),
    Page("player-guest-finish", _guest("finish/?completed=1")),
    Page("player-guest-done", _guest("done/?before=4&after=2")),
    Page("player-guest-stop", _guest("stop/?completed=0")),
    Page("session-history", _history, private=True),
    # Pain log, alerts, progress.
    Page("pain-log-empty", "/symptoms/", private=True),
    Page("pain-log", _pain_log_with(None), private=True),
    *[Page(f"pain-log-{u}", _pain_log_with(u), private=True) for u in data.URGENCY_SIGNS],
    *[Page(f"entry-saved-{u}", _saved_with(u), private=True) for u in data.URGENCY_SIGNS],
    Page("entry-new", "/symptoms/new/", private=True),
    Page("entry-edit", _entry("edit/"), private=True),
    Page("entry-delete", _entry("delete/"), private=True),
    Page("episode", _episode(""), private=True),
    Page("episode-onset", _episode("onset/"), private=True),
    Page("episode-resolve", _episode("resolve/"), private=True),
    Page("episode-resolve-warning", _flagged_episode("resolve/", "urgent"), private=True),
    Page("flag-acknowledge", _flagged_episode("flags/bladder_bowel/acknowledge/"), private=True),
    Page(
        "flag-book-appointment",
        _flagged_episode("flags/pain_over_two_weeks/acknowledge/", "non_urgent"),
        private=True,
    ),
    Page("progress-empty", "/symptoms/progress/", private=True),
    Page("progress", _with_entries("/symptoms/progress/"), private=True),
    Page("report", _with_entries("/symptoms/report/"), private=True),
    # Share links: the person's page, a shared summary opened by anyone with the link.
    Page("share-links", _share_links, private=True),
    Page("shared-summary", data.make_share_link),
    Page("share-unavailable", f"/s/{'x' * 43}/", status=404),
    # Account.
    Page("account", "/accounts/", private=True),
    Page("password-change", "/accounts/password/", private=True),
    Page("password-changed", "/accounts/password/done/", private=True),
    Page("account-delete", "/accounts/delete/", private=True),
    Page("export", "/accounts/export/", private=True),
    Page("import", "/accounts/import/", private=True),
    # Reminders.
    Page("reminders-empty", "/accounts/reminders/", private=True),
    Page("reminders", _with_reminders, private=True),
    Page("reminder-new", "/accounts/reminders/new/", private=True),
    Page("reminder-edit", _reminder("edit/"), private=True),
    Page("reminder-pause", _reminder("pause/"), private=True),
    Page("reminder-delete", _reminder("delete/"), private=True),
    Page("reminder-unsubscribe", _unsubscribe_link),
    Page("reminder-unsubscribe-unknown", "/accounts/reminders/unsubscribe/nope/", status=404),
]


# Pages checked in the dark theme at every size, not only on a phone.
DARK_EVERY_SIZE = {"stretch-list", *(f"stretch-{slug}" for slug in STRETCH_SLUGS)}
DARK_BODY = "rgb(17, 20, 24)"  # --bs-body-bg in app.css's dark block


def check_dark(pages: dict, spec: Page, url: str, who: str) -> list[str]:
    """The page again in the dark theme (the same contexts, switched to prefers-color-
    scheme: dark, and reloaded): the same checks, axe's colour contrast included, that the
    page really is dark, and a screenshot. At phone size; the stretch list and stretch
    pages at desktop size too. The contexts are switched back to light after."""
    failures = []
    for viewport in ("phone", "desktop") if spec.name in DARK_EVERY_SIZE else ("phone",):
        page = pages[viewport]
        page.set_viewport_size(VIEWPORTS[viewport])
        page.emulate_media(color_scheme="dark")
        response = page.goto(url)
        label = f"{spec.name} {who} {viewport} dark"
        if response.status != spec.status:
            failures.append(f"{label}: status {response.status}, expected {spec.status}")
        else:
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            if background != DARK_BODY:
                failures.append(f"{label}: body background {background}, not the dark theme's")
            failures += inspect_page(page, label)
        page.emulate_media(color_scheme="light")
    return failures


def check_page(pages: dict, spec: Page, url: str, who: str) -> list[str]:
    """Open url at phone and desktop size and at 320 px; returns the failures of all."""
    failures = []
    for viewport, page in pages.items():
        page.set_viewport_size(VIEWPORTS[viewport])
        response = page.goto(url)
        label = f"{spec.name} {who} {viewport}"
        if response.status != spec.status:
            failures.append(f"{label}: status {response.status}, expected {spec.status}")
            continue
        failures += inspect_page(page, label)
        if viewport == "phone":
            failures += text_stress_failures(page, label)
        if viewport == "desktop":
            # 400 % zoom: the desktop window's 1280 CSS px become 320.
            page.set_viewport_size(VIEWPORTS["zoom400"])
            failures += inspect_page(page, f"{spec.name} {who} 320px", full=False)
    return failures


@pytest.fixture
def html_person(content):
    """A person in the test database, with the stretch and guide content (no server)."""
    return make_person()


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.name)
def test_page_html(client, html_person, html_checker, spec):
    """The page as this run's database makes it: the expected status signed out and signed
    in (private pages: signed out, sent to log in, or 404 for someone's own data), and
    valid HTML."""
    person = html_person
    html_check.take_responses()  # only this test's pages
    failures = []
    if not spec.signed_in_only:
        response = client.get(spec.url_for(person), follow=True)
        if spec.hidden:
            expected = 404
        elif spec.private:
            expected = 200
            if not response.request["PATH_INFO"].startswith("/accounts/login/"):
                failures.append(f"{spec.name} signed out: not sent to log in")
        else:
            expected = spec.status
        if response.status_code != expected:
            failures.append(
                f"{spec.name} signed out: status {response.status_code}, not {expected}"
            )
    if not spec.signed_out_only:
        client.force_login(person, backend="accounts.backends.ProfileBackend")
        response = client.get(spec.url_for(person), follow=True)
        if response.status_code != spec.status:
            failures.append(
                f"{spec.name} signed in: status {response.status_code}, not {spec.status}"
            )
    failures += html_problems(html_checker)
    assert not failures, "\n".join(failures)


# How the browser lays out, colours and reads the HTML the run's database made
# (test_page_html checks that HTML on both databases): the same whichever made it.
@pytest.mark.any_database
@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.name)
def test_page(new_page, person, site, spec):
    """Light, then dark as whoever may see the page (signed out if it is public)."""
    failures = []
    pages = {"phone": new_page("phone"), "desktop": new_page("desktop")}
    if spec.hidden:
        response = pages["phone"].goto(spec.url_for(person))
        if response.status != 404:
            failures.append(f"{spec.name} signed out: status {response.status}, expected 404")
    elif spec.signed_in_only:
        pass
    elif spec.private:
        page = pages["phone"]
        page.goto(spec.url_for(person))
        if "/accounts/login/" not in page.url:
            failures.append(f"{spec.name} signed out: not sent to log in ({page.url})")
    else:
        url = spec.url_for(person)
        failures += check_page(pages, spec, url, "signed-out")
        failures += check_dark(pages, spec, url, "signed-out")
    if not spec.signed_out_only:
        if not (spec.private or spec.hidden):
            # A public page signed in differs from signed out only in the header, which
            # every private page checks at desktop size: the phone is enough here.
            pages.pop("desktop")
        for page in pages.values():
            sign_in_cookie(page.context, person, site)
        url = spec.url_for(person)
        failures += check_page(pages, spec, url, "signed-in")
        if spec.private or spec.hidden:
            failures += check_dark(pages, spec, url, "signed-in")
    assert not failures, "\n".join(failures)


def test_server_error_page(new_page, settings, caplog):
    settings.ROOT_URLCONF = "tests.browser.error_urls"
    failures = []
    for viewport, scheme in (("phone", "light"), ("desktop", "light"), ("phone", "dark")):
        page = new_page(viewport, color_scheme=scheme)
        response = page.goto("/fail-on-purpose/")
        assert response.status == 500
        assert "Something went wrong" in page.locator("h1").inner_text()
        failures += inspect_page(page, f"server-error {viewport} {scheme}")
    assert not failures, "\n".join(failures)
