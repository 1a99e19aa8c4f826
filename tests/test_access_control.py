"""A person only ever sees and changes their own data.

For every URL that shows or changes a person's data: another signed-in person gets 404
(nothing changes), a signed-out visitor is sent to log in (or gets 404 where the page is
also open to guests for starter sessions). A last test fails when a new URL appears that
is in neither the table below nor the list of public pages, so the table keeps up.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from progress.summary import Span
from reminders.models import Reminder
from routines.models import Practice, Routine, RoutineStep
from sharing import services as sharing
from sharing.models import ShareLink
from symptoms.models import Episode, FlagAcknowledgement, PainEntry
from tests.routine_factories import make_stretch

MARKER = "owner-only-note-5c1e"

# Pages with nobody's data on them (content, starters, sign-in and sign-up).
PUBLIC = {
    "home",
    "healthz",
    "routines:stretch_list",
    "routines:stretch_detail",
    "routines:guide_index",
    "routines:guide_page",
    "routines:routine_list",
    "symptoms:check",
    "accounts:login",
    "accounts:logout",
    "accounts:signup",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "service_worker",
    "web_manifest",
    "offline",
    "install",
    # Signed: the token in the URL is the permission (tests/test_reminder_sending.py).
    "reminders:unsubscribe",
    "accounts:confirm_email",  # the same (tests/test_enumeration.py)
}


def make_person(username: str):
    return get_user_model().objects.create_user(username, password="a-long-pass-phrase-1")


def make_practice(owner, routine: Routine, **fields) -> Practice:
    return Practice.objects.create(
        owner=owner,
        routine=routine,
        routine_name=routine.name,
        started_at=timezone.now() - timedelta(minutes=10),
        pain_before=4,
        steps_total=1,
        note=MARKER,
        **fields,
    )


@dataclass
class OwnerData:
    owner: object
    routine: Routine
    step: RoutineStep
    open_practice: Practice
    finished_practice: Practice
    stopped_practice: Practice
    episode: Episode
    entry: PainEntry
    reminder: Reminder
    share: ShareLink
    share_token: str


@pytest.fixture
def data(db) -> OwnerData:
    return make_owner_data()


def make_owner_data(username: str = "owner") -> OwnerData:
    """One of everything a person can own, each holding MARKER (also used by
    tests/test_private_data.py, which walks the same pages through Redis)."""
    owner = make_person(username)
    stretch = make_stretch(slug="knee-to-chest")
    routine = Routine.objects.create(owner=owner, name=f"Morning {MARKER}")
    step = RoutineStep.objects.create(
        routine=routine, stretch=stretch, position=1, hold_seconds=20, repeats=2
    )
    now = timezone.now()
    episode = Episode.objects.create(owner=owner, onset_date=date.today() - timedelta(days=2))
    entry = PainEntry.objects.create(
        owner=owner,
        episode=episode,
        recorded_at=now,
        local_date=date.today(),
        pain=5,
        bladder_bowel=True,  # a flag, so its acknowledgement pages exist
        note=MARKER,
    )
    share, share_token = sharing.create_link(
        owner=owner,
        span=Span(episode, episode.onset_date, date.today()),
        days=7,
        max_openings=None,
        display_name=MARKER,
        allow_fhir=True,
        now=now,
    )
    return OwnerData(
        owner=owner,
        routine=routine,
        step=step,
        open_practice=make_practice(owner, routine),
        finished_practice=make_practice(owner, routine, finished_at=now, pain_after=2),
        stopped_practice=make_practice(owner, routine, stopped_at=now, stop_reason="too_sore"),
        episode=episode,
        entry=entry,
        reminder=Reminder.objects.create(
            owner=owner, kind="session", routine=routine, local_time="08:00", by_email=True
        ),
        share=share,
        share_token=share_token,
    )


# (url name, methods, arguments from the owner's data, what a signed-out visitor gets)
# "login": redirected to log in; 404: the view also serves guests, and hides the object.
OBJECT_URLS = [
    ("symptoms:entry_edit", ("GET", "POST"), lambda d: [d.entry.pk], "login"),
    ("symptoms:entry_saved", ("GET",), lambda d: [d.entry.pk], "login"),
    ("symptoms:entry_delete", ("GET", "POST"), lambda d: [d.entry.pk], "login"),
    ("symptoms:entry_restore", ("POST",), lambda d: [d.entry.pk], "login"),
    ("symptoms:episode_detail", ("GET",), lambda d: [d.episode.pk], "login"),
    ("symptoms:episode_onset", ("GET", "POST"), lambda d: [d.episode.pk], "login"),
    ("symptoms:episode_resolve", ("GET", "POST"), lambda d: [d.episode.pk], "login"),
    ("symptoms:episode_reopen", ("POST",), lambda d: [d.episode.pk], "login"),
    (
        "symptoms:flag_acknowledge",
        ("GET", "POST"),
        lambda d: [d.episode.pk, "bladder_bowel"],
        "login",
    ),
    ("symptoms:flag_undo", ("POST",), lambda d: [d.episode.pk, "bladder_bowel"], "login"),
    ("reminders:edit", ("GET", "POST"), lambda d: [d.reminder.pk], "login"),
    ("reminders:pause", ("GET", "POST"), lambda d: [d.reminder.pk], "login"),
    ("reminders:resume", ("POST",), lambda d: [d.reminder.pk], "login"),
    ("reminders:delete", ("GET", "POST"), lambda d: [d.reminder.pk], "login"),
    ("sharing:revoke", ("POST",), lambda d: [d.share.pk], "login"),
    ("routines:routine_detail", ("GET",), lambda d: [d.routine.pk], 404),
    ("routines:routine_edit", ("GET", "POST"), lambda d: [d.routine.pk], "login"),
    ("routines:routine_delete", ("GET", "POST"), lambda d: [d.routine.pk], "login"),
    ("routines:routine_restore", ("POST",), lambda d: [d.routine.pk], "login"),
    ("routines:routine_copy", ("POST",), lambda d: [d.routine.pk], "login"),
    ("routines:step_add", ("POST",), lambda d: [d.routine.pk], "login"),
    ("routines:step_change", ("POST",), lambda d: [d.routine.pk, d.step.pk], "login"),
    ("routines:step_reorder", ("POST",), lambda d: [d.routine.pk], "login"),
    ("routines:play_start", ("GET", "POST"), lambda d: [d.routine.pk], 404),
    (
        "routines:play_step",
        ("GET",),
        lambda d: [d.routine.pk, str(d.open_practice.uid), 1],
        404,
    ),
    (
        "routines:play_finish",
        ("GET", "POST"),
        lambda d: [d.routine.pk, str(d.open_practice.uid)],
        404,
    ),
    (
        "routines:play_stop",
        ("GET", "POST"),
        lambda d: [d.routine.pk, str(d.open_practice.uid)],
        404,
    ),
    (
        "routines:play_done",
        ("GET",),
        lambda d: [d.routine.pk, str(d.finished_practice.uid)],
        404,
    ),
    (
        "routines:play_stopped",
        ("GET",),
        lambda d: [d.routine.pk, str(d.stopped_practice.uid)],
        404,
    ),
]

# Pages about the signed-in person as a whole (their log, history, account, export).
PERSON_URLS = [
    "symptoms:entry_list",
    "symptoms:entry_create",
    "progress:progress",
    "progress:report",
    "progress:report_pdf",
    "routines:routine_create",
    "routines:practice_list",
    "accounts:account",
    "accounts:delete_account",
    "accounts:password_change",
    "accounts:password_change_done",
    "transfer:export",
    "transfer:export_json",
    "transfer:export_entries_csv",
    "transfer:export_practices_csv",
    "transfer:export_fhir",
    "transfer:import",
    "reminders:list",
    "reminders:create",
    "reminders:quiet_hours",
    "reminders:push_subscribe",
    "reminders:push_unsubscribe",
    "sharing:links",
]
# Of those, the ones that list the person's own things: another person sees none of them.
LISTING_URLS = [
    "symptoms:entry_list",
    "progress:progress",
    "progress:report",
    "routines:practice_list",
    "routines:routine_list",
    "reminders:list",
    "transfer:export_json",
    "transfer:export_entries_csv",
    "transfer:export_practices_csv",
    "transfer:export_fhir",
    "sharing:links",
]

# Where the phone sends what it kept offline (JSON): signed out, a 403 the phone
# understands instead of a redirect to the login page.
SYNC_URLS = ["symptoms:entry_sync", "routines:practice_sync"]

# Pages opened with a share link's token, signed in or not: the token is the key, so a
# wrong one is not found for everybody, and the owner's own sign-in adds nothing.
TOKEN_URLS = ["sharing:shared", "sharing:shared_pdf", "sharing:shared_fhir"]

POST_BODY = {
    "pain": "3",
    "note": "changed by someone else",
    "name": "taken over",
    "code": "cauda_equina",
    "hold_seconds": "30",
    "repeats": "3",
    "position": "1",
    "stretch": "knee-to-chest",
    "pain_before": "2",
    "pain_after": "1",
    "steps_completed": "1",
    "reason": "too_sore",
    "action": "remove",
    "order": "1",
    "onset_date": "2020-01-01",
    "warning_signs": "none",
    "confirm": "yes",
    "kind": "pain",
    "local_time": "09:00",
    "days": ["0"],
    "channels": ["email"],
}


def all_url_names() -> set[str]:
    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                yield from walk(entry, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}"

    return set(walk(get_resolver()))


def snapshot(d: OwnerData) -> dict:
    """Everything a hostile request could change about the owner's data."""
    owner = d.owner
    return {
        "entries": list(PainEntry.objects.filter(owner=owner).values()),
        "episodes": list(Episode.objects.filter(owner=owner).values()),
        "acks": FlagAcknowledgement.objects.filter(owner=owner).count(),
        "routines": list(Routine.objects.filter(owner=owner).values()),
        "steps": list(RoutineStep.objects.filter(routine__owner=owner).values()),
        "practices": list(Practice.objects.filter(owner=owner).values()),
        "reminders": list(Reminder.objects.filter(owner=owner).values()),
        "shares": list(ShareLink.objects.filter(owner=owner).values()),
        "all_routines": Routine.objects.count(),
    }


