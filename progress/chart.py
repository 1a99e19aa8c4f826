"""The daily pain chart: a small, accessible SVG line chart drawn on the server.

Why hand-made rather than a charting library: one line chart needs ~100 lines of
geometry; pygal (the light option) writes an inline <style> element and tooltips
script that the strict Content-Security-Policy would block, and does not give the SVG
an accessible name and description the way we want. Here the SVG carries role="img",
<title> and <desc>, has no style="" (CSP), works without JavaScript and in print, and
the same numbers follow in a table.

Colours: each part has a class that static/css/progress.css colours from the light or
dark theme; the light colours are also presentation attributes, which is what the PDF
shows (WeasyPrint does not apply the page's CSS inside an inline SVG).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from safety.dates import long_day, short_day, short_day_year
from safety.pain import PAIN_MAX

WIDTH = 600
# Room for the larger text of a phone (static/css/progress.css): "10" on the left,
# the axis title above the plot.
HEIGHT = 286
LEFT = 46
RIGHT = 12
TOP = 44
PLOT_BOTTOM = 226  # y of pain 0
MARKER_Y = 236  # top of the session markers row
LABEL_Y = 276  # baseline of the date labels
MAX_X_LABELS = 6
FONT_SIZE = 14
POINT_RADIUS = 4.5


@dataclass(frozen=True)
class Point:
    day: date
    pain: int
    x: float
    y: float

    @property
    def label(self) -> str:
        return f"{long_day(self.day)}: worst pain {self.pain} out of 10"

    @property
    def cx(self) -> str:
        return f"{self.x:.1f}"

    @property
    def cy(self) -> str:
        return f"{self.y:.1f}"


@dataclass(frozen=True)
class Marker:
    day: date
    x: float
    count: int
    half_width: float = 6.0

    @property
    def path(self) -> str:
        """A small upward triangle under the day."""
        w = self.half_width
        return f"M{self.x:.1f} {MARKER_Y} l{-w:.1f} 11 h{2 * w:.1f} z"

    @property
    def label(self) -> str:
        times = "1 session" if self.count == 1 else f"{self.count} sessions"
        return f"{long_day(self.day)}: {times} played"


@dataclass(frozen=True)
class Row:
    day: date
    pain: int | None
    sessions: int

    @property
    def label(self) -> str:
        return short_day_year(self.day)


@dataclass
class Chart:
    start: date
    end: date
    id: str
    title: str
    desc: str
    points: list[Point]
    markers: list[Marker]
    line: str  # SVG path data; breaks where days are missing
    radius: float
    onset: date | None
    onset_x: float | None
    y_ticks: list[tuple[int, str]]  # (pain, y as "%.1f")
    x_ticks: list[tuple[str, str]]  # (label, x as "%.1f")
    rows: list[Row] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    font_size: int = FONT_SIZE
    label_y: int = LABEL_Y
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = PLOT_BOTTOM

    def render(self, *, table: str = "open") -> SafeString:
        """SVG plus the table; ``table`` is "open", "details" (collapsed) or "none"."""
        values = {"chart": self, "table_mode": table}
        # Jinja2 escapes what it writes.
        return SafeString(render_to_string("progress/pain_chart.html", values, using="jinja2"))


def _describe(
    start: date,
    end: date,
    points: list[Point],
    markers: list[Marker],
    onset: date | None,
) -> str:
    days = (end - start).days + 1
    parts = [f"{len(points)} of {days} days have a pain score."]
    if points:
        high = max(points, key=lambda p: (p.pain, p.day))
        low = min(points, key=lambda p: (p.pain, p.day))
        parts.append(
            f"Highest {high.pain} on {long_day(high.day)}; lowest {low.pain} on "
            f"{long_day(low.day)}; latest {points[-1].pain} on {long_day(points[-1].day)}."
        )
        if len(points) >= 2:
            first, last = points[0].pain, points[-1].pain
            trend = "went down" if last < first else "went up" if last > first else "was level"
            parts.append(f"From the first to the latest score, pain {trend} ({first} to {last}).")
    if markers:
        parts.append(
            f"Sessions were played on {len(markers)} day{'s' if len(markers) != 1 else ''}, "
            "marked with triangles under the dates."
        )
    else:
        parts.append("No sessions were played in this period.")
    if onset is not None:
        if start <= onset <= end:
            parts.append(f"The episode started on {long_day(onset)}, marked with a dashed line.")
        elif onset < start:
            parts.append(f"The episode started before this period, on {long_day(onset)}.")
    return " ".join(parts)


def build_chart(
    *,
    start: date,
    end: date,
    daily: Mapping[date, int],
    sessions: Mapping[date, int],
    onset: date | None = None,
    chart_id: str = "pain-chart",
) -> Chart:
    """Geometry for worst pain per day between ``start`` and ``end`` (inclusive)."""
    if end < start:
        raise ValueError("end is before start")
    days = (end - start).days + 1
    band = (WIDTH - RIGHT - LEFT) / days

    def x_of(day: date) -> float:
        return LEFT + ((day - start).days + 0.5) * band

    def y_of(pain: int) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - TOP) * pain / PAIN_MAX

    in_range = sorted(d for d in daily if start <= d <= end)
    points = [Point(day=d, pain=daily[d], x=x_of(d), y=y_of(daily[d])) for d in in_range]

    segments: list[str] = []
    previous: Point | None = None
    for point in points:
        joined = previous is not None and (point.day - previous.day).days == 1
        segments.append(f"{'L' if joined else 'M'}{point.x:.1f} {point.y:.1f}")
        previous = point
    markers = [
        Marker(day=d, x=x_of(d), count=sessions[d], half_width=min(6.0, band * 0.45))
        for d in sorted(sessions)
        if start <= d <= end and sessions[d]
    ]

    step = max(1, math.ceil(days / MAX_X_LABELS))
    x_ticks = [
        (short_day(start + timedelta(days=i)), f"{x_of(start + timedelta(days=i)):.1f}")
        for i in range(0, days, step)
    ]
    y_ticks = [(value, f"{y_of(value):.1f}") for value in range(0, PAIN_MAX + 1, 2)]

    title = f"Worst pain each day, {long_day(start)} to {long_day(end)}"
    onset_shown = onset if onset is not None and start <= onset <= end else None
    rows_days = sorted(set(in_range) | {m.day for m in markers})
    return Chart(
        start=start,
        end=end,
        id=chart_id,
        title=title,
        desc=_describe(start, end, points, markers, onset),
        points=points,
        markers=markers,
        line=" ".join(segments),
        radius=round(min(POINT_RADIUS, max(1.5, band * 0.36)), 1),
        onset=onset,
        onset_x=x_of(onset_shown) if onset_shown else None,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        rows=[Row(day=d, pain=daily.get(d), sessions=sessions.get(d, 0)) for d in rows_days],
    )
