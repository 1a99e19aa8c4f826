"""When a reminder is due: pure rules on local dates and times (no Django).

A reminder is set for a local time on some weekdays, in the person's own time zone. Each
day it is due gives one *slot*: the local date and time it is for, and the UTC instant it
goes out. The slot (reminder, local date, local time) is what the scheduler claims once.

Daylight-saving days:
- Spring forward: a local time that does not exist that day (01:30 in London on the day
  clocks go from 01:00 to 02:00) is read with the offset before the gap, as RFC 5545
  does, so it goes out at 02:30 local time: once, late by the length of the gap.
- Fall back: a local time that happens twice (01:30 in London when clocks go from 02:00
  back to 01:00) goes out at its first occurrence only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = (1 << 7) - 1
# A slot missed while the scheduler (or the workers) were down still goes out up to this
# long after its time; later than that it is dropped, never sent hours late.
CATCH_UP = timedelta(hours=1)
# How far past the first possible day to look for a slot (a week covers every weekday).
_SEARCH_DAYS = 8


def weekday_mask(days: list[int] | tuple[int, ...] | set[int]) -> int:
    """Weekday numbers (Monday 0 ... Sunday 6) as a bit mask."""
    mask = 0
    for day in days:
        if not 0 <= day <= 6:
            raise ValueError(f"not a weekday number: {day}")
        mask |= 1 << day
    return mask


def weekdays_of(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


def weekdays_in_words(mask: int) -> str:
    if mask == EVERY_DAY:
        return "every day"
    if mask == weekday_mask(range(5)):
        return "Monday to Friday"
    if mask == weekday_mask((5, 6)):
        return "Saturday and Sunday"
    names = [WEEKDAYS[day] for day in weekdays_of(mask)]
    if len(names) <= 1:
        return names[0] if names else "no day"
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class QuietHours:
    """Local times when no reminder goes out; may run past midnight (22:00 to 07:00)."""

    start: time
    end: time

    def covers(self, moment: time) -> bool:
        moment = moment.replace(second=0, microsecond=0, tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class Slot:
    local_date: date
    local_time: time
    send_at: datetime  # aware, UTC


def send_instant(local_date: date, local_time: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local date and time (fold=0: see the module docstring)."""
    return datetime.combine(local_date, local_time, tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=4096)  # a scheduler pass asks for the same few rules many times
def next_slot(
    *,
    after: datetime,
    local_time: time,
    weekdays: int,
    zone: ZoneInfo,
    paused_until: date | None = None,
    quiet: QuietHours | None = None,
) -> Slot | None:
    """The first slot that goes out strictly after ``after``, or None if there is none
    (no weekday chosen, or its time always falls in the quiet hours)."""
    if not weekdays & EVERY_DAY:
        return None
    # The day before too: a slot moved forward by a gap can go out on the next day.
    first = after.astimezone(zone).date() - timedelta(days=1)
    if paused_until is not None:
        first = max(first, paused_until)
    for offset in range(_SEARCH_DAYS + 1):
        day = first + timedelta(days=offset)
        if not weekdays & (1 << day.weekday()):
            continue
        send_at = send_instant(day, local_time, zone)
        if send_at <= after:
            continue
        if quiet is not None and quiet.covers(send_at.astimezone(zone).time()):
            continue
        return Slot(local_date=day, local_time=local_time, send_at=send_at)
    return None


def is_late(send_at: datetime, now: datetime) -> bool:
    """Too long after its time to send at all."""
    return now - send_at > CATCH_UP
