"""Pain entries on the nights clocks change (found by scripts/clock_sweep).

The entry form's time is a date and time with no offset, in the person's zone. Django's
own field refused the hour that runs twice when clocks go back ("may be ambiguous") and
the hour that is skipped when they go forward ("may not exist"): a person in
Europe/London who opened the form between 01:00 and 02:00 on the last Sunday of October
could not save its own "now", and a phone's offline entry from that hour stayed unsent.
Now both hours are read as a clock on the wall shows them (safety.dates.wall_clock_moment).
"""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import device_owner_key
from safety import dates
from symptoms.models import PainEntry
from tests.signs import NONE
from tests.symptom_factories import make_user

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# London, 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:00-02:00 runs twice
# (00:00-01:00 UTC, then 01:00-02:00 UTC). 28 March 2027: 01:00 GMT becomes 02:00 BST,
# so 01:00-02:00 never happens.
FIRST_RUN = datetime(2026, 10, 25, 0, 40, tzinfo=UTC)
SECOND_RUN = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)


def post_entry(client, typed: str):
    return client.post(
        reverse("symptoms:entry_create"), {"recorded_at": typed, "pain": "4", **NONE}
    )


def clock_at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize("now", [FIRST_RUN, SECOND_RUN], ids=["first run", "second run"])
def test_the_forms_own_now_saves_in_the_hour_that_runs_twice(client, monkeypatch, now):
    clock_at(monkeypatch, now)
    client.force_login(make_user(time_zone="Europe/London"))
    form = client.get(reverse("symptoms:entry_create")).content.decode()
    assert 'value="2026-10-25T01:40"' in form  # both runs show 01:40
    response = post_entry(client, "2026-10-25T01:40")
    assert response.status_code == 302
    assert PainEntry.objects.get().recorded_at == now


def test_a_time_in_the_hour_that_ran_twice_is_its_second_run_once_both_have_passed(
    client, monkeypatch
):
    clock_at(monkeypatch, datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    client.force_login(make_user(time_zone="Europe/London"))
    assert post_entry(client, "2026-10-25T01:15").status_code == 302
    entry = PainEntry.objects.get()
    assert entry.recorded_at == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
    assert entry.local_date.isoformat() == "2026-10-25"


def test_a_time_in_the_skipped_hour_reads_as_after_the_change(client, monkeypatch):
    clock_at(monkeypatch, datetime(2027, 3, 28, 12, 0, tzinfo=UTC))
    client.force_login(make_user(time_zone="Europe/London"))
    assert post_entry(client, "2027-03-28T01:30").status_code == 302
    saved = PainEntry.objects.get().recorded_at
    assert saved == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 02:30 summer time
    assert timezone.localtime(saved, LONDON).strftime("%H:%M") == "02:30"


def test_a_few_minutes_ahead_into_the_skipped_hour_is_in_the_future(client, monkeypatch):
    """At 01:59:30 in Berlin on the night clocks go forward, 02:02 (which never
    happens) is three minutes from now: refused as the future, as any other night."""
    clock_at(monkeypatch, datetime(2027, 3, 28, 0, 59, 30, tzinfo=UTC))
    client.force_login(make_user(time_zone="Europe/Berlin"))
    response = post_entry(client, "2027-03-28T02:02")
    assert response.status_code == 400
    assert "This is in the future." in response.content.decode()
    assert post_entry(client, "2027-03-28T01:59").status_code == 302


def test_a_phone_sends_an_offline_entry_from_the_hour_that_ran_twice(client, monkeypatch):
    clock_at(monkeypatch, datetime(2026, 10, 25, 9, 0, tzinfo=UTC))
    person = make_user(time_zone="Europe/London")
    client.force_login(person)
    response = client.post(
        reverse("symptoms:entry_sync"),
        {
            "recorded_at": "2026-10-25T01:20",
            "pain": "4",
            **NONE,
            "uid": "3f1c6f0e-5d5b-4b8e-9c55-0d1e2a3b4c5d",
            "owner": device_owner_key(person),
        },
    )
    assert response.status_code == 201, response.content
    assert PainEntry.objects.get().recorded_at == datetime(2026, 10, 25, 1, 20, tzinfo=UTC)


# --- the rule itself (pure) ---------------------------------------------------------


@pytest.mark.parametrize(
    "typed, now, expected",
    [
        # An ordinary hour: the zone's offset of that day.
        (datetime(2026, 7, 1, 12), SECOND_RUN, datetime(2026, 7, 1, 10, tzinfo=UTC)),
        # Berlin's hour that runs twice (02:00-03:00 on 25 October 2026): the second run
        # once it has begun...
        (datetime(2026, 10, 25, 2, 30), SECOND_RUN, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        # ...and the first while the second is still to come.
        (datetime(2026, 10, 25, 2, 30), FIRST_RUN, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # Berlin's skipped hour (02:00-03:00 on 28 March 2027): 02:30 is 03:30 summer time.
        (datetime(2027, 3, 28, 2, 30), SECOND_RUN, datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
    ],
)
def test_wall_clock_moment(typed, now, expected):
    assert dates.wall_clock_moment(typed, BERLIN, now=now) == expected
