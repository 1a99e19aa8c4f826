"""When a reminder goes out (reminders/schedule.py): weekdays, pauses, quiet hours, and the
daylight-saving days of Europe/London and America/New_York. Pure rules, no database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reminders.schedule import (
    EVERY_DAY,
    QuietHours,
    is_late,
    next_slot,
    weekday_mask,
    weekdays_in_words,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slots(zone, local_time, start, days, **rules):
    """The slots of a daily reminder from ``start`` on, one after another."""
    found, after = [], start
    for _ in range(days):
        slot = next_slot(after=after, local_time=local_time, weekdays=EVERY_DAY, zone=zone, **rules)
        found.append(slot)
        after = slot.send_at
    return found


def test_the_next_slot_is_today_if_its_time_has_not_come_else_tomorrow():
    before = next_slot(
        after=utc(2026, 6, 10, 6, 0), local_time=time(8, 0), weekdays=EVERY_DAY, zone=LONDON
    )
    assert (before.local_date, before.send_at) == (date(2026, 6, 10), utc(2026, 6, 10, 7, 0))
    after = next_slot(after=before.send_at, local_time=time(8, 0), weekdays=EVERY_DAY, zone=LONDON)
    assert (after.local_date, after.send_at) == (date(2026, 6, 11), utc(2026, 6, 11, 7, 0))


def test_only_the_chosen_weekdays():
    # 10 June 2026 is a Wednesday; Monday and Friday only.
    mask = weekday_mask([0, 4])
    found, after = [], utc(2026, 6, 10, 12, 0)
    for _ in range(4):
        slot = next_slot(after=after, local_time=time(9, 0), weekdays=mask, zone=LONDON)
        found.append(slot.local_date)
        after = slot.send_at
    assert found == [date(2026, 6, 12), date(2026, 6, 15), date(2026, 6, 19), date(2026, 6, 22)]
    assert next_slot(after=after, local_time=time(9, 0), weekdays=0, zone=LONDON) is None


def test_a_paused_reminder_starts_again_on_the_day_its_pause_ends():
    slot = next_slot(
        after=utc(2026, 6, 10, 12, 0),
        local_time=time(9, 0),
        weekdays=EVERY_DAY,
        zone=LONDON,
        paused_until=date(2026, 6, 30),
    )
    assert slot.local_date == date(2026, 6, 30)


def test_quiet_hours_past_midnight():
    quiet = QuietHours(start=time(22, 0), end=time(7, 0))
    assert quiet.covers(time(23, 30)) and quiet.covers(time(0, 0)) and quiet.covers(time(6, 59))
    assert not quiet.covers(time(7, 0)) and not quiet.covers(time(21, 59))
    day = QuietHours(start=time(12, 0), end=time(14, 0))
    assert day.covers(time(12, 0)) and not day.covers(time(14, 0))
    assert not QuietHours(start=time(9, 0), end=time(9, 0)).covers(time(9, 0))


def test_a_time_inside_the_quiet_hours_never_goes_out():
    quiet = QuietHours(start=time(22, 0), end=time(7, 0))
    rules = {"weekdays": EVERY_DAY, "zone": LONDON, "quiet": quiet}
    assert next_slot(after=utc(2026, 6, 10), local_time=time(23, 0), **rules) is None
    assert next_slot(after=utc(2026, 6, 10), local_time=time(7, 0), **rules) is not None


# Spring forward: London 29 March 2026 01:00 GMT -> 02:00 BST; New York 8 March 2026
# 02:00 EST -> 03:00 EDT. Fall back: London 25 October 2026 02:00 BST -> 01:00 GMT;
# New York 1 November 2026 02:00 EDT -> 01:00 EST.
@pytest.mark.parametrize(
    "zone, day, local_time, expected_utc",
    [
        # An ordinary time on the change day keeps its local time: the UTC hour moves.
        (LONDON, date(2026, 3, 29), time(8, 0), utc(2026, 3, 29, 7, 0)),
        (LONDON, date(2026, 3, 28), time(8, 0), utc(2026, 3, 28, 8, 0)),
        (NEW_YORK, date(2026, 3, 8), time(8, 0), utc(2026, 3, 8, 12, 0)),
        (NEW_YORK, date(2026, 3, 7), time(8, 0), utc(2026, 3, 7, 13, 0)),
        (LONDON, date(2026, 10, 25), time(8, 0), utc(2026, 10, 25, 8, 0)),
        (LONDON, date(2026, 10, 24), time(8, 0), utc(2026, 10, 24, 7, 0)),
        (NEW_YORK, date(2026, 11, 1), time(8, 0), utc(2026, 11, 1, 13, 0)),
        (NEW_YORK, date(2026, 10, 31), time(8, 0), utc(2026, 10, 31, 12, 0)),
        # A time in the spring gap goes out once, with the offset before the gap
        # (01:30 GMT = 02:30 BST; 02:30 EST = 03:30 EDT).
        (LONDON, date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30)),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30)),
        # A time that happens twice in the autumn goes out at its first occurrence.
        (LONDON, date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
    ],
)
def test_daylight_saving_days(zone, day, local_time, expected_utc):
    start = datetime.combine(day, time(0, 0), tzinfo=zone) - timedelta(hours=6)
    slot = next_slot(after=start, local_time=local_time, weekdays=EVERY_DAY, zone=zone)
    assert slot.local_date == day
    assert slot.send_at == expected_utc


@pytest.mark.parametrize(
    "zone, change_day",
    [
        (LONDON, date(2026, 3, 29)),
        (LONDON, date(2026, 10, 25)),
        (NEW_YORK, date(2026, 3, 8)),
        (NEW_YORK, date(2026, 11, 1)),
    ],
)
@pytest.mark.parametrize(
    "local_time", [time(0, 30), time(1, 0), time(1, 30), time(2, 30), time(8, 0)]
)
def test_across_a_change_every_day_gets_exactly_one_slot(zone, change_day, local_time):
    start = datetime.combine(change_day - timedelta(days=3), time(12, 0), tzinfo=zone)
    found = slots(zone, local_time, start, 7)
    assert [s.local_date for s in found] == [
        change_day - timedelta(days=2) + timedelta(days=n) for n in range(7)
    ]
    assert all(b.send_at > a.send_at for a, b in zip(found, found[1:], strict=False))
    for slot in found:
        local = slot.send_at.astimezone(zone)
        if local.date() == slot.local_date and local.time() == local_time:
            continue
        # Only a time in the spring gap may go out at another local time: an hour later.
        assert slot.local_date == change_day and change_day.month == 3
        assert local.replace(tzinfo=None) - datetime.combine(slot.local_date, local_time) == (
            timedelta(hours=1)
        )


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from([LONDON, NEW_YORK, ZoneInfo("Australia/Sydney"), ZoneInfo("UTC")]),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    local_time=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    days=st.sets(st.integers(0, 6), min_size=1),
)
def test_slots_move_forward_one_local_date_at_a_time(zone, start, local_time, days):
    mask = weekday_mask(days)
    after = start.replace(tzinfo=UTC)
    previous = None
    for _ in range(5):
        slot = next_slot(after=after, local_time=local_time, weekdays=mask, zone=zone)
        assert slot.send_at > after
        assert slot.local_date.weekday() in days
        if previous is not None:
            assert slot.local_date > previous.local_date
            assert slot.local_date - previous.local_date <= timedelta(days=7)
        previous, after = slot, slot.send_at


def test_a_slot_is_late_an_hour_after_its_time():
    due = utc(2026, 6, 10, 7, 0)
    assert not is_late(due, due + timedelta(minutes=60))
    assert is_late(due, due + timedelta(minutes=60, seconds=1))


def test_weekdays_in_words():
    assert weekdays_in_words(EVERY_DAY) == "every day"
    assert weekdays_in_words(weekday_mask(range(5))) == "Monday to Friday"
    assert weekdays_in_words(weekday_mask([0, 2])) == "Monday and Wednesday"
    assert weekdays_in_words(weekday_mask([6])) == "Sunday"
    with pytest.raises(ValueError):
        weekday_mask([7])
