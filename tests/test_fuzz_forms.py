"""Every form, driven with random and hostile input (hypothesis).

Whatever is posted: never a 500; either the form is accepted (redirect, exactly the
expected rows written, values in range) or it is refused with 400 and a field error,
and nothing is saved. Text that is stored comes back escaped.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from routines.models import Practice, Routine, RoutineStep, Stretch
from symptoms.models import Episode, PainEntry
from tests.routine_factories import make_stretch

SCRIPT = "<script>alert('x')</script>"
HOSTILE_TEXT = [
    "",
    " ",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE symptoms_painentry; --",
    "1' OR '1'='1",
    "\x00",
    "note\x00with NUL",
    "x" * 5000,
    "🦴 Rückenschmerz ✓ עברית 日本語",
    "{{ 7|add:7 }} {% now 'Y' %}",
    "../../etc/passwd",
    "\r\n\t",
]
HOSTILE_NUMBERS = [
    "-1",
    "11",
    "0",
    "10",
    "999999999999999999999999",
    "-0",
    "1e3",
    "NaN",
    "inf",
    "3.5",
    "٣",  # Arabic-Indic digit three
    "",
    "ten",
]
HOSTILE_DATES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "1900-01-01T00:00",
    "2026-02-30T10:00",
    "2026-13-01T10:00",
    "yesterday",
    "",
    "2026-01-01",
    "0001-01-01",
    "9999-12-31",
]

text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=300))
number = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    text,
)
a_date = st.one_of(
    st.sampled_from(HOSTILE_DATES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(
        lambda d: f"{d:%Y-%m-%d}T12:00"
    ),
    st.dates().map(lambda d: d.isoformat()),
    text,
)
choice = st.one_of(st.sampled_from(["yes", "no", "none", "one", "both", "centre"]), text)
choices = st.lists(choice, max_size=4)
sign_option = st.one_of(
    st.sampled_from(["none", "bladder_bowel", "leg_symptoms:one", "leg_symptoms:both", "fever"]),
    text,
)
warning_signs = st.fixed_dictionaries({"warning_signs": st.lists(sign_option, max_size=4)})

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def clean_post(data: dict) -> dict:
    """Drop keys hypothesis made empty-list; the test client sends the rest as given."""
    return {k: v for k, v in data.items() if v != []}


def assert_refused_or_accepted(response) -> bool:
    """True if accepted (redirect), False if refused with a field error. Never a 500."""
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        html = response.content.decode()
        assert "invalid-feedback" in html or "errorlist" in html or "alert" in html, html[:500]
        return False
    return True


def assert_escaped(html: str, value: str) -> None:
    """The raw hostile markup must never reach the page unescaped."""
    for raw in (SCRIPT, "<img src=x onerror"):
        if raw in value:
            assert raw not in html


@pytest.fixture
def person(db):
    user = get_user_model().objects.create_user("fuzz", password="a-long-pass-phrase-1")
    Profile.objects.get_or_create(user=user)
    return user


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def snapshot_log(user) -> tuple:
    return (
        list(PainEntry.objects.filter(owner=user).order_by("pk").values()),
        list(Episode.objects.filter(owner=user).order_by("pk").values()),
    )


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "recorded_at": a_date,
            "onset_date": a_date,
            "pain": number,
            "locations": choices,
            "triggers": choices,
            "trigger_other": text,
            "reliefs": choices,
            "relief_other": text,
            "note": text,
        }
    ),
    signs=warning_signs,
)
def test_pain_entry_form_survives_hostile_input(signed_in, person, data, signs):
    before = snapshot_log(person)
    response = signed_in.post(reverse("symptoms:entry_create"), clean_post(data | signs))
    if assert_refused_or_accepted(response):
        entries, _ = snapshot_log(person)
        assert len(entries) == len(before[0]) + 1
        entry = PainEntry.objects.filter(owner=person).latest("pk")
        assert 0 <= entry.pain <= 10
        assert entry.recorded_at <= timezone.now() + timedelta(minutes=1)
        assert "\x00" not in entry.note
        html = signed_in.get(reverse("symptoms:entry_list")).content.decode()
        assert_escaped(html, entry.note + entry.trigger_other + entry.relief_other)
    else:
        assert snapshot_log(person) == before


@FUZZ
@given(data=st.fixed_dictionaries({"recorded_at": a_date, "pain": number, "note": text}))
def test_editing_an_entry_with_hostile_input_changes_nothing_when_refused(signed_in, person, data):
    episode, _ = Episode.objects.get_or_create(
        owner=person, resolved_on=None, defaults={"onset_date": date.today()}
    )
    entry = PainEntry.objects.create(
        owner=person, episode=episode, recorded_at=timezone.now(), local_date=date.today(), pain=4
    )
    before = snapshot_log(person)
    response = signed_in.post(reverse("symptoms:entry_edit", args=[entry.pk]), data)
    if not assert_refused_or_accepted(response):
        assert snapshot_log(person) == before


@FUZZ
@given(data=st.fixed_dictionaries({"pain": number, "days_of_pain": number}), signs=warning_signs)
def test_quick_check_never_fails_and_never_stores(client, db, data, signs):
    response = client.post(reverse("symptoms:check"), data | signs)
    assert response.status_code in (200, 400)
    assert PainEntry.objects.count() == 0


@FUZZ
@given(data=st.fixed_dictionaries({"name": text, "description": text}))
def test_routine_form_survives_hostile_input(signed_in, person, data):
    count = Routine.objects.filter(owner=person).count()
    response = signed_in.post(reverse("routines:routine_create"), data)
    if assert_refused_or_accepted(response):
        routine = Routine.objects.filter(owner=person).latest("pk")
        assert Routine.objects.filter(owner=person).count() == count + 1
        assert "\x00" not in routine.name
        html = signed_in.get(reverse("routines:routine_list")).content.decode()
        assert_escaped(html, routine.name + routine.description)
    else:
        assert Routine.objects.filter(owner=person).count() == count


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "stretch": st.one_of(number, st.sampled_from(["knee-to-chest"])),
            "hold_seconds": number,
            "repeats": number,
        }
    )
)
def test_adding_a_step_with_hostile_input(signed_in, person, data):
    routine, _ = Routine.objects.get_or_create(owner=person, name="Fuzzed")
    if not Stretch.objects.exists():
        make_stretch(slug="knee-to-chest")
    before = list(RoutineStep.objects.filter(routine=routine).values())
    response = signed_in.post(reverse("routines:step_add", args=[routine.pk]), data)
    if assert_refused_or_accepted(response):
        step = RoutineStep.objects.filter(routine=routine).latest("pk")
        assert 10 <= step.hold_seconds <= 60
        assert 1 <= step.repeats <= 5
    else:
        assert list(RoutineStep.objects.filter(routine=routine).values()) == before


@FUZZ
@given(data=st.fixed_dictionaries({"pain_before": number}), signs=warning_signs)
def test_starting_a_session_with_hostile_input(signed_in, person, data, signs):
    routine, created = Routine.objects.get_or_create(owner=person, name="Fuzz play")
    if created:
        stretch = Stretch.objects.first() or make_stretch(slug="knee-to-chest")
        RoutineStep.objects.create(
            routine=routine, stretch=stretch, position=1, hold_seconds=20, repeats=2
        )
    count = Practice.objects.filter(owner=person).count()
    response = signed_in.post(reverse("routines:play_start", args=[routine.pk]), data | signs)
    # 200: a warning sign stopped the session (nothing saved); 302: a practice started.
    assert response.status_code in (200, 302, 400)
    added = Practice.objects.filter(owner=person).count() - count
    assert added == (1 if response.status_code == 302 else 0)
    if added:
        assert 0 <= Practice.objects.filter(owner=person).latest("pk").pain_before <= 10


@FUZZ
@given(
    finish=st.fixed_dictionaries({"pain_after": number, "note": text, "steps_completed": number}),
    stop=st.booleans(),
    reason=st.one_of(st.sampled_from(["sharp", "radiating", "too_sore"]), text),
)
def test_finishing_or_stopping_a_session_with_hostile_input(
    signed_in, person, finish, stop, reason
):
    routine, _ = Routine.objects.get_or_create(owner=person, name="Fuzz finish")
    practice = Practice.objects.create(
        owner=person,
        routine=routine,
        routine_name=routine.name,
        started_at=timezone.now(),
        pain_before=5,
        steps_total=3,
    )
    name = "routines:play_stop" if stop else "routines:play_finish"
    data = finish | {"reason": reason} if stop else finish
    response = signed_in.post(reverse(name, args=[routine.pk, str(practice.uid)]), data)
    practice.refresh_from_db()
    if assert_refused_or_accepted(response):
        assert practice.finished_at or practice.stopped_at
        assert practice.pain_after is None or 0 <= practice.pain_after <= 10
        assert 0 <= practice.steps_completed <= practice.steps_total
        assert "\x00" not in practice.note
        html = signed_in.get(reverse("routines:practice_list")).content.decode()
        assert_escaped(html, practice.note)
    else:
        assert practice.finished_at is None and practice.stopped_at is None
        assert practice.pain_after is None and practice.note == ""


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "username": text,
            "email": text,
            "password1": text,
            "password2": text,
            "time_zone": text,
        }
    )
)
def test_sign_up_survives_hostile_input(client, db, data):
    count = get_user_model().objects.count()
    response = client.post(reverse("accounts:signup"), data)
    if assert_refused_or_accepted(response):
        assert get_user_model().objects.count() == count + 1
        client.logout()
    else:
        assert get_user_model().objects.count() == count


@FUZZ
@given(time_zone=text)
def test_time_zone_form_survives_hostile_input(signed_in, person, time_zone):
    before = Profile.objects.get(user=person).time_zone
    response = signed_in.post(reverse("accounts:account"), {"time_zone": time_zone})
    if not assert_refused_or_accepted(response):
        assert Profile.objects.get(user=person).time_zone == before


@FUZZ
@given(days=number)
def test_progress_period_never_fails(signed_in, days):
    response = signed_in.get(reverse("progress:progress"), {"days": days})
    assert response.status_code in (200, 400)


@FUZZ
@given(onset=a_date)
def test_changing_an_episodes_onset_with_hostile_input(signed_in, person, onset):
    episode, _ = Episode.objects.get_or_create(
        owner=person, resolved_on=None, defaults={"onset_date": date.today()}
    )
    before = snapshot_log(person)
    response = signed_in.post(
        reverse("symptoms:episode_onset", args=[episode.pk]), {"onset_date": onset}
    )
    if assert_refused_or_accepted(response):
        episode.refresh_from_db()
        assert episode.onset_date <= date.today()
    else:
        assert snapshot_log(person) == before


@FUZZ
@given(order=st.one_of(text, st.lists(number, max_size=6).map(",".join)))
def test_reordering_steps_with_hostile_input(signed_in, person, order):
    routine, created = Routine.objects.get_or_create(owner=person, name="Fuzz order")
    if created:
        stretch = Stretch.objects.first() or make_stretch(slug="knee-to-chest")
        for position in (1, 2, 3):
            RoutineStep.objects.create(
                routine=routine, stretch=stretch, position=position, hold_seconds=20, repeats=2
            )
    before = list(RoutineStep.objects.filter(routine=routine).order_by("pk").values())
    response = signed_in.post(reverse("routines:step_reorder", args=[routine.pk]), {"order": order})
    after = list(RoutineStep.objects.filter(routine=routine).order_by("pk").values())
    if assert_refused_or_accepted(response):
        assert sorted(step["position"] for step in after) == [1, 2, 3]
        assert {step["id"] for step in after} == {step["id"] for step in before}
    else:
        assert after == before


@FUZZ
@given(data=st.fixed_dictionaries({"username": text, "password": text}))
def test_logging_in_with_hostile_input(client, person, data):
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code in (200, 403, 429)  # refused, or locked out after failures
    assert "_auth_user_id" not in client.session


@FUZZ
@given(
    data=st.fixed_dictionaries({"old_password": text, "new_password1": text, "new_password2": text})
)
def test_changing_the_password_with_hostile_input(signed_in, person, data):
    before = get_user_model().objects.get(pk=person.pk).password
    response = signed_in.post(reverse("accounts:password_change"), data)
    # The old password is never right here: refused, or locked out after failures.
    assert response.status_code in (200, 400, 429)
    assert get_user_model().objects.get(pk=person.pk).password == before


@FUZZ
@given(password=text)
def test_deleting_the_account_with_a_hostile_password(signed_in, person, password):
    response = signed_in.post(reverse("accounts:delete_account"), {"password": password})
    assert response.status_code in (200, 400, 429)  # refused, or locked out after failures
    assert get_user_model().objects.filter(pk=person.pk).exists()


@FUZZ
@given(email=text)
def test_password_reset_with_hostile_input(client, db, email):
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code in (200, 302, 400)


@FUZZ
@given(hold=number, repeats=number, action=st.one_of(st.just("save"), text))
def test_changing_a_step_with_hostile_input(signed_in, person, hold, repeats, action):
    routine, _ = Routine.objects.get_or_create(owner=person, name="Fuzz step")
    stretch = Stretch.objects.first() or make_stretch(slug="knee-to-chest")
    step, _ = RoutineStep.objects.get_or_create(
        routine=routine, position=1, defaults={"stretch": stretch, "hold_seconds": 20, "repeats": 2}
    )
    prefix = f"step-{step.pk}"
    data = {f"{prefix}-hold_seconds": hold, f"{prefix}-repeats": repeats, "action": action}
    before = list(RoutineStep.objects.filter(routine=routine).values())
    response = signed_in.post(reverse("routines:step_change", args=[routine.pk, step.pk]), data)
    if assert_refused_or_accepted(response):
        for row in RoutineStep.objects.filter(routine=routine):
            assert 10 <= row.hold_seconds <= 60 and 1 <= row.repeats <= 5
    else:
        assert list(RoutineStep.objects.filter(routine=routine).values()) == before


@FUZZ
@given(content=st.one_of(st.binary(max_size=2000), text.map(str.encode)))
def test_importing_a_hostile_file_changes_nothing(signed_in, person, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = snapshot_log(person)
    upload = SimpleUploadedFile("export.json", content, content_type="application/json")
    response = signed_in.post(reverse("transfer:import"), {"file": upload})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert snapshot_log(person) == before


@FUZZ
@given(data=st.fixed_dictionaries({"start": a_date, "end": a_date, "episode": number}))
def test_summary_for_a_doctor_with_hostile_input(signed_in, data):
    response = signed_in.get(reverse("progress:report"), data)
    assert response.status_code in (200, 400)


@FUZZ
@given(note=text, trigger_other=text, name=text)
def test_importing_an_export_with_hostile_text(signed_in, person, note, trigger_other, name):
    """A real export file with hostile text in it: imported whole, or refused whole."""
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    if not PainEntry.objects.filter(owner__username="fuzz-source").exists():
        source = get_user_model().objects.create_user("fuzz-source", password="pass-phrase-12")
        episode = Episode.objects.create(owner=source, onset_date=date.today())
        PainEntry.objects.create(
            owner=source,
            episode=episode,
            recorded_at=timezone.now(),
            local_date=date.today(),
            pain=4,
            note="NOTE",
            trigger_other="TRIGGER",
        )
        Routine.objects.create(owner=source, name="NAME")
    signed_in.force_login(get_user_model().objects.get(username="fuzz-source"))
    exported = signed_in.get(reverse("transfer:export_json")).content.decode()
    signed_in.force_login(person)
    # Start from an empty account each time: an import skips what it already holds.
    Episode.objects.filter(owner=person).delete()
    Routine.objects.filter(owner=person).delete()
    hostile = (
        exported.replace('"NOTE"', json.dumps(note))
        .replace('"TRIGGER"', json.dumps(trigger_other))
        .replace('"NAME"', json.dumps(name))
    )
    before = snapshot_log(person), list(Routine.objects.filter(owner=person).values())
    upload = SimpleUploadedFile("export.json", hostile.encode(), content_type="application/json")
    response = signed_in.post(reverse("transfer:import"), {"file": upload})
    assert response.status_code in (302, 400)
    after = snapshot_log(person), list(Routine.objects.filter(owner=person).values())
    if response.status_code == 400:
        assert after == before
    else:
        html = signed_in.get(reverse("symptoms:entry_list")).content.decode()
        assert_escaped(html, note + trigger_other)
