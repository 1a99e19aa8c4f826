"""Dates as SpasmCare writes them: "3 March 2026", "3 Mar". No locale, no leading zero."""

from __future__ import annotations

from datetime import date, datetime


def long_day(day: date) -> str:
    """3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def short_day(day: date) -> str:
    """3 Mar."""
    return f"{day.day} {day:%b}"


def short_day_year(day: date) -> str:
    """3 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


def weekday_day_time(moment: datetime) -> str:
    """Tuesday 3 March 2026, 09:05 (``moment`` already in the person's zone)."""
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"


def day_month_year_time(moment: datetime) -> str:
    """3 Mar 2026, 09:05 (``moment`` already in the person's zone)."""
    return f"{moment.day} {moment:%b %Y, %H:%M}"
