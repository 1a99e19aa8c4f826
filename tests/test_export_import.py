"""Export (JSON, CSV) and import of a person's own data."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Profile
from routines.models import Practice, Routine, RoutineStep, Stretch
from symptoms.models import Episode, FlagAcknowledgement, PainEntry, known_locations
from transfer import csv_files, export, uploads

pytestmark = pytest.mark.django_db


def make_user(username: str, time_zone: str = "UTC"):
    user = get_user_model().objects.create_user(username=username, password="pw-long-enough-1")
    Profile.objects.update_or_create(user=user, defaults={"time_zone": time_zone})
    return user


def make_stretch(slug: str = "knee-to-chest") -> Stretch:
    stretch, _ = Stretch.objects.get_or_create(
        slug=slug,
        defaults={
            "name": slug.replace("-", " ").title(),
            "purpose": "Test stretch",
            "position": Stretch.Position.LYING,
            "starting_position": "Lie on your back.",
            "steps": "Step one\nStep two",
            "start_illustration": "img/stretches/knee-to-chest-start.svg",
            "start_alt": "A person lying down",
            "hold_illustration": "img/stretches/knee-to-chest-hold.svg",
            "hold_alt": "A person stretching",
        },
    )
    return stretch


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def fill_account(user) -> dict:
    """A small but complete data set: every kind of object and awkward text."""
    onset = date(2026, 10, 1)
    old = Episode.objects.create(
        owner=user, onset_date=date(2026, 6, 1), resolved_on=date(2026, 6, 20)
    )
    episode = Episode.objects.create(owner=user, onset_date=onset)
    PainEntry.objects.create(
        owner=user,
        episode=old,
        recorded_at=at(date(2026, 6, 2)),
        local_date=date(2026, 6, 2),
        pain=4,
    )
    entry = PainEntry.objects.create(
        owner=user,
        episode=episode,
        recorded_at=at(onset),
        local_date=onset,
        pain=7,
        locations=["lower_back_centre", "leg"],
        triggers=["lifting", "other"],
        trigger_other='Moving a "heavy" sofa, then, a table',
        reliefs=["heat"],
        relief_other="",
        leg_symptoms="one",
        saddle_numbness=False,
        bladder_bowel=None,
        after_fall=None,
        fever_or_weight_loss=False,
        note="=cmd|' /C calc'!A0\nsecond line, with comma",
    )
    PainEntry.objects.create(
        owner=user,
        episode=episode,
        recorded_at=at(onset + timedelta(days=1)),
        local_date=onset + timedelta(days=1),
        pain=5,
        note="Ça va mieux — merci",
    )
    FlagAcknowledgement.objects.create(
        owner=user, episode=episode, code="leg_one", seen_at=at(onset + timedelta(days=2))
    )
    stretch = make_stretch()
    other_stretch = make_stretch("cat-cow")
    routine = Routine.objects.create(owner=user, name="Morning", description="+ easy start")
    RoutineStep.objects.create(
        routine=routine, stretch=stretch, position=1, hold_seconds=20, repeats=2
    )
    RoutineStep.objects.create(
        routine=routine, stretch=other_stretch, position=2, hold_seconds=30, repeats=3
    )
    starter, _ = Routine.objects.get_or_create(
        owner=None, slug="gentle-start", defaults={"name": "Gentle start"}
    )
    Practice.objects.create(
        owner=user,
        routine=routine,
        routine_name="Morning",
        started_at=at(onset, 10),
        finished_at=at(onset, 11),
        pain_before=7,
        pain_after=4,
        steps_completed=2,
        steps_total=2,
        note="@home",
    )
    Practice.objects.create(
        owner=user,
        routine=starter,
        routine_name="Gentle start",
        started_at=at(onset + timedelta(days=1), 10),
        stopped_at=at(onset + timedelta(days=1), 10),
        stop_reason="sharp",
        pain_before=5,
        pain_after=None,
        steps_completed=1,
        steps_total=4,
    )
    Practice.objects.create(
        owner=user,
        routine=None,
        routine_name="A deleted session",
        started_at=at(onset + timedelta(days=1), 18),
        pain_before=6,
        pain_after=6,
    )
    return {"episode": episode, "entry": entry, "routine": routine}


def comparable(data: dict) -> dict:
    data = dict(data)
    data.pop("exported_at")
    return data


def upload(client, content: bytes, name: str = "export.json"):
    return client.post(
        reverse("transfer:import"), {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def counts(user) -> tuple[int, ...]:
    return (
        Episode.objects.filter(owner=user).count(),
        PainEntry.objects.filter(owner=user).count(),
        FlagAcknowledgement.objects.filter(owner=user).count(),
        Routine.objects.filter(owner=user).count(),
        RoutineStep.objects.filter(routine__owner=user).count(),
        Practice.objects.filter(owner=user).count(),
        Profile.objects.get(user=user).time_zone,
    )


# ------------------------------------------------------------------ pages and downloads


def test_export_pages_need_login(client):
    for name in ("export", "export_json", "export_entries_csv", "export_practices_csv", "import"):
        response = client.get(reverse(f"transfer:{name}"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_export_page_offers_the_downloads(client):
    client.force_login(make_user("ann"))
    response = client.get(reverse("transfer:export"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for name in ("export_json", "export_entries_csv", "export_practices_csv"):
        assert reverse(f"transfer:{name}") in html


def test_json_download_is_an_attachment_with_a_format_version(client):
    user = make_user("ann", "Europe/London")
    fill_account(user)
    client.force_login(user)
    response = client.get(reverse("transfer:export_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="spasmcare-data-')
    data = json.loads(response.content)
    assert data["format_version"] == export.FORMAT_VERSION
    assert data["profile"] == {"time_zone": "Europe/London"}
    assert len(data["episodes"]) == 2
    assert len(data["entries"]) == 3
    assert data["flag_acknowledgements"][0]["code"] == "leg_one"
    # Flags are listed per episode, as the checker raises them, with their seen status.
    old_episode, episode = data["episodes"]
    assert old_episode["flags"] == []
    assert [(f["code"], f["seen_by_doctor"]) for f in episode["flags"]] == [("leg_one", True)]
    assert episode["flags"][0]["first_reported"] == "2026-10-01"
    assert [s["stretch"] for s in data["routines"][0]["steps"]] == ["knee-to-chest", "cat-cow"]
    by_name = {p["routine_name"]: p for p in data["practices"]}
    assert by_name["Morning"]["routine_uid"] == data["routines"][0]["uid"]
    assert by_name["Gentle start"]["routine_slug"] == "gentle-start"
    assert by_name["Gentle start"]["routine_uid"] is None
    first = data["entries"][1]
    assert first["bladder_bowel"] is None  # not answered
    assert first["saddle_numbness"] is False  # answered "no"


def test_downloads_hold_only_my_data(client):
    me = make_user("ann")
    other = make_user("bob")
    fill_account(other)
    client.force_login(me)
    data = json.loads(client.get(reverse("transfer:export_json")).content)
    assert data["episodes"] == data["entries"] == data["practices"] == data["routines"] == []
    assert data["flag_acknowledgements"] == []
    for name in ("export_entries_csv", "export_practices_csv"):
        rows = list(
            csv.reader(io.StringIO(client.get(reverse(f"transfer:{name}")).content.decode()))
        )
        assert len(rows) == 1  # the header only


def test_entries_csv_columns_escaping_and_unanswered(client):
    user = make_user("ann")
    fill_account(user)
    client.force_login(user)
    response = client.get(reverse("transfer:export_entries_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0].keys()) == csv_files.ENTRY_CSV_COLUMNS
    assert len(rows) == 3
    row = next(r for r in rows if r["pain"] == "7")
    assert row["local_date"] == "2026-10-01"
    assert row["recorded_at"].startswith("2026-10-01T09:00:00")
    assert row["trigger_other"] == 'Moving a "heavy" sofa, then, a table'
    assert row["triggers"] == "lifting;other"
    # The formula is neutralised; the newline and comma survive inside the quoted cell.
    assert row["note"] == "'=cmd|' /C calc'!A0\nsecond line, with comma"
    assert row["saddle_numbness"] == "no"
    assert row["bladder_bowel"] == ""  # not answered: empty, not "no"
    assert row["leg_symptoms"] == "one"
    accented = next(r for r in rows if r["pain"] == "5")
    assert accented["note"] == "Ça va mieux — merci"
    assert accented["leg_symptoms"] == ""


def test_practices_csv_columns_and_escaping(client):
    user = make_user("ann")
    fill_account(user)
    client.force_login(user)
    text = client.get(reverse("transfer:export_practices_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0].keys()) == csv_files.PRACTICE_CSV_COLUMNS
    morning = next(r for r in rows if r["routine_name"] == "Morning")
    assert morning["pain_change"] == "-3"  # numbers are not neutralised
    assert morning["note"] == "'@home"
    stopped = next(r for r in rows if r["routine_name"] == "Gentle start")
    assert stopped["pain_after"] == "" and stopped["pain_change"] == ""
    assert stopped["stop_reason"] == "sharp"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("fine = ok", "fine = ok"),
        (-2, -2),
        ("x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"),
        ("x,+1", "x,'+1"),
        ("x\t-1", "x\t'-1"),
        ("x|@a", "x|'@a"),
        ("line\n=1\r\n@2", "line\n'=1\r\n'@2"),
        ("x; =1", "x; '=1"),
        ("  =1", "  '=1"),
        ("a\t\t=1", "a\t'\t'=1"),
        ("leg pain - worse, then = better", "leg pain - worse, then = better"),
        ("2026-10-01T09:00:00+00:00", "2026-10-01T09:00:00+00:00"),
    ],
)
def test_neutralise(value, expected):
    assert csv_files.neutralise(value) == expected


HOSTILE_CELLS = [
    "x;=cmd|' /C calc'!A0",
    "x,=1+1",
    "a|@SUM(A1)",
    "one\t-2+3",
    'first line\n=HYPERLINK("http://x")',
    "x; +1",
    "=start",
]


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_no_formula_cells(text: str) -> None:
    """However the file is split into cells, no cell starts with a formula character
    (numbers such as -3 are numbers, not formulas)."""
    pieces = []
    for separator in (",", ";"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            pieces.extend(row)
    # A naive split at every separator a spreadsheet may offer, quotes ignored.
    pieces.extend(re.split(r"[,;\t|\r\n]", text))
    for piece in pieces:
        cell = piece.lstrip(' "')
        assert _number(cell) or not cell.startswith(csv_files.FORMULA_PREFIXES), repr(piece)


def test_csv_files_have_no_formula_whatever_the_separator(client):
    user = make_user("ann")
    refs = fill_account(user)
    episode = refs["episode"]
    for n, hostile in enumerate(HOSTILE_CELLS):
        PainEntry.objects.create(
            owner=user,
            episode=episode,
            recorded_at=at(date(2026, 10, 5), n),
            local_date=date(2026, 10, 5),
            pain=3,
            triggers=["other"],
            trigger_other=hostile,
            reliefs=["other"],
            relief_other=hostile,
            note=hostile,
        )
        Practice.objects.create(
            owner=user,
            routine=None,
            routine_name=hostile,
            started_at=at(date(2026, 10, 5), n),
            pain_before=6,
            pain_after=3,
            note=hostile,
        )
    client.force_login(user)
    for name in ("export_entries_csv", "export_practices_csv"):
        text = client.get(reverse(f"transfer:{name}")).content.decode()
        assert_no_formula_cells(text)
        # Every text cell is quoted; numbers are not.
        header, first = text.split("\r\n")[:2]
        assert header.startswith('"uid",')
        assert ',"' in first
    entries = client.get(reverse("transfer:export_entries_csv")).content.decode()
    assert ",7," in entries  # a pain score stays a bare number
    rows = list(csv.DictReader(io.StringIO(entries, newline="")))
    notes = {r["note"] for r in rows}
    assert "x;'=cmd|' /C calc'!A0" in notes  # the text is all there, made harmless


# ------------------------------------------------------------------ import


def test_round_trip_into_a_fresh_account_loses_nothing(client):
    ann = make_user("ann", "Europe/Paris")
    fill_account(ann)
    client.force_login(ann)
    exported = client.get(reverse("transfer:export_json")).content

    fresh = make_user("fresh")
    client.force_login(fresh)
    response = upload(client, exported)
    assert response.status_code == 302
    again = client.get(reverse("transfer:export_json")).content
    assert comparable(json.loads(again)) == comparable(json.loads(exported))
    # The starter session is linked again by its slug.
    assert Practice.objects.get(owner=fresh, routine_name="Gentle start").routine.slug == (
        "gentle-start"
    )
    # The original account is untouched.
    assert counts(ann) == (2, 3, 1, 1, 2, 3, "Europe/Paris")


def test_importing_the_same_file_twice_adds_nothing(client):
    ann = make_user("ann")
    fill_account(ann)
    exported = export.export_json(ann)
    fresh = make_user("fresh")
    client.force_login(fresh)
    assert upload(client, exported).status_code == 302
    before = counts(fresh)
    response = upload(client, exported)
    assert response.status_code == 302
    assert counts(fresh) == before
    follow = client.get(response["Location"])
    assert "already here" in follow.content.decode()


def test_reimporting_into_the_same_account_adds_nothing(client):
    ann = make_user("ann")
    fill_account(ann)
    before = counts(ann)
    client.force_login(ann)
    assert upload(client, export.export_json(ann)).status_code == 302
    assert counts(ann) == before


def test_import_page_renders_the_form(client):
    client.force_login(make_user("ann"))
    response = client.get(reverse("transfer:import"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and "<label" in html


def valid_export() -> bytes:
    ann = make_user("source")
    fill_account(ann)
    return export.export_json(ann)


def edited(change) -> bytes:
    data = json.loads(valid_export())
    change(data)
    return json.dumps(data).encode()


def set_path(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


BAD_FILES = {
    "malformed": (lambda: b'{"format": "spasmcare-export", nope}', "not valid JSON"),
    "truncated": (lambda: valid_export()[:-40], "cut off"),
    "cut inside a text": (lambda: valid_export().split(b"Moving a")[0] + b"Mov", "cut off"),
    "empty": (lambda: b"", "empty"),
    "binary": (lambda: b"\xff\xfe\x00\x01garbage", "not a text file"),
    "not an export": (lambda: b'{"hello": 1}', "not a SpasmCare export"),
    "no version": (lambda: edited(lambda d: d.pop("format_version")), "no format version"),
    "wrong version": (lambda: edited(set_path(["format_version"], 99)), "version 99"),
    "pain out of range": (lambda: edited(set_path(["entries", 1, "pain"], 11)), "Entry 2"),
    "pain as text": (lambda: edited(set_path(["entries", 0, "pain"], "4")), "whole number"),
    "bad date": (lambda: edited(set_path(["entries", 0, "local_date"], "31/12/2026")), "date"),
    "naive time": (
        lambda: edited(set_path(["entries", 0, "recorded_at"], "2026-10-01T09:00:00")),
        "time zone",
    ),
    "unknown trigger": (
        lambda: edited(set_path(["entries", 0, "triggers"], ["gravity"])),
        "not known",
    ),
    "bad uid": (lambda: edited(set_path(["entries", 0, "uid"], "x")), "valid id"),
    "dangling episode": (
        lambda: edited(
            set_path(["entries", 0, "episode_uid"], "00000000-0000-0000-0000-000000000000")
        ),
        "does not match an episode",
    ),
    "unknown stretch": (
        lambda: edited(set_path(["routines", 0, "steps", 0, "stretch"], "handstand")),
        "not a stretch on this server",
    ),
    "hold too long": (
        lambda: edited(set_path(["routines", 0, "steps", 0, "hold_seconds"], 600)),
        "hold_seconds",
    ),
    "unknown time zone": (
        lambda: edited(set_path(["profile", "time_zone"], "Mars/Olympus")),
        "time zone",
    ),
    "answer not yes or no": (
        lambda: edited(set_path(["entries", 0, "bladder_bowel"], "maybe")),
        "true, false or null",
    ),
    "two open episodes": (
        lambda: edited(set_path(["episodes", 0, "resolved_on"], None)),
        "more than one open episode",
    ),
}


def raw_edit(old: bytes, new: bytes) -> bytes:
    content = valid_export()
    assert old in content
    return content.replace(old, new, 1)


def with_extra(value: bytes) -> bytes:
    """The valid export with one more top-level key holding ``value`` (raw JSON)."""
    return valid_export().rstrip()[:-1] + b', "extra": ' + value + b"}"


# Files made to knock the worker over (each gave a 500 before issue 13): refused with 400.
HOSTILE_FILES = {
    "nested 50,000 deep": (
        lambda: with_extra(b"[" * 50_000 + b"]" * 50_000),
        "nested more than 20 levels deep",
    ),
    "objects nested 50,000 deep": (
        lambda: with_extra(b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        "nested more than 20 levels deep",
    ),
    "nested 5,000 deep beside empty lists": (
        lambda: with_extra(b"[[]," * 5000 + b"1" + b"]" * 5000),
        "nested more than 20 levels deep",
    ),
    "5,000-digit number": (
        lambda: raw_edit(b'"pain": 7', b'"pain": ' + b"7" * 5000),
        "more than 20 digits",
    ),
    "5,000-digit number where nothing reads it": (
        lambda: with_extra(b"-" + b"1" * 5000),
        "more than 20 digits",
    ),
    "lone surrogate in a note": (
        lambda: raw_edit("Ça va mieux — merci".encode(), b"\\ud800"),
        "not valid Unicode",
    ),
    "lone surrogate in a key": (lambda: with_extra(b'{"\\udc00": 1}'), "not valid Unicode"),
    "NaN": (lambda: raw_edit(b'"pain": 7', b'"pain": NaN'), "NaN and Infinity"),
    "a list where a choice goes": (
        lambda: edited(set_path(["practices", 1, "stop_reason"], ["sharp"])),
        "not one of the known answers",
    ),
}

# What the forms refuse, the import refuses too (before issue 13 it stored it).
NOT_WHAT_THE_FORMS_ALLOW = {
    "open episode in 2999": (
        lambda: edited(set_path(["episodes", 1, "onset_date"], "2999-01-01")),
        "Episode 2, “onset_date”: is in the future.",
    ),
    "onset in year 1": (
        lambda: edited(set_path(["episodes", 0, "onset_date"], "0001-01-01")),
        "Episode 1, “onset_date”: is before 1 January 1900.",
    ),
    "resolved in 2999": (
        lambda: edited(set_path(["episodes", 0, "resolved_on"], "2999-01-01")),
        "“resolved_on”: is in the future.",
    ),
    "entry at the start of year 1, UTC+14": (
        lambda: edited(set_path(["entries", 0, "recorded_at"], "0001-01-01T00:00:00+14:00")),
        "Entry 1, “recorded_at”: is before 1 January 1900.",
    ),
    "entry at the end of 9999, UTC-14": (
        lambda: edited(set_path(["entries", 0, "recorded_at"], "9999-12-31T23:59:00-14:00")),
        "Entry 1, “recorded_at”: is in the future.",
    ),
    "entry in 2999": (
        lambda: edited(set_path(["entries", 0, "recorded_at"], "2999-01-01T09:00:00+00:00")),
        "is in the future.",
    ),
    "local date in 2999": (
        lambda: edited(set_path(["entries", 0, "local_date"], "2999-01-01")),
        "is in the future.",
    ),
    "local date not the day recorded": (
        lambda: edited(set_path(["entries", 0, "local_date"], "2026-01-01")),
        "Entry 1, “local_date”: is not the date of “recorded_at” in any time zone.",
    ),
    "entry before its episode's onset": (
        lambda: edited(
            lambda d: d["entries"][0].update(
                recorded_at="2026-05-20T09:00:00+00:00", local_date="2026-05-20"
            )
        ),
        "is before the onset date of its episode",
    ),
    "acknowledged in 2999": (
        lambda: edited(set_path(["flag_acknowledgements", 0, "seen_at"], "2999-01-01T00:00Z")),
        "is in the future",
    ),
    "unknown warning-sign code": (
        lambda: edited(set_path(["flag_acknowledgements", 0, "code"], "made_up")),
        "“made_up” is not a known warning sign",
    ),
    "practice started in 2999": (
        lambda: edited(set_path(["practices", 0, "started_at"], "2999-01-01T10:00:00+00:00")),
        "Practice 1, “started_at”: is in the future.",
    ),
    "practice finished before it started": (
        lambda: edited(set_path(["practices", 0, "finished_at"], "2026-09-30T10:00:00+00:00")),
        "“finished_at”: is before “started_at”.",
    ),
}
BAD_FILES.update(HOSTILE_FILES)
BAD_FILES.update(NOT_WHAT_THE_FORMS_ALLOW)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_and_nothing_changes(client, case):
    make_content, message = BAD_FILES[case]
    content = make_content()
    me = make_user("ann")
    fill_account(me)
    client.force_login(me)
    before = counts(me)
    before_ids = set(PainEntry.objects.filter(owner=me).values_list("uid", flat=True))
    response = upload(client, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing was changed" in html
    assert 'class="invalid-feedback' in html or "is-invalid" in html
    assert counts(me) == before
    assert set(PainEntry.objects.filter(owner=me).values_list("uid", flat=True)) == before_ids


def test_a_bad_value_late_in_the_file_writes_nothing_at_all(client):
    """Validation runs before any write: a bad last practice keeps the episodes out too."""
    content = edited(set_path(["practices", 2, "pain_before"], -1))
    fresh = make_user("fresh")
    client.force_login(fresh)
    assert upload(client, content).status_code == 400
    assert counts(fresh) == (0, 0, 0, 0, 0, 0, "UTC")


def test_an_open_episode_clash_is_refused(client):
    content = valid_export()
    me = make_user("ann")
    Episode.objects.create(owner=me, onset_date=date(2026, 11, 1))
    client.force_login(me)
    response = upload(client, content)
    assert response.status_code == 400
    assert "Mark your current episode as resolved" in response.content.decode()
    assert Episode.objects.filter(owner=me).count() == 1
    assert PainEntry.objects.filter(owner=me).count() == 0


def test_oversized_file_is_refused(client):
    me = make_user("ann")
    client.force_login(me)
    big = b'{"format": "spasmcare-export", "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    response = upload(client, big)
    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()
    assert counts(me) == (0, 0, 0, 0, 0, 0, "UTC")


def test_missing_file_is_a_field_error(client):
    client.force_login(make_user("ann"))
    response = client.post(reverse("transfer:import"), {})
    assert response.status_code == 400
    assert "Choose the export file" in response.content.decode()


def test_import_refuses_wrong_method(client):
    client.force_login(make_user("ann"))
    assert client.put(reverse("transfer:import")).status_code == 405
    assert client.post(reverse("transfer:export_json")).status_code == 405


def test_import_never_touches_another_persons_data(client):
    bob = make_user("bob")
    fill_account(bob)
    bob_before = counts(bob)
    content = export.export_json(bob)
    me = make_user("ann")
    client.force_login(me)
    assert upload(client, content).status_code == 302
    # Same uids, different owner: both accounts hold their own copy.
    assert counts(bob) == bob_before
    assert counts(me)[:6] == bob_before[:6]
    assert not PainEntry.objects.filter(owner=me, episode__owner=bob).exists()


def csrf_client(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("transfer:import")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    return client, token


def test_import_still_checks_the_csrf_token():
    me = make_user("ann")
    client, token = csrf_client(me)
    content = valid_export()
    response = client.post(
        reverse("transfer:import"), {"file": SimpleUploadedFile("a.json", content)}
    )
    assert response.status_code == 403
    assert counts(me)[:6] == (0, 0, 0, 0, 0, 0)
    response = client.post(
        reverse("transfer:import"),
        {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("a.json", content)},
    )
    assert response.status_code == 302
    assert counts(me)[1] == 3


def test_oversized_upload_is_stopped_while_reading_and_the_form_still_arrives(monkeypatch):
    me = make_user("ann")
    client, token = csrf_client(me)
    kept = []
    original = uploads.SizeLimitedUpload.receive_data_chunk

    def spy(self, raw_data, start):
        kept.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(uploads.SizeLimitedUpload, "receive_data_chunk", spy)
    big = SimpleUploadedFile("big.json", b"x" * (uploads.MAX_IMPORT_BYTES + 200_000))
    response = client.post(reverse("transfer:import"), {"csrfmiddlewaretoken": token, "file": big})
    assert response.status_code == 413
    html = response.content.decode()
    assert "larger than 5 MB" in html and "Nothing was changed" in html
    assert "Choose the export file" not in html
    # Reading stopped just past the limit, not at the end of the file.
    assert uploads.MAX_IMPORT_BYTES < sum(kept) <= uploads.MAX_IMPORT_BYTES + 128 * 1024


def test_an_export_made_before_the_apps_were_reorganised_still_imports(client):
    """tests/data/export-v1-2026-12.json was made by the code before issue 11 (accounts/
    transfer.py): it imports whole, and exporting it again gives the same file."""
    path = Path(__file__).parent / "data" / "export-v1-2026-12.json"
    original = json.loads(path.read_text())
    make_stretch()
    make_stretch("cat-cow")
    Routine.objects.get_or_create(
        owner=None, slug="gentle-start", defaults={"name": "Gentle start"}
    )
    me = make_user("fresh")
    client.force_login(me)
    assert upload(client, path.read_bytes()).status_code == 302
    assert counts(me) == (2, 4, 1, 1, 2, 3, "Europe/Berlin")
    again = json.loads(client.get(reverse("transfer:export_json")).content)
    # Every value of the old file comes back; newer files have more keys (new warning
    # questions, not answered in old entries), and the flags are those of today's rules.
    for section in ("episodes", "flag_acknowledgements", "entries", "routines", "practices"):
        assert len(again[section]) == len(original[section]), section
        for old, new in zip(original[section], again[section], strict=True):
            old = {k: v for k, v in old.items() if k != "flags"}
            if "locations" in old:  # the old lower back choices are body map regions now
                old["locations"] = known_locations(old["locations"])
            assert {k: new[k] for k in old} == old, section
    every_sign = next(e for e in again["entries"] if e["note"] == "every sign")
    assert every_sign["leg_symptoms"] == "both" and every_sign["bladder_bowel"] is True
    assert every_sign["fever_or_weight_loss"] is True  # the old question keeps its answer
    assert every_sign["fever"] is None and every_sign["chest_pain"] is None  # never asked
    codes = {f["code"] for e in again["episodes"] for f in e["flags"]}
    assert {"bladder_bowel", "legs_both", "serious_accident"} - codes == {"serious_accident"}
    assert "fever_weight_loss" in codes
