"""The doctor summary, built from an owner and a span of days, never from a request.

The person's own summary page (progress.views) and a share link (sharing.views) show
the same context: only who asks and how the span was chosen differ.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from progress.chart import build_chart
from progress.forms import DEFAULT_PERIOD, ReportForm
from progress.queries import report_data
from symptoms.models import Episode


@dataclass(frozen=True)
class Span:
    """The days a summary covers, and the episode they belong to (if one was chosen)."""

    episode: Episode | None
    start: date
    end: date


def episode_span(episode: Episode, today: date) -> Span:
    end = max(min(episode.resolved_on or today, today), episode.onset_date)
    return Span(episode, episode.onset_date, end)


def default_span(owner, today: date) -> Span:
    """The open episode, else the latest one, else the last DEFAULT_PERIOD days."""
    episodes = Episode.objects.for_owner(owner)
    episode = episodes.open().first() or episodes.first()
    if episode is None:
        return Span(None, today - timedelta(days=DEFAULT_PERIOD - 1), today)
    return episode_span(episode, today)


def chosen_span(form: ReportForm, owner, today: date) -> Span:
    """What a ReportForm (or a form built on it) asks for; its default when unbound or
    invalid."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("start"):
        return Span(None, data["start"], data["end"])
    if data.get("episode"):
        return episode_span(data["episode"], today)
    return default_span(owner, today)


def summary_context(owner, span: Span, *, today: date, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """Everything templates/progress/summary.html shows about ``owner`` over ``span``.

    Nothing that names the person: the caller adds ``person`` if it should be shown.
    """
    episode, start, end = span.episode, span.start, span.end
    data = report_data(owner, start, end, zone)
    chart = build_chart(
        start=data["chart_start"],
        end=end,
        daily=data["period"].daily,
        sessions=data["period"].sessions,
        onset=episode.onset_date if episode else None,
        chart_id="report-chart",
    )
    return {
        "episode": episode,
        "start": start,
        "end": end,
        "today": today,
        "days_since_onset": (today - episode.onset_date).days if episode else None,
        "episode_days": ((episode.resolved_on - episode.onset_date).days + 1)
        if episode and episode.resolved_on
        else None,
        "chart": chart.render(table="details"),
        "chart_is_partial": data["chart_start"] > start,
        "chart_days": (end - data["chart_start"]).days + 1,
        "period_days": (end - start).days + 1,
        **data,
    }
