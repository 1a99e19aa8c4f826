"""Progress page and the one-page summary for a doctor.

Every number is aggregated in the database with a fixed number of queries, whatever
the amount of data: worst pain per day with values().annotate(Max), practices grouped
per routine and per day. Pure wording lives in symptoms/insights.py, geometry in
symptoms/chart.py.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.services import get_profile
from routines.models import Practice
from symptoms import insights, report_pdf
from symptoms.chart import build_chart
from symptoms.models import Episode, FlagAcknowledgement, PainEntry
from symptoms.red_flags import Signs, check_episode

PERIODS = (14, 30, 90)
DEFAULT_PERIOD = 30
# The summary's chart shows at most this many days (the end of the range).
REPORT_CHART_DAYS = 90
REPORT_NOTES = 8
REPORT_MAX_DAYS = 366 * 5

SIGN_FIELDS = (
    "leg_symptoms",
    "saddle_numbness",
    "bladder_bowel",
    "after_fall",
    "fever_or_weight_loss",
)


# ---------------------------------------------------------------------------- data


def _bounds(start: date, end: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """Aware datetimes from the start of ``start`` to the end of ``end`` in ``zone``."""
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def daily_worst(user, start: date, end: date) -> dict[date, int]:
    """Worst pain per local date: one GROUP BY query."""
    rows = (
        PainEntry.objects.filter(owner=user, local_date__range=(start, end))
        .order_by()
        .values("local_date")
        .annotate(worst=Max("pain"))
        .values_list("local_date", "worst")
    )
    return dict(rows)


def practices_in(user, start: date, end: date, zone: zoneinfo.ZoneInfo):
    low, high = _bounds(start, end, zone)
    return Practice.objects.filter(owner=user, started_at__gte=low, started_at__lt=high).order_by()


def practice_groups(practices) -> list[insights.PracticeGroup]:
    """One row per routine: played, rated, total change, meaningful drops."""
    rows = practices.values("routine_name").annotate(
        played=Count("pk"),
        rated=Count("pain_after"),
        change_total=Sum(F("pain_after") - F("pain_before")),
        meaningful=Count(
            "pk",
            filter=Q(
                pain_after__isnull=False,
                pain_before__gte=F("pain_after") + insights.MEANINGFUL_DROP,
            ),
        ),
    )
    return [
        insights.PracticeGroup(
            name=row["routine_name"],
            played=row["played"],
            rated=row["rated"],
            change_total=row["change_total"] or 0,
            meaningful=row["meaningful"],
        )
        for row in rows
    ]


def sessions_per_day(practices, zone: zoneinfo.ZoneInfo) -> dict[date, int]:
    rows = (
        practices.annotate(day=TruncDate("started_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return dict(rows)


@dataclass
class PeriodData:
    start: date
    end: date
    daily: dict[date, int]
    sessions: dict[date, int]
    overall: insights.Effect
    per_routine: list[insights.Effect]
    triggers: list[insights.Count]
    reliefs: list[insights.Count]
    entries: int


def period_data(user, start: date, end: date, zone: zoneinfo.ZoneInfo) -> PeriodData:
    """Four queries, whatever the amount of data."""
    daily = daily_worst(user, start, end)
    practices = practices_in(user, start, end, zone)
    overall, per_routine = insights.practice_effects(practice_groups(practices))
    sessions = sessions_per_day(practices, zone)
    codes = list(
        PainEntry.objects.filter(owner=user, local_date__range=(start, end))
        .order_by()
        .values_list("triggers", "reliefs")
    )
    return PeriodData(
        start=start,
        end=end,
        daily=daily,
        sessions=sessions,
        overall=overall,
        per_routine=per_routine,
        triggers=insights.trigger_counts((t for t, _ in codes), entries=len(codes)),
        reliefs=insights.relief_counts((r for _, r in codes), entries=len(codes)),
        entries=len(codes),
    )


# ---------------------------------------------------------------------------- progress


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Show the last",
        choices=[(n, f"{n} days") for n in PERIODS],
        coerce=int,
        widget=forms.RadioSelect,
    )


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    zone = get_profile(request.user).zone
    today = timezone.localdate(timezone=zone)
    form = PeriodForm(request.GET if "days" in request.GET else {"days": DEFAULT_PERIOD})
    days = form.cleaned_data["days"] if form.is_valid() else DEFAULT_PERIOD
    start = today - timedelta(days=days - 1)
    data = period_data(request.user, start, today, zone)
    episode = Episode.objects.filter(owner=request.user).open().first()
    chart = build_chart(
        start=start,
        end=today,
        daily=data.daily,
        sessions=data.sessions,
        onset=episode.onset_date if episode else None,
    )
    context = {
        "nav": "progress",
        "form": form,
        "days": days,
        "periods": PERIODS,
        "data": data,
        "chart": chart.render(table="details"),
        "episode": episode,
        "findings": insights.findings(
            start=start,
            end=today,
            daily=data.daily,
            entries=data.entries,
            overall=data.overall,
            per_routine=data.per_routine,
            triggers=data.triggers,
            reliefs=data.reliefs,
        ),
    }
    return render(
        request, "symptoms/progress.html", context, status=200 if form.is_valid() else 400
    )


# ---------------------------------------------------------------------------- report


class ReportForm(forms.Form):
    episode = forms.ModelChoiceField(
        queryset=Episode.objects.none(),
        required=False,
        label="Episode",
        empty_label="The open or latest episode",
    )
    start = forms.DateField(
        required=False,
        label="Or from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Use a date range instead of an episode.",
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["episode"].queryset = Episode.objects.filter(owner=user)
        self.fields["episode"].label_from_instance = _episode_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not start:
                self.add_error("start", "Enter the first day of the range.")
            elif not end:
                self.add_error("end", "Enter the last day of the range.")
            elif end < start:
                self.add_error("end", "The last day must be on or after the first day.")
            elif end > self.today:
                self.add_error("end", "The last day cannot be in the future.")
            elif (end - start).days > REPORT_MAX_DAYS:
                self.add_error("start", "Choose a range of at most five years.")
        return data


def _short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _episode_label(episode: Episode) -> str:
    if episode.resolved_on:
        return f"{_short_date(episode.onset_date)} to {_short_date(episode.resolved_on)}"
    return f"{_short_date(episode.onset_date)} (open)"


def _flags(user, rows: list[tuple], episode_ids: set[int]) -> list[dict[str, Any]]:
    """Every warning sign reported in the range, per episode, with its seen status.

    check_episode() lists nothing for a resolved episode (nothing is left to act on);
    a summary for a doctor needs the history, so each episode is checked as if open.
    """
    episodes = dict(
        Episode.objects.filter(owner=user, pk__in=episode_ids).values_list("pk", "onset_date")
    )
    acks: dict[int, dict[str, datetime]] = defaultdict(dict)
    for episode_id, code, seen_at in FlagAcknowledgement.objects.filter(
        owner=user, episode_id__in=episode_ids
    ).values_list("episode_id", "code", "seen_at"):
        acks[episode_id][code] = seen_at
    signs: dict[int, list[Signs]] = defaultdict(list)
    for episode_id, day, pain, *answers in rows:
        signs[episode_id].append(Signs(day, pain, *answers))
    result = []
    for episode_id, onset in sorted(episodes.items(), key=lambda item: item[1]):
        for flag in check_episode(
            onset=onset,
            resolved_on=None,
            entries=signs[episode_id],
            acknowledged=acks[episode_id].keys(),
        ):
            result.append({"flag": flag, "seen_at": acks[episode_id].get(flag.code)})
    return result


def report_data(user, start: date, end: date, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """Everything on the summary page, in a fixed number of queries."""
    data = period_data(user, start, end, zone)
    entries = PainEntry.objects.filter(owner=user, local_date__range=(start, end)).order_by()
    stats = entries.aggregate(
        average=Avg("pain"), count=Count("pk"), notes=Count("pk", filter=~Q(note=""))
    )
    latest = entries.order_by("-recorded_at", "-pk").values_list("pain", "recorded_at").first()
    sign_rows = list(
        entries.values_list("episode_id", "local_date", "pain", *SIGN_FIELDS).order_by(
            "local_date", "pk"
        )
    )
    noted = entries.exclude(note="")
    notes = list(
        noted.order_by("-recorded_at", "-pk").values("local_date", "pain", "note")[:REPORT_NOTES]
    )
    chart_start = max(start, end - timedelta(days=REPORT_CHART_DAYS - 1))
    return {
        "period": data,
        "pain": insights.pain_summary(
            data.daily, latest=latest[0] if latest else None, average=stats["average"]
        ),
        "latest_at": latest[1] if latest else None,
        "entries_count": stats["count"],
        "flags": _flags(user, sign_rows, {row[0] for row in sign_rows}),
        "notes": notes,
        "notes_total": stats["notes"],
        "chart_start": chart_start,
    }


def _report_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    zone = get_profile(request.user).zone
    today = timezone.localdate(timezone=zone)
    form = ReportForm(request.GET or None, user=request.user, today=today)
    status = 200
    episode: Episode | None = None
    start = end = None
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and form.cleaned_data.get("start"):
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif form.is_bound and form.cleaned_data.get("episode"):
        episode = form.cleaned_data["episode"]
    if start is None and episode is None:
        episode = (
            Episode.objects.filter(owner=request.user).open().first()
            or Episode.objects.filter(owner=request.user).first()
        )
    if episode is not None and start is None:
        start = episode.onset_date
        end = min(episode.resolved_on or today, today)
        end = max(end, start)
    elif start is None:
        start, end = today - timedelta(days=DEFAULT_PERIOD - 1), today

    data = report_data(request.user, start, end, zone)
    period = data["period"]
    chart = build_chart(
        start=data["chart_start"],
        end=end,
        daily=period.daily,
        sessions=period.sessions,
        onset=episode.onset_date if episode else None,
        chart_id="report-chart",
    )
    context = {
        "nav": "progress",
        "form": form,
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
        "person": request.user.get_full_name() or request.user.get_username(),
        **data,
    }
    return context, status


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    context, status = _report_context(request)
    if status == 200 and report_pdf.available():
        query = request.GET.copy()
        query.pop("paper", None)
        context["pdf_links"] = [
            (label, f"{reverse('symptoms:report_pdf')}?{_with(query, paper=paper)}")
            for paper, label in (("a4", "PDF, A4 paper"), ("letter", "PDF, US Letter paper"))
        ]
    return render(request, "symptoms/report.html", context, status=status)


def _with(query, **extra: str) -> str:
    query = query.copy()
    for key, value in extra.items():
        query[key] = value
    return query.urlencode()


@login_required
@require_GET
def report_as_pdf(request: HttpRequest) -> HttpResponse:
    """The same summary as a PDF file (WeasyPrint), A4 or US Letter."""
    if not report_pdf.available():
        return HttpResponse(
            "PDF files cannot be made on this server. Print the summary from your browser.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    paper = request.GET.get("paper", "a4")
    context, status = _report_context(request)
    if paper not in report_pdf.PAPER_SIZES:
        status = 400
        context["form"].add_error(None, "Choose A4 or US Letter paper.")
    if status != 200:
        return render(request, "symptoms/report.html", context, status=status)
    html = render_to_string("symptoms/report.html", {**context, "pdf": True}, request=request)
    response = HttpResponse(
        report_pdf.render_pdf(html, paper=paper), content_type="application/pdf"
    )
    filename = f"spasmcare-summary-{context['today']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
