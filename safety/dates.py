"""Dates as SpasmCare writes them ("3 March 2026", "3 Mar"; no locale, no leading zero),
and the range of dates it accepts: the one place for both.

Every date or date and time that comes in (a form, a query string, an imported file)
lies between 1 January 1900 and now: a pain entry, an episode's onset and a report's
last day cannot be in the future. "Today" is the person's own today, in their time zone;
in the zone furthest ahead (UTC+14) that is tomorrow in UTC. Anything outside is refused
with one of the messages below (in a report's range, a day before 1900 becomes
1 January 1900 instead), so no value that the database or Python's datetime cannot
hold is ever stored or computed with.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

EARLIEST_DAY = date(1900, 1, 1)
# A typed minute is "now" until the minute ends.
NOW_SLACK = timedelta(seconds=59)


def long_day(day: date) -> str:
    """3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def short_day(day: date) -> str:
    """3 Mar."""
    return f"{day.day} {day:%b}"


def short_day_year(day: date) -> str:
    """3 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


TOO_EARLY = f"Choose a date from {long_day(EARLIEST_DAY)} onwards."
FUTURE_DAY = "This day is in the future. Choose today or an earlier day."
FUTURE_MOMENT = "This is in the future. Choose now or an earlier time."


def local_day(moment: datetime, zone: zoneinfo.ZoneInfo) -> date | None:
    """The day of an aware ``moment`` in ``zone``; None if that day is outside what
    Python can hold (year 1 or 9999 with an offset)."""
    try:
        return moment.astimezone(zone).date()
    except (OverflowError, ValueError):
        return None


def day_problem(day: date, *, today: date) -> str | None:
    """Why ``day`` cannot be accepted (before 1900, after the person's ``today``), or
    None."""
    if day < EARLIEST_DAY:
        return TOO_EARLY
    if day > today:
        return FUTURE_DAY
    return None


def moment_problem(moment: datetime, *, zone: zoneinfo.ZoneInfo, now: datetime) -> str | None:
    """Why an aware ``moment`` cannot be accepted for a person in ``zone``: its day
    there before 1900, or after ``now`` (plus the rest of the minute); None if fine."""
    day = local_day(moment, zone)
    if day is None:
        return TOO_EARLY if moment.year < 2000 else FUTURE_MOMENT
    if day < EARLIEST_DAY:
        return TOO_EARLY
    if moment > now + NOW_SLACK:
        return FUTURE_MOMENT
    return None


def wall_clock_moment(local: datetime, zone: zoneinfo.ZoneInfo, *, now: datetime) -> datetime:
    """A naive date and time as a person typed or saw it on their clock, read in
    ``zone``, as they mean it, on the nights clocks change too:

    - clocks go back: the hour that repeats (01:00-02:00 in London) is read as its
      second run, unless that is still to come (then its first), so "now" is now;
    - clocks go forward: a time in the skipped hour (02:30 in Berlin) is read with the
      offset before the change (03:30 summer time), as clocks and calendars do.

    Django's form fields refuse both ("may be ambiguous or may not exist"), which on a
    fall-back night refused the entry form's own "now" for an hour."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first  # every other hour of the year
    # In UTC from here: Python compares two times of one zone by their clock, not fold.
    utc = zoneinfo.ZoneInfo("UTC")
    try:
        first, second = first.astimezone(utc), second.astimezone(utc)
    except OverflowError:  # year 1 or 9999: moment_problem() refuses it
        return local.replace(tzinfo=zone)
    if first.astimezone(zone).replace(tzinfo=None) != local:
        return first  # skipped: read with the offset before the change
    return second if second <= now + NOW_SLACK else first


def latest_day_anywhere(now: datetime) -> date:
    """The date it is at ``now`` where the day is furthest ahead (UTC+14): today or
    tomorrow in UTC. No local date of anything that has happened can be later."""
    return (now.astimezone(zoneinfo.ZoneInfo("UTC")) + timedelta(hours=14)).date()


def day_fits_moment(day: date, moment: datetime) -> bool:
    """Whether ``day`` is the local date of ``moment`` somewhere on Earth (UTC-12 to
    UTC+14): an entry's local date is the date where the person was when they saved it,
    which need not be their time zone of today."""
    utc = moment.astimezone(zoneinfo.ZoneInfo("UTC")).replace(tzinfo=None)
    return (utc - timedelta(hours=12)).date() <= day <= (utc + timedelta(hours=14)).date()


def weekday_day_time(moment: datetime) -> str:
    """Tuesday 3 March 2026, 09:05 (``moment`` already in the person's zone)."""
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"


def day_month_year_time(moment: datetime) -> str:
    """3 Mar 2026, 09:05 (``moment`` already in the person's zone)."""
    return f"{moment.day} {moment:%b %Y, %H:%M}"
