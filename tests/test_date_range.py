"""Dates in a sane range everywhere (issue 13, item 3).

Every date a form or a query string accepts lies between 1 January 1900 and now (the
bounds are safety/dates.py). A date outside is a field error (or, for a report's range,
moved to 1900), never a 302 that breaks every page afterwards: on PostgreSQL an entry
at 0001-01-01T00:30 in Europe/Berlin was stored as 1 BC and every page that read it
answered 500. Run this file on both databases; the time zones at both ends of the
world (UTC+14 and UTC-12) are part of every case.
"""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from progress import report_pdf
from safety import dates
from symptoms.models import Episode, PainEntry
from tests.signs import NONE
from tests.symptom_factories import make_entry, make_episode, make_user

ZONES = ["Pacific/Kiritimati", "Etc/GMT+12", "Europe/Berlin", "Asia/Tokyo"]
TOO_EARLY_MOMENTS = ["0001-01-01T00:30", "0001-01-01T00:00", "1899-12-31T23:59"]
FUTURE_MOMENTS = ["9999-12-31T23:59", "3000-01-01T00:00"]


# --- the bounds themselves (pure) ---------------------------------------------------


def test_day_problem_at_the_edges():
    today = date(2026, 12, 2)
    assert dates.day_problem(date(1900, 1, 1), today=today) is None
    assert dates.day_problem(today, today=today) is None
    assert dates.day_problem(date(1899, 12, 31), today=today) == dates.TOO_EARLY
    assert dates.day_problem(date(1, 1, 1), today=today) == dates.TOO_EARLY
    assert dates.day_problem(today + timedelta(days=1), today=today) == dates.FUTURE_DAY
    assert dates.day_problem(date(9999, 12, 31), today=today) == dates.FUTURE_DAY


@pytest.mark.parametrize("zone_name", ZONES)
def test_moment_problem_at_the_edges(zone_name):
    zone = zoneinfo.ZoneInfo(zone_name)
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    first = datetime(1900, 1, 1, tzinfo=zone)
    assert dates.moment_problem(first, zone=zone, now=now) is None
    assert dates.moment_problem(first - timedelta(minutes=1), zone=zone, now=now) == (
        dates.TOO_EARLY
    )
    assert dates.moment_problem(now, zone=zone, now=now) is None
    assert dates.moment_problem(now + timedelta(seconds=59), zone=zone, now=now) is None
    assert dates.moment_problem(now + timedelta(minutes=1), zone=zone, now=now) == (
        dates.FUTURE_MOMENT
    )
    # The ends of Python's calendar, with an offset that leaves it: no OverflowError.
    low = datetime(1, 1, 1, tzinfo=zoneinfo.ZoneInfo("Pacific/Kiritimati"))
    high = datetime(9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("Etc/GMT+12"))
    assert dates.moment_problem(low, zone=zone, now=now) == dates.TOO_EARLY
    assert dates.moment_problem(high, zone=zone, now=now) == dates.FUTURE_MOMENT


def test_local_day_never_overflows():
    kiritimati = zoneinfo.ZoneInfo("Pacific/Kiritimati")
    minus_12 = zoneinfo.ZoneInfo("Etc/GMT+12")
    assert dates.local_day(datetime(1, 1, 1, tzinfo=kiritimati), minus_12) is None
    assert dates.local_day(datetime(9999, 12, 31, 23, tzinfo=minus_12), kiritimati) is None
    noon = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert dates.local_day(noon, kiritimati) == date(2026, 6, 2)
    assert dates.local_day(noon, minus_12) == date(2026, 6, 1)


def test_day_fits_moment_and_latest_day_anywhere():
    noon = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert dates.day_fits_moment(date(2026, 6, 1), noon)
    assert dates.day_fits_moment(date(2026, 6, 2), noon)  # UTC+14
    assert dates.day_fits_moment(date(2026, 6, 1), datetime(2026, 6, 1, 11, 59, tzinfo=UTC))
    assert dates.day_fits_moment(date(2026, 5, 31), datetime(2026, 6, 1, 11, 59, tzinfo=UTC))
    assert not dates.day_fits_moment(date(2026, 5, 31), noon)
    assert not dates.day_fits_moment(date(2026, 6, 3), noon)
    assert not dates.day_fits_moment(date(2999, 1, 1), noon)
    assert dates.latest_day_anywhere(datetime(2026, 6, 1, 9, 59, tzinfo=UTC)) == date(2026, 6, 1)
    assert dates.latest_day_anywhere(datetime(2026, 6, 1, 10, 0, tzinfo=UTC)) == date(2026, 6, 2)


