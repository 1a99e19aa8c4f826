"""Installable and offline (issue 15): the manifest, the service worker's precache list
and version, the sync endpoints (idempotent, validated like the forms), logging out
clearing the device, and the device rules built from the one declaration."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import device_owner_key
from routines.models import Practice, Routine, Stretch
from safety.device_rules import device_rules
from safety.rules import ENTRY_RULES, Urgency
from symptoms.models import PainEntry
from tests.symptom_factories import make_user

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["name"] == "SpasmCare" and data["short_name"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_every_page_links_the_manifest_and_registers_the_worker(client, content):
    response = client.get("/stretches/")
    csp = response["Content-Security-Policy"]
    assert "manifest-src 'self'" in csp and "worker-src 'self'" in csp
    page = response.content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'data-service-worker="/sw.js"' in page
    assert "js/offline.js" in page


def test_the_worker_precaches_every_public_page_and_asset(client, content):
    text = client.get("/sw.js").content.decode()
    manifest = json.loads(text.split("const OFFLINE = ", 1)[1].split(";\n", 1)[0])
    pages = manifest["pages"]
    for stretch in Stretch.objects.all():
        assert f"/stretches/{stretch.slug}/" in pages
    assert "/guide/when-to-seek-care/" in pages and "/check/" in pages and "/offline/" in pages
    for routine in Routine.objects.starters():
        steps = routine.steps.count()
        assert f"/routines/{routine.pk}/play/" in pages
        assert f"/routines/{routine.pk}/play/guest/step/{steps}/" in pages
        assert f"/routines/{routine.pk}/play/guest/finish/" in pages
    for path in pages:
        assert client.get(path).status_code == 200, path
    assets = manifest["assets"]
    for name in ("js/player.js", "js/offline.js", "js/outbox.js", "css/player.css"):
        assert f"/static/{name}" in assets
    assert "/static/img/stretches/cat-camel-hold.svg" in assets
    assert not any("/admin/" in url for url in assets)


def test_the_version_changes_with_the_content(client, content):
    def version():
        text = client.get("/sw.js").content.decode()
        return json.loads(text.split("const OFFLINE = ", 1)[1].split(";\n", 1)[0])["version"]

    first = version()
    assert version() == first
    Routine.objects.starters().first().delete()
    assert version() != first


def test_the_offline_and_install_pages_hold_nothing_personal(client):
    person = make_user("offline-person")
    client.force_login(person)
    page = client.get("/offline/").content.decode()
    assert "You are offline" in page and "data-offline-entry" in page
    assert 'id="device-rules"' in page
    assert client.get("/install/").status_code == 200


def test_logging_out_and_deleting_the_account_clear_the_device(client):
    person = make_user("leaving")
    client.force_login(person)
    response = client.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    client.force_login(person)
    response = client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    assert response.status_code == 400 and not response.has_header("Clear-Site-Data")


# ---- entries made offline ------------------------------------------------------------


def entry_body(person, uid=None, **changes):
    body = {
        "uid": str(uid or uuid.uuid4()),
        "owner": device_owner_key(person),
        "pain": "6",
        "warning_signs": "bladder_bowel",
        "recorded_at": (timezone.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "note": "made on the train",
    }
    body.update(changes)
    return body


def test_sync_says_who_is_signed_in(client):
    assert client.get("/symptoms/sync/").status_code == 403
    person = make_user("who")
    client.force_login(person)
    answer = client.get("/symptoms/sync/").json()
    assert answer["signedIn"] is True
    assert answer["owner"] == device_owner_key(person)
    assert answer["csrfToken"]


def test_an_entry_sent_twice_is_saved_once_with_the_time_it_was_made(client):
    person = make_user("twice")
    client.force_login(person)
    body = entry_body(person)
    first = client.post("/symptoms/sync/", body)
    assert first.status_code == 201
    assert first.json()["alertUrl"]  # bladder control: the server's alert counts
    again = client.post("/symptoms/sync/", body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    entry = PainEntry.objects.get(owner=person)
    assert str(entry.uid) == body["uid"]
    assert entry.bladder_bowel is True and entry.pain == 6
    assert timezone.now() - entry.recorded_at > timedelta(hours=1, minutes=50)


@pytest.mark.parametrize(
    ("sent", "filed_at"),
    [
        # The first run of the hour London's clocks go back over (01:30 BST).
        ("2026-10-25T01:30+01:00", "2026-10-25T00:30:00+00:00"),
        # Its second run (01:30 GMT).
        ("2026-10-25T01:30+00:00", "2026-10-25T01:30:00+00:00"),
        # A phone in New York, the account in London.
        ("2026-06-01T08:00-04:00", "2026-06-01T12:00:00+00:00"),
    ],
)
def test_an_entry_sent_with_the_phones_offset_is_filed_at_that_moment(
    client, monkeypatch, sent, filed_at
):
    """The phone sends the moment an entry was made as its wall clock showed it, with its
    offset (static/js/offline.js): the entry is filed at that moment, whatever the
    account's zone, and the hour that runs twice is no longer ambiguous."""
    # After every moment sent (scripts/clock_sweep sets the real clock to 25 October).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    person = make_user("offset", time_zone="Europe/London")
    client.force_login(person)
    answer = client.post("/symptoms/sync/", entry_body(person, recorded_at=sent))
    assert answer.status_code == 201, answer.content
    entry = PainEntry.objects.get(owner=person)
    assert entry.recorded_at.isoformat() == filed_at
    assert entry.local_date.isoformat() == sent[:10]


