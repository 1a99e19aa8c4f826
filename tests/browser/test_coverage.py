"""Every URL of the app is either a page the browser suite opens, or says why it is not.

When a feature adds a URL this test fails until the URL is put in COVERED (with the
test_pages.py / test_forms.py entries that open it) or in NOT_A_PAGE (with the reason).
"""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver

from tests.browser.test_forms import CASES
from tests.browser.test_pages import PAGES

# The URL configuration against the lists of pages: no database at all.
pytestmark = pytest.mark.any_database

# URL name -> the names of the PAGES / CASES entries that open it.
COVERED = {
    "home": [
        "home",
        "today-empty",
        "today",
        "today-continue",
        *[f"today-{u}" for u in ("immediate", "urgent", "non_urgent")],
    ],
    "offline": ["offline"],
    "install": ["install"],
    "routines:stretch_list": ["stretch-list"],
    "routines:stretch_detail": ["stretch-knee-to-chest", "stretch-seated-spinal-twist"],
    "routines:guide_index": ["guide-index"],
    "routines:guide_page": ["guide-causes", "guide-when-to-seek-care"],
    "routines:routine_list": ["session-list"],
    "routines:routine_create": ["session-new", "session-new-errors"],
    "routines:routine_detail": ["session-starter", "session-own"],
    "routines:routine_edit": ["session-builder"],
    "routines:step_add": ["builder-errors"],
    "routines:routine_delete": ["session-delete", "session-deleted"],
    "routines:routine_restore": ["session-restored"],
    "routines:play_start": ["player-start", "player-start-errors", "player-start-flag"],
    "routines:play_step": ["player-step", "player-guest-step"],
    "routines:play_finish": ["player-finish", "player-guest-finish", "player-finish-errors"],
    "routines:play_done": ["player-done", "player-guest-done"],
    "routines:play_stop": ["player-stop", "player-guest-stop", "player-stop-errors"],
    "routines:play_stopped": ["player-stopped"],
    "routines:practice_list": ["session-history"],
    "symptoms:check": ["check", "check-errors", "check-no-flag", "check-immediate"],
    "symptoms:entry_list": ["pain-log", "pain-log-empty", "pain-log-immediate"],
    "symptoms:entry_create": ["entry-new", "entry-new-errors"],
    "symptoms:entry_edit": ["entry-edit", "entry-edit-errors"],
    "symptoms:entry_saved": ["entry-saved-immediate", "entry-saved-urgent"],
    "symptoms:entry_delete": ["entry-delete", "entry-deleted"],
    "symptoms:entry_restore": ["entry-restored", "entry-undo-too-late"],
    "symptoms:episode_detail": ["episode"],
    "symptoms:episode_onset": ["episode-onset"],
    "symptoms:episode_resolve": [
        "episode-resolve",
        "episode-resolve-warning",
        "episode-resolved",
        "episode-resolved-anyway",
    ],
    "symptoms:episode_reopen": ["episode-reopened"],
    "symptoms:flag_acknowledge": [
        "flag-acknowledge",
        "flag-book-appointment",
        "flag-checked-by-a-doctor",
    ],
    "symptoms:flag_undo": ["flag-undone"],
    "progress:progress": ["progress", "progress-empty"],
    "progress:report": ["report"],
    "accounts:login": ["login", "login-errors", "locked-out"],
    "accounts:signup": ["signup", "signup-errors"],
    "accounts:confirm_email": ["confirm-email"],
    "accounts:account": ["account"],
    "accounts:delete_account": ["account-delete", "account-delete-errors"],
    "accounts:password_change": ["password-change", "password-change-errors"],
    "accounts:password_change_done": ["password-changed"],
    "accounts:password_reset": ["password-reset", "password-reset-errors"],
    "accounts:password_reset_done": ["password-reset-sent"],
    "accounts:password_reset_confirm": ["password-reset-new"],
    "accounts:password_reset_complete": ["password-reset-done"],
    "transfer:export": ["export"],
    "transfer:import": ["import", "import-errors"],
    "reminders:list": ["reminders-empty", "reminders"],
    "reminders:create": ["reminder-new", "reminder-new-errors"],
    "reminders:edit": ["reminder-edit"],
    "reminders:pause": ["reminder-pause", "reminder-pause-errors"],
    "reminders:resume": ["reminder-resumed"],
    "reminders:delete": ["reminder-delete"],
    "reminders:quiet_hours": ["quiet-hours-errors"],
    "reminders:push_unsubscribe": ["push-off-everywhere"],
    "reminders:unsubscribe": [
        "reminder-unsubscribe",
        "reminder-unsubscribe-unknown",
        "reminder-unsubscribed",
    ],
    "sharing:links": ["share-links", "share-links-errors"],
    "sharing:shared": ["shared-summary", "share-unavailable"],
}

# URL name -> why the browser suite does not open it as a page.
NOT_A_PAGE = {
    "healthz": "plain-text health check for load balancers",
    "accounts:logout": "POST only; the keyboard test logs out with the nav button",
    "transfer:export_json": "a download; test_keyboard and test_data_transfer fetch it",
    "transfer:export_entries_csv": "a download; test_keyboard and test_nojs fetch it",
    "transfer:export_practices_csv": "a download (CSV), not a page",
    "transfer:export_fhir": "a download (FHIR JSON); test_sharing fetches it from the export page",
    "sharing:revoke": "POST only; test_sharing switches a link off in the browser",
    "sharing:shared_pdf": "a PDF download; test_sharing downloads it from a shared summary",
    "sharing:shared_fhir": "a download (FHIR JSON); test_sharing fetches it from a shared summary",
    "progress:report_pdf": "a PDF download; test_report_print checks the printed summary",
    "routines:routine_copy": "POST only; test_player copies a starter session",
    "routines:step_change": "POST only; test_player changes and moves steps",
    "routines:step_reorder": "POST only (drag and drop); test_player reorders steps",
    "service_worker": "the service worker script; test_reminders_push registers it",
    "reminders:push_subscribe": "JSON, from push.js; test_reminders_push turns push on",
    "web_manifest": "the web app manifest (JSON); test_offline checks installability",
    "symptoms:entry_sync": "JSON, from outbox.js; test_offline sends an entry made offline",
    "routines:practice_sync": "JSON, from outbox.js; test_offline sends a practice made offline",
}


def url_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            if pattern.namespace != "admin":
                yield from url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name


def test_every_url_is_opened_by_the_browser_suite_or_says_why_not():
    names = set(url_names(get_resolver().url_patterns))
    unknown = names - COVERED.keys() - NOT_A_PAGE.keys()
    assert not unknown, (
        f"URLs the browser suite does not know: {sorted(unknown)}; add them to PAGES in "
        "tests/browser/test_pages.py (or CASES in test_forms.py) and to COVERED here"
    )
    gone = (COVERED.keys() | NOT_A_PAGE.keys()) - names
    assert not gone, f"listed here but no longer a URL: {sorted(gone)}"


def test_covered_entries_exist():
    known = {page.name for page in PAGES} | {case.name for case in CASES}
    missing = {entry for entries in COVERED.values() for entry in entries} - known
    assert not missing, f"COVERED names entries that are not in PAGES or CASES: {missing}"