# --- forms ----------------------------------------------------------------------------


def entry_post(recorded_at: str, **extra) -> dict:
    return {"recorded_at": recorded_at, "pain": "4", **NONE, **extra}


def local_now(zone_name: str) -> datetime:
    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(zone_name))


def personal_pages(entry: PainEntry | None) -> list[str]:
    pages = [
        reverse("symptoms:entry_list"),
        reverse("progress:progress"),
        reverse("progress:report"),
        reverse("transfer:export_json"),
        reverse("transfer:export_entries_csv"),
        reverse("transfer:export_fhir"),
        reverse("home"),
    ]
    if entry is not None:
        pages += [
            reverse("symptoms:entry_edit", args=[entry.pk]),
            reverse("symptoms:entry_delete", args=[entry.pk]),
            reverse("symptoms:episode_detail", args=[entry.episode_id]),
            reverse("progress:report") + f"?episode={entry.episode_id}",
        ]
    return pages


def assert_every_page_works(client, entry: PainEntry | None = None) -> None:
    for url in personal_pages(entry):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("typed", TOO_EARLY_MOMENTS)
def test_an_entry_before_1900_is_a_field_error(client, zone_name, typed):
    client.force_login(make_user(time_zone=zone_name))
    response = client.post(reverse("symptoms:entry_create"), entry_post(typed))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a date from 1 January 1900 onwards." in html
    assert "invalid-feedback" in html
    assert PainEntry.objects.count() == 0 and Episode.objects.count() == 0
    assert_every_page_works(client)


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("typed", FUTURE_MOMENTS)
def test_an_entry_far_in_the_future_is_a_field_error(client, zone_name, typed):
    client.force_login(make_user(time_zone=zone_name))
    response = client.post(reverse("symptoms:entry_create"), entry_post(typed))
    assert response.status_code == 400
    assert "This is in the future." in response.content.decode()
    assert PainEntry.objects.count() == 0
    assert_every_page_works(client)


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
def test_the_first_minute_of_1900_is_accepted_and_every_page_shows_it(client, zone_name):
    client.force_login(make_user(time_zone=zone_name))
    response = client.post(
        reverse("symptoms:entry_create"),
        entry_post("1900-01-01T00:00", onset_date="1900-01-01", note="The very first"),
    )
    assert response.status_code == 302
    entry = PainEntry.objects.get()
    assert entry.local_date == date(1900, 1, 1)
    assert entry.episode.onset_date == date(1900, 1, 1)
    assert timezone.localtime(entry.recorded_at, zoneinfo.ZoneInfo(zone_name)) == datetime(
        1900, 1, 1, tzinfo=zoneinfo.ZoneInfo(zone_name)
    )
    assert_every_page_works(client, entry)
    report = client.get(reverse("progress:report"), {"start": "1900-01-01", "end": "1900-01-31"})
    assert report.status_code == 200 and "The very first" in report.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
def test_now_is_accepted_and_a_few_minutes_later_is_not(client, zone_name):
    client.force_login(make_user(time_zone=zone_name))
    now = local_now(zone_name)
    later = now + timedelta(minutes=3)
    response = client.post(reverse("symptoms:entry_create"), entry_post(f"{later:%Y-%m-%dT%H:%M}"))
    assert response.status_code == 400
    assert "This is in the future." in response.content.decode()
    response = client.post(reverse("symptoms:entry_create"), entry_post(f"{now:%Y-%m-%dT%H:%M}"))
    assert response.status_code == 302
    # The local date is the person's today, which in UTC+14 is often tomorrow in UTC.
    assert PainEntry.objects.get().local_date == now.date()
    assert_every_page_works(client, PainEntry.objects.get())


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("onset", ["0001-01-01", "1899-12-31"])
def test_an_onset_before_1900_is_a_field_error(client, zone_name, onset):
    client.force_login(make_user(time_zone=zone_name))
    response = client.post(
        reverse("symptoms:entry_create"), entry_post("2026-01-10T08:00", onset_date=onset)
    )
    assert response.status_code == 400
    assert "Choose a date from 1 January 1900 onwards." in response.content.decode()
    assert PainEntry.objects.count() == 0 and Episode.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