def case_id(case) -> str:
    return case[0]


@pytest.mark.parametrize("case", OBJECT_URLS, ids=case_id)
def test_another_person_gets_404_and_changes_nothing(client, data, case):
    name, methods, args, _ = case
    url = reverse(name, args=args(data))
    client.force_login(make_person("intruder"))
    before = snapshot(data)
    for method in methods:
        response = client.get(url) if method == "GET" else client.post(url, POST_BODY)
        assert response.status_code == 404, (method, url, response.status_code)
        assert MARKER not in response.content.decode()
    assert snapshot(data) == before


@pytest.mark.parametrize("case", OBJECT_URLS, ids=case_id)
def test_signed_out_visitor_is_sent_to_log_in_or_gets_404(client, data, case):
    name, methods, args, signed_out = case
    url = reverse(name, args=args(data))
    before = snapshot(data)
    for method in methods:
        response = client.get(url) if method == "GET" else client.post(url, POST_BODY)
        if signed_out == "login":
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("accounts:login") + "?next="), url
        else:
            assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot(data) == before


@pytest.mark.parametrize("case", [c for c in OBJECT_URLS if "GET" in c[1]], ids=case_id)
def test_the_owner_can_open_their_own_page(client, data, case):
    """The 404s above come from the owner check, not from a broken URL."""
    name, _, args, _ = case
    client.force_login(data.owner)
    response = client.get(reverse(name, args=args(data)))
    assert response.status_code in (200, 302), (name, response.status_code)


