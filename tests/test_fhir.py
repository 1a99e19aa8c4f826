"""The FHIR R4 export: a Bundle the library's own models accept, with exactly the numbers
that were logged, in the person's zone, and nothing from anyone else."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from safety.rules import RULES
from symptoms.models import FlagAcknowledgement
from tests.routine_factories import make_practice, make_routine
from tests.symptom_factories import make_entry, make_episode, make_user
from transfer import fhir

pytestmark = pytest.mark.django_db

URL = "/accounts/export/spasmcare-fhir.json"
BERLIN = "Europe/Berlin"


def fill(user, *, note: str = "Stiff after gardening") -> dict:
    """Entries in summer and winter time, two warning signs (one seen by a doctor), a
    finished practice, a stopped one and one never finished."""
    episode = make_episode(owner=user, onset=date(2026, 6, 1))
    summer = make_entry(
        episode=episode,
        on=date(2026, 6, 1),
        hour=7,
        pain=8,
        locations=["lower_back_centre", "leg"],
        triggers=["lifting"],
        reliefs=["heat", "other"],
        relief_other="A warm bath",
        after_fall=True,
        note=note,
    )
    make_entry(episode=episode, on=date(2026, 6, 3), pain=6, leg_symptoms="one")
    winter = make_entry(episode=episode, on=date(2026, 11, 30), hour=23, pain=2)
    FlagAcknowledgement.objects.create(
        owner=user,
        episode=episode,
        code="fall_severe_pain",
        seen_at=datetime(2026, 6, 4, 23, 30, tzinfo=UTC),  # 5 June in Berlin
    )
    routine = make_routine(owner=user, name="Gentle evening")
    started = datetime(2026, 6, 2, 17, 0, 30, tzinfo=UTC)
    finished = make_practice(
        owner=user,
        routine=routine,
        started_at=started,
        finished_at=started + timedelta(minutes=7),
        pain_before=7,
        pain_after=3,
        steps_completed=3,
    )
    stopped = make_practice(
        owner=user,
        routine=routine,
        started_at=started + timedelta(days=1),
        stopped_at=started + timedelta(days=1, minutes=2),
        stop_reason="sharp",
        pain_before=5,
        pain_after=9,
    )
    unfinished = make_practice(
        owner=user, routine=routine, started_at=started + timedelta(days=2), pain_before=4
    )
    return {
        "summer": summer,
        "winter": winter,
        "finished": finished,
        "stopped": stopped,
        "unfinished": unfinished,
    }


def download(client, user) -> tuple[dict, Bundle]:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert re.fullmatch(
        r'attachment; filename="spasmcare-fhir-\d{4}-\d{2}-\d{2}\.json"',
        response["Content-Disposition"],
    )
    assert response["Cache-Control"] == "private, no-store"
    return json.loads(response.content), Bundle.model_validate_json(response.content)


def resources(data: dict, kind: str) -> dict[str, dict]:
    return {
        e["resource"]["id"]: e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == kind
    }


def pain_observations(data: dict) -> dict[str, dict]:
    return {
        key: obs
        for key, obs in resources(data, "Observation").items()
        if obs["code"]["coding"][0]["code"] == fhir.PAIN_CODE
    }


def test_export_page_offers_the_fhir_file(client):
    user = make_user()
    client.force_login(user)
    html = client.get(reverse("transfer:export")).content.decode()
    assert f'href="{URL}"' in html
    assert "FHIR" in html


def test_the_bundle_validates_and_holds_every_entry_sign_and_practice(client):
    user = make_user(time_zone=BERLIN)
    made = fill(user)
    data, bundle = download(client, user)
    assert bundle.type == "collection"
    assert data["resourceType"] == "Bundle" and data["type"] == "collection"
    # Every fullUrl is the urn:uuid of its resource, and every reference resolves.
    urls = {e["fullUrl"] for e in data["entry"]}
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in data["entry"])
    references = re.findall(r'"reference": ?"([^"]+)"', json.dumps(data))
    assert references and set(references) <= urls

    (patient,) = resources(data, "Patient").values()
    assert set(patient) == {"resourceType", "id"}  # no name, no identifier, nothing else

    pain = pain_observations(data)
    # 3 entries; practices: 2 scores each for the finished and stopped one, 1 for the open
    assert len(pain) == 3 + 2 + 2 + 1
    for obs in pain.values():
        assert obs["status"] == "final"
        assert obs["category"][0]["coding"][0]["code"] == "survey"
        assert obs["code"]["coding"][0] == {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
        quantity = obs["valueQuantity"]
        assert {k: v for k, v in quantity.items() if k != "value"} == {
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        }
        assert obs["subject"]["reference"] == f"urn:uuid:{patient['id']}"

    summer = pain[str(made["summer"].uid)]
    assert summer["effectiveDateTime"] == "2026-06-01T09:00:00+02:00"  # 07:00 UTC, summer
    assert summer["bodySite"] == {"text": "Lower back, centre; Down a leg (where not noted)"}
    notes = [n["text"] for n in summer["note"]]
    assert notes == [
        "Stiff after gardening",
        "Set off by: Heavy lifting or repeated bending",
        "Helped: Heat, A warm bath",
    ]
    winter = pain[str(made["winter"].uid)]
    assert winter["effectiveDateTime"] == "2026-12-01T00:00:00+01:00"  # 23:00 UTC, winter
    assert "bodySite" not in winter


def test_the_numbers_round_trip_exactly(client):
    user = make_user(time_zone=BERLIN)
    made = fill(user)
    _, bundle = download(client, user)
    by_id = {entry.resource.id: entry.resource for entry in bundle.entry}
    for entry in (made["summer"], made["winter"]):
        obs = by_id[str(entry.uid)]
        assert obs.valueQuantity.value == Decimal(entry.pain)
        assert obs.effectiveDateTime == entry.recorded_at
    # Each practice is a Procedure; its scores point to it and say the other score.
    for key, status, before, after in (
        ("finished", "completed", 7, 3),
        ("stopped", "stopped", 5, 9),
        ("unfinished", "unknown", 4, None),
    ):
        practice = made[key]
        procedure = by_id[str(practice.uid)]
        assert procedure.get_resource_type() == "Procedure"
        assert procedure.status == status
        scores = sorted(
            (r for r in by_id.values() if r.get_resource_type() == "Observation" and r.partOf),
            key=lambda r: r.effectiveDateTime,
        )
        mine = [r for r in scores if r.partOf[0].reference == f"urn:uuid:{practice.uid}"]
        assert [r.valueQuantity.value for r in mine] == [
            v for v in (before, after) if v is not None
        ]
        assert mine[0].effectiveDateTime == practice.started_at
        assert "Pain before the stretch session “Gentle evening”" in mine[0].note[0].text
        if after is not None:
            assert f"Pain after it: {after} out of 10." in mine[0].note[0].text
            assert f"Pain before it: {before} out of 10." in mine[1].note[0].text
    assert by_id[str(made["stopped"].uid)].statusReason.text == "Sharp pain"


def test_warning_signs_are_coded_from_the_rules_with_dates_and_seen_status(client):
    user = make_user(time_zone=BERLIN)
    fill(user)
    data, _ = download(client, user)
    signs = {
        obs["valueCodeableConcept"]["coding"][0]["code"]: obs
        for obs in resources(data, "Observation").values()
        if obs["code"]["coding"][0]["code"] == "warning-sign"
    }
    # Severe pain after a fall (entry 1), one leg (entry 2), pain past two weeks (winter).
    assert set(signs) == {"fall_severe_pain", "leg_one", "pain_over_two_weeks"}
    for code, obs in signs.items():
        coding = obs["valueCodeableConcept"]["coding"][0]
        assert coding == {"system": fhir.RED_FLAG_CODES, "code": code, "display": RULES[code].title}
        urgency = obs["component"][0]["valueCodeableConcept"]["coding"][0]["code"]
        assert urgency == str(RULES[code].urgency)
    fall = signs["fall_severe_pain"]
    assert fall["effectiveDateTime"] == "2026-06-01"
    assert "The person noted on 5 June 2026 that a doctor has seen this." in json.dumps(fall)
    assert "Not yet seen by a doctor" in json.dumps(signs["leg_one"])
    assert signs["pain_over_two_weeks"]["effectiveDateTime"] == "2026-11-30"


def test_a_new_rule_flows_into_the_export_without_touching_it(client, monkeypatch):
    """The codes come from safety.rules.RULES, not from a list in transfer/fhir.py."""
    from dataclasses import replace

    from safety import rules

    renamed = replace(RULES["leg_one"], title="One leg: numbness, tingling or weakness")
    monkeypatch.setitem(rules.RULES, "leg_one", renamed)
    user = make_user()
    fill(user)
    data, _ = download(client, user)
    assert "One leg: numbness, tingling or weakness" in json.dumps(data)


def test_nothing_from_another_person(client):
    owner, other = make_user(), make_user()
    fill(owner)
    mine = fill(other, note="other-persons-note-7f3a")
    data, _ = download(client, owner)
    text = json.dumps(data)
    assert "other-persons-note-7f3a" not in text
    for item in mine.values():
        assert str(item.uid) not in text
    other_data, _ = download(client, other)
    assert "other-persons-note-7f3a" in json.dumps(other_data)


def test_no_name_email_or_username_by_default_and_a_chosen_name_when_given(client):
    user = make_user("pat-username")
    user.first_name, user.last_name = "Patricia", "Example"
    user.save()
    fill(user)
    data, _ = download(client, user)
    text = json.dumps(data)
    for personal in ("pat-username", "Patricia", "Example", "example.com"):
        assert personal not in text
    named = json.loads(fhir.fhir_json(user, name="Pat"))
    (patient,) = resources(named, "Patient").values()
    assert patient["name"] == [{"text": "Pat"}]


def test_a_period_keeps_only_its_days():
    user = make_user(time_zone=BERLIN)
    made = fill(user)
    data = json.loads(fhir.fhir_json(user, start=date(2026, 6, 2), end=date(2026, 6, 3)))
    text = json.dumps(data)
    assert str(made["summer"].uid) not in text and str(made["winter"].uid) not in text
    assert str(made["finished"].uid) in text and str(made["stopped"].uid) in text
    assert str(made["unfinished"].uid) not in text  # started on 4 June


def test_our_json_is_byte_for_byte_the_librarys_own():
    """transfer.fhir writes the validated models itself, for speed: it must write exactly
    what fhir.resources' model_dump_json() writes, for every kind of element used."""
    user = make_user(time_zone=BERLIN)
    fill(user)
    bundle = fhir.build_bundle(user, name="Pat")
    assert fhir.to_json(bundle) == bundle.model_dump_json().encode()


def test_queries_do_not_grow_with_the_data(client):
    user = make_user()
    fill(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            fhir.fhir_json(user)
        return len(captured)

    queries()  # the profile is read once, then kept on the user
    few = queries()
    onset = timezone.localdate() - timedelta(days=40)
    episode = make_episode(owner=user, onset=onset, resolved_on=onset + timedelta(days=35))
    for n in range(30):
        make_entry(episode=episode, on=episode.onset_date + timedelta(days=n), bladder_bowel=n == 5)
    for n in range(10):
        make_practice(owner=user, days_ago=n, pain_after=2)
    assert queries() == few


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_wrong_method(client):
    client.force_login(make_user())
    assert client.post(URL).status_code in (403, 405)
