"""The progress page, and the one-page summary for a doctor (HTML and PDF)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.services import get_profile
from progress import insights, report_pdf, summary
from progress.chart import build_chart
from progress.forms import DEFAULT_PERIOD, PERIODS, PeriodForm, ReportForm
from progress.queries import period_data
from symptoms.services import open_episode


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    zone = get_profile(request.user).zone
    today = timezone.localdate(timezone=zone)
    form = PeriodForm(request.GET if "days" in request.GET else {"days": DEFAULT_PERIOD})
    days = form.cleaned_data["days"] if form.is_valid() else DEFAULT_PERIOD
    start = today - timedelta(days=days - 1)
    data = period_data(request.user, start, today, zone)
    episode = open_episode(request.user)
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
            locations=data.locations,
        ),
    }
    status = 200 if form.is_valid() else 400
    return render(request, "progress/progress.html", context, status=status)


def _report_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    zone = get_profile(request.user).zone
    today = timezone.localdate(timezone=zone)
    form = ReportForm(request.GET or None, user=request.user, today=today)
    status = 400 if form.is_bound and not form.is_valid() else 200
    span = summary.chosen_span(form, request.user, today)
    context = {
        **summary.summary_context(request.user, span, today=today, zone=zone),
        "nav": "progress",
        "form": form,
        "person": request.user.get_full_name() or request.user.get_username(),
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
            for paper, label in report_pdf.PAPER_LABELS
        ]
    return render(request, "progress/report.html", context, status=status)


@login_required
@require_GET
def report_as_pdf(request: HttpRequest) -> HttpResponse:
    """The same summary as a PDF file (WeasyPrint), A4 or US Letter."""
    if not report_pdf.available():
        return report_pdf.unavailable_response()
    paper = request.GET.get("paper", "a4")
    context, status = _report_context(request)
    if paper not in report_pdf.PAPER_SIZES:
        status = 400
        context["form"].add_error(None, "Choose A4 or US Letter paper.")
    if status != 200:
        return render(request, "progress/report.html", context, status=status)
    html = render_to_string("progress/report.html", {**context, "pdf": True}, request=request)
    filename = f"spasmcare-summary-{context['today']:%Y-%m-%d}.pdf"
    return report_pdf.pdf_response(html, paper=paper, filename=filename)