@pytest.mark.parametrize("name", PERSON_URLS)
def test_personal_pages_send_signed_out_visitors_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("name", LISTING_URLS)
def test_another_persons_listings_never_show_the_owners_data(client, data, name):
    client.force_login(data.owner)
    own = client.get(reverse(name))
    assert own.status_code == 200
    client.force_login(make_person("intruder"))
    theirs = client.get(reverse(name))
    assert theirs.status_code == 200
    body = b"".join(theirs.streaming_content) if theirs.streaming else theirs.content
    assert MARKER.encode() not in body


@pytest.mark.parametrize("name", ["progress:report", "progress:report_pdf"])
def test_the_summary_refuses_another_persons_episode(client, data, name):
    url = reverse(name) + f"?episode={data.episode.pk}"
    client.force_login(data.owner)
    assert client.get(url).status_code in (200, 503)
    client.force_login(make_person("intruder"))
    response = client.get(url)
    assert response.status_code == 400
    assert MARKER not in response.content.decode()


@pytest.mark.parametrize("name", TOKEN_URLS)
def test_a_share_page_needs_its_own_token_and_only_that(client, data, name):
    from django.core.cache import cache

    cache.clear()  # the share pages' rate limits
    right = reverse(name, args=[data.share_token])
    assert client.get(right).status_code in (200, 503), name  # 503: no WeasyPrint here
    wrong = data.share_token[:-2] + ("AA" if not data.share_token.endswith("AA") else "BB")
    for who in (None, data.owner, make_person("intruder")):
        if who is not None:
            client.force_login(who)
        response = client.get(reverse(name, args=[wrong]))
        assert response.status_code == 404, (name, who)
        assert MARKER not in response.content.decode()
    assert client.post(right).status_code in (403, 405)
    cache.clear()


