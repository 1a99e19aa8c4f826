"""The progress page, and the one-page summary for a doctor (HTML and PDF)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.services import get_profile
from progress import insights, report_pdf
from progress.chart import build_chart
from progress.forms import DEFAULT_PERIOD, PERIODS, PeriodForm, ReportForm
from progress.queries import period_data, report_data
from symptoms.models import Episode


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    zone = get_profile(request.user).zone
    today = timezone.localdate(timezone=zone)
    form = PeriodForm(request.GET if "days" in request.GET else {"days": DEFAULT_PERIOD})
    days = form.cleaned_data["days"] if form.is_valid() else DEFAULT_PERIOD
    start = today - timedelta(days=days - 1)
    data = period_data(request.user, start, today, zone)
    episode = Episode.objects.for_owner(request.user).open().first()
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
    status = 200 if form.is_valid() else 400
    return render(request, "progress/progress.html", context, status=status)


def _summary_span(form: ReportForm, user, today: date) -> tuple[Episode | None, date, date]:
    """The episode (if any) and the first and last day the summary covers."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("start"):
        return None, data["start"], data["end"]
    episode = data.get("episode") or (
        Episode.objects.for_owner(user).open().first() or Episode.objects.for_owner(user).first()
    )
    if episode is None:
        return None, today - timedelta(days=DEFAULT_PERIOD - 1), today
    end = max(min(episode.resolved_on or today, today), episode.onset_date)
    return episode, episode.onset_date, end


def _report_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    zone = get_profile(request.user).zone
    today = timezone.localdate(timezone=zone)
    form = ReportForm(request.GET or None, user=request.user, today=today)
    status = 400 if form.is_bound and not form.is_valid() else 200
    episode, start, end = _summary_span(form, request.user, today)
    data = report_data(request.user, start, end, zone)
    chart = build_chart(
        start=data["chart_start"],
        end=end,
        daily=data["period"].daily,
        sessions=data["period"].sessions,
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


def _with(query, **extra: str) -> str:
    query = query.copy()
    for key, value in extra.items():
        query[key] = value
    return query.urlencode()


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    context, status = _report_context(request)
    if status == 200 and report_pdf.available():
        query = request.GET.copy()
        query.pop("paper", None)
        context["pdf_links"] = [
            (label, f"{reverse('progress:report_pdf')}?{_with(query, paper=paper)}")
            for paper, label in (("a4", "PDF, A4 paper"), ("letter", "PDF, US Letter paper"))
        ]
    return render(request, "progress/report.html", context, status=status)


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
        return render(request, "progress/report.html", context, status=status)
    html = render_to_string("progress/report.html", {**context, "pdf": True}, request=request)
    response = HttpResponse(
        report_pdf.render_pdf(html, paper=paper), content_type="application/pdf"
    )
    filename = f"spasmcare-summary-{context['today']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