def test_an_onset_change_before_1900_is_a_field_error(client, zone_name):
    user = make_user(time_zone=zone_name)
    episode = make_episode(owner=user, onset=date(2026, 1, 5))
    entry = make_entry(episode=episode, on=date(2026, 1, 6))
    client.force_login(user)
    url = reverse("symptoms:episode_onset", args=[episode.pk])
    for onset in ("0001-01-01", "1899-12-31"):
        response = client.post(url, {"onset_date": onset})
        assert response.status_code == 400
        assert "Choose a date from 1 January 1900 onwards." in response.content.decode()
    episode.refresh_from_db()
    assert episode.onset_date == date(2026, 1, 5)
    assert client.post(url, {"onset_date": "1900-01-01"}).status_code == 302
    assert_every_page_works(client, entry)


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
def test_editing_an_entry_to_year_1_is_refused_and_the_entry_stays(client, zone_name):
    user = make_user(time_zone=zone_name)
    episode = make_episode(owner=user, onset=date(2026, 1, 5))
    entry = make_entry(episode=episode, on=date(2026, 1, 6))
    before = entry.recorded_at
    client.force_login(user)
    response = client.post(
        reverse("symptoms:entry_edit", args=[entry.pk]), entry_post("0001-01-01T00:30")
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.recorded_at == before and entry.local_date == date(2026, 1, 6)
    assert_every_page_works(client, entry)


def test_date_inputs_start_at_1900():
    from progress.forms import ReportForm
    from symptoms.forms import OnsetForm, PainEntryForm

    entry_form = PainEntryForm(zone=zoneinfo.ZoneInfo("UTC"), ask_onset=True)
    assert entry_form.fields["recorded_at"].widget.attrs["min"] == "1900-01-01T00:00"
    assert entry_form.fields["onset_date"].widget.attrs["min"] == "1900-01-01"
    assert OnsetForm(latest=date(2026, 1, 1)).fields["onset_date"].widget.attrs["min"] == (
        "1900-01-01"
    )
    for name in ("start", "end"):
        assert ReportForm.base_fields[name].widget.attrs["min"] == "1900-01-01"


# --- query strings --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
def test_a_report_range_before_1900_is_clamped_not_a_500(client, zone_name):
    client.force_login(make_user(time_zone=zone_name))
    query = {"start": "0001-01-01", "end": "0001-03-01"}
    response = client.get(reverse("progress:report"), query)
    assert response.status_code == 200
    assert "1 January 1900" in response.content.decode()
    pdf = client.get(reverse("progress:report_pdf"), {**query, "paper": "a4"})
    assert pdf.status_code == (200 if report_pdf.available() else 503)
    # From 0001 to today is longer than the five years a summary covers.
    response = client.get(
        reverse("progress:report"),
        {"start": "0001-01-01", "end": f"{local_now(zone_name):%Y-%m-%d}"},
    )
    assert response.status_code == 400
    assert "at most five years" in response.content.decode()
    response = client.get(reverse("progress:report"), {"start": "2026-01-01", "end": "9999-12-31"})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


@pytest.mark.django_db
def test_a_share_link_for_a_range_before_1900_is_made_from_1900(client):
    from sharing.models import ShareLink

    client.force_login(make_user(time_zone="Pacific/Kiritimati"))
    response = client.post(
        reverse("sharing:links"), {"start": "0001-01-01", "end": "0001-03-01", "days": "7"}
    )
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert link.start_date == link.end_date == date(1900, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("started_at", "0001-01-01T00:30", dates.TOO_EARLY),
        ("started_at", "1899-12-31T23:59", dates.TOO_EARLY),
        ("finished_at", "0001-01-01T00:30", dates.TOO_EARLY),
        ("started_at", "0001-01-01T00:00:00+14:00", dates.TOO_EARLY),
        ("finished_at", "9999-12-31T23:59:00-12:00", dates.FUTURE_MOMENT),
    ],
)
def test_a_practice_sent_from_offline_outside_1900_to_now_is_a_field_error(
    client, content, zone_name, field, typed, message
):
    """The phone's outbox sends a practice with its start and end: the same range as an
    entry's (on PostgreSQL a year-1 start was stored, as 1 BC in Europe/Berlin)."""
    from routines.models import Practice, Routine
    from tests.test_offline import practice_body

    person = make_user(time_zone=zone_name)
    client.force_login(person)
    routine = Routine.objects.starters().get(slug="gentle-start")
    body = practice_body(person, routine, **{field: typed})
    if field == "finished_at":
        body["started_at"] = typed
    response = client.post(reverse("routines:practice_sync"), body)
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Practice.objects.exists()
    assert_every_page_works(client)
    assert client.get(reverse("routines:practice_list")).status_code == 200