def test_every_post_without_a_csrf_token_is_refused(data):
    """CSRF on every state change: the owner's own POSTs fail without the token."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(data.owner)
    urls = [reverse(n, args=a(data)) for n, m, a, _ in OBJECT_URLS if "POST" in m]
    urls += [reverse(name) for name in PERSON_URLS]
    urls += [reverse(n) for n in ("accounts:logout", "accounts:signup", "symptoms:check")]
    urls += [reverse(name) for name in SYNC_URLS]
    before = snapshot(data)
    for url in urls:
        response = client.post(url, POST_BODY)
        assert response.status_code in (403, 405), (url, response.status_code)
    assert snapshot(data) == before
    assert client.get(reverse("symptoms:entry_list")).status_code == 200  # still signed in


def test_get_never_changes_anything(client, data):
    """No state change on GET: the owner opens every page there is, nothing changes."""
    client.force_login(data.owner)
    before = snapshot(data)
    urls = [reverse(name, args=args(data)) for name, _, args, _ in OBJECT_URLS]
    urls += [reverse(name) for name in PERSON_URLS + LISTING_URLS]
    for url in urls:
        response = client.get(url)
        # 503: the PDF summary on a server without WeasyPrint.
        assert response.status_code in (200, 302, 405, 503), (url, response.status_code)
    assert snapshot(data) == before
    # Logging out takes a POST: a GET (e.g. a prefetched link) does not sign anyone out.
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("symptoms:entry_list")).status_code == 200


def test_every_url_named_here_is_routed():
    """A URL this file checks that is no longer routed fails here (never skipped)."""
    named = {c[0] for c in OBJECT_URLS} | set(PERSON_URLS) | set(LISTING_URLS) | set(TOKEN_URLS)
    named |= set(SYNC_URLS)
    assert sorted(named - all_url_names()) == []


def test_every_url_is_public_or_covered_here():
    covered = PUBLIC | {c[0] for c in OBJECT_URLS} | set(PERSON_URLS) | set(TOKEN_URLS)
    covered |= set(SYNC_URLS)
    uncovered = sorted(
        name for name in all_url_names() if name not in covered and not name.startswith("admin:")
    )
    assert uncovered == [], "add these URLs to tests/test_access_control.py"


@pytest.mark.parametrize("name", SYNC_URLS)
def test_sync_endpoints_refuse_signed_out_visitors(client, data, name):
    before = snapshot(data)
    for method in ("GET", "POST"):
        response = client.get(reverse(name)) if method == "GET" else client.post(reverse(name))
        assert response.status_code in (403, 405), (name, method)
    assert snapshot(data) == before


def test_another_person_cannot_overwrite_an_entry_or_practice_by_its_uid(client, data):
    """Sending the owner's uids from another account never touches the owner's data."""
    from accounts.services import device_owner_key

    intruder = make_person("intruder")
    client.force_login(intruder)
    before = snapshot(data)
    owner = device_owner_key(intruder)
    entry = client.post(
        reverse("symptoms:entry_sync"),
        {
            **POST_BODY,
            "uid": str(data.entry.uid),
            "owner": owner,
            "recorded_at": "2026-01-02T09:00",
        },
    )
    assert entry.status_code == 201
    practice = client.post(
        reverse("routines:practice_sync"),
        {
            **POST_BODY,
            "uid": str(data.open_practice.uid),
            "owner": owner,
            "routine": str(data.routine.pk),  # the owner's routine: not visible to them
            "started_at": "2026-01-02T09:00",
            "finished_at": "2026-01-02T09:10",
        },
    )
    assert practice.status_code == 400
    assert snapshot(data) == before
    assert PainEntry.objects.get(owner=intruder).uid == data.entry.uid  # their own, new