def test_a_refused_entry_says_why_and_saves_nothing(client):
    person = make_user("refused")
    client.force_login(person)
    future = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/symptoms/sync/", entry_body(person, warning_signs="", recorded_at=future)
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "warning_signs" in errors and "future" in " ".join(errors["recorded_at"])
    assert not PainEntry.objects.exists()
    response = client.post("/symptoms/sync/", entry_body(person, uid="not-a-uuid"))
    assert response.status_code == 400


def test_an_entry_made_in_another_account_is_not_sent_to_this_one(client):
    person = make_user("mine")
    other = make_user("theirs")
    client.force_login(person)
    response = client.post("/symptoms/sync/", entry_body(person, owner=device_owner_key(other)))
    assert response.status_code == 409
    assert not PainEntry.objects.exists()


def test_sync_needs_the_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    person = make_user("csrf")
    client.force_login(person)
    assert client.post("/symptoms/sync/", entry_body(person)).status_code == 403
    token = client.get("/symptoms/sync/").json()["csrfToken"]
    response = client.post("/symptoms/sync/", entry_body(person), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


# ---- practices finished offline ------------------------------------------------------


def practice_body(person, routine, uid=None, **changes):
    now = timezone.now()
    body = {
        "uid": str(uid or uuid.uuid4()),
        "owner": device_owner_key(person),
        "routine": str(routine.pk),
        "pain_before": "5",
        "pain_after": "2",
        "steps_completed": "3",
        "note": "",
        "started_at": (now - timedelta(minutes=12)).isoformat(),
        "finished_at": (now - timedelta(minutes=1)).isoformat(),
    }
    body.update(changes)
    return body


def test_a_practice_finished_offline_is_saved_once(client, content):
    person = make_user("player")
    client.force_login(person)
    routine = Routine.objects.starters().get(slug="gentle-start")
    body = practice_body(person, routine)
    assert client.post("/routines/history/sync/", body).status_code == 201
    assert client.post("/routines/history/sync/", body).status_code == 200
    practice = Practice.objects.get(owner=person)
    assert str(practice.uid) == body["uid"]
    assert (practice.pain_before, practice.pain_after, practice.steps_completed) == (5, 2, 3)
    assert practice.finished_at is not None and practice.steps_total == 3


def test_a_practice_started_online_is_finished_by_its_own_uid(client, content):
    from routines import services

    person = make_user("half")
    client.force_login(person)
    routine = Routine.objects.starters().get(slug="gentle-start")
    practice = services.start_practice(routine=routine, owner=person, pain_before=6, steps_total=3)
    body = practice_body(person, routine, uid=practice.uid, pain_before="", started_at="")
    assert client.post("/routines/history/sync/", body).status_code == 201
    practice.refresh_from_db()
    assert practice.pain_before == 6 and practice.pain_after == 2 and practice.finished_at
    assert Practice.objects.filter(owner=person).count() == 1


def test_a_refused_practice_says_why(client, content):
    person = make_user("bad-practice")
    client.force_login(person)
    routine = Routine.objects.starters().get(slug="gentle-start")
    response = client.post(
        "/routines/history/sync/", practice_body(person, routine, pain_after="11")
    )
    assert response.status_code == 400 and "pain_after" in response.json()["errors"]
    assert not Practice.objects.exists()


# ---- the rules on the device ---------------------------------------------------------


def test_the_device_rules_are_every_immediate_and_urgent_one_entry_rule():
    rules = device_rules()
    expected = [r.code for r in ENTRY_RULES if r.urgency in (Urgency.IMMEDIATE, Urgency.URGENT)]
    assert [r["code"] for r in rules["rules"]] == expected
    assert "bladder_bowel" in expected and "leg_one" in expected
    assert rules["regions"]["GB"]["care"]["immediate"]["calls"][0]["tel"] == "tel:999"


def test_the_entry_form_carries_the_rules_and_the_offline_attributes(client):
    person = make_user("form")
    client.force_login(person)
    page = client.get("/symptoms/new/").content.decode()
    assert "data-offline-entry" in page and 'data-offline-sync="/symptoms/sync/"' in page
    assert 'id="device-rules"' in page and "data-offline-outbox" in page
