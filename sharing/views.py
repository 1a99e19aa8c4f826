"""Share links: the person's own page to make, list and revoke them, and the pages a
doctor opens with a link (no account needed)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.services import get_profile
from progress import report_pdf
from progress.summary import Span, chosen_span, summary_context
from sharing import ratelimit, services
from sharing.forms import ShareForm
from sharing.models import ShareLink, ShareOpening
from transfer import fhir

NEW_LINK_SESSION_KEY = "sharing_new_link"
LINKS_SHOWN = 20
OPENINGS_SHOWN = 10
TOO_MANY = "Too many requests for this link. Wait a minute, then try again."
Kind = ShareOpening.Kind


# The person's own page: make, list, revoke.


def _link_list(user, now) -> list[dict[str, Any]]:
    return [
        {
            "link": link,
            "state": link.state(now),
            "can_revoke": link.revoked_at is None and link.expires_at > now,
        }
        for link in ShareLink.objects.for_owner(user).listed(OPENINGS_SHOWN)[:LINKS_SHOWN]
    ]


def _new_link(request: HttpRequest) -> str:
    """The link made just before this page, shown once: only its hash is kept."""
    made = request.session.pop(NEW_LINK_SESSION_KEY, None)
    if not made or not ShareLink.objects.for_owner(request.user).filter(pk=made["pk"]).exists():
        return ""
    return request.build_absolute_uri(reverse("sharing:shared", args=[made["token"]]))


@login_required
@require_http_methods(["GET", "POST"])
def links(request: HttpRequest) -> HttpResponse:
    zone = get_profile(request.user).zone
    today = timezone.localdate(timezone=zone)
    now = timezone.now()
    status = 200
    if request.method == "POST":
        form = ShareForm(request.POST, user=request.user, today=today)
        if form.is_valid():
            data = form.cleaned_data
            link, token = services.create_link(
                owner=request.user,
                span=chosen_span(form, request.user, today),
                days=data["days"],
                max_openings=data["max_openings"],
                display_name=data["display_name"],
                allow_fhir=data["allow_fhir"],
                now=now,
            )
            request.session[NEW_LINK_SESSION_KEY] = {"pk": link.pk, "token": token}
            return redirect(reverse("sharing:links") + "#new-link")
        status = 400
    else:
        initial = {
            key: request.GET[key] for key in ("episode", "start", "end") if key in request.GET
        }
        form = ShareForm(initial=initial, user=request.user, today=today)
    context = {
        "nav": "progress",
        "form": form,
        "new_link_url": _new_link(request) if request.method == "GET" else "",
        "links": _link_list(request.user, now),
    }
    return render(request, "sharing/links.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=pk, owner=request.user)
    services.revoke(link, now=timezone.now())
    messages.success(
        request, "The link is switched off. Anyone who opens it now is told it is not available."
    )
    return redirect("sharing:links")


# What a doctor opens with a link.


def _private(response: HttpResponse) -> HttpResponse:
    """Kept out of search engines, referrers and caches."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _unavailable(request: HttpRequest) -> HttpResponse:
    """Unknown, expired, revoked or used up: one plain answer that tells them apart for
    nobody."""
    return _private(render(request, "sharing/unavailable.html", status=404))


def _open(request: HttpRequest, token: str, kind: str) -> ShareLink | HttpResponse:
    """The link, with this opening recorded; or the response that refuses it."""
    if not ratelimit.allowed(request, services.hash_token(token[:100])):
        response = _private(
            HttpResponse(TOO_MANY, status=429, content_type="text/plain; charset=utf-8")
        )
        response["Retry-After"] = str(ratelimit.PER_ADDRESS[1])
        return response
    link = services.open_link(
        token,
        kind=kind,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        visit=request.GET.get("visit", ""),
        now=timezone.now(),
    )
    return link if link is not None else _unavailable(request)


def _summary(link: ShareLink) -> dict[str, Any]:
    zone = get_profile(link.owner).zone
    episode = link.episode if link.episode and link.episode.deleted_at is None else None
    span = Span(episode, link.start_date, link.end_date)
    today = timezone.localdate(timezone=zone)
    return {
        **summary_context(link.owner, span, today=today, zone=zone),
        "person": link.display_name,
        "link": link,
        "zone": zone,
    }


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """The doctor summary for the link's period, read-only, with the PDF (and FHIR)."""
    link = _open(request, token, Kind.PAGE)
    if isinstance(link, HttpResponse):
        return link
    context = _summary(link)
    visit = urlencode({"visit": services.visit_stamp(link)})
    if report_pdf.available():
        pdf = reverse("sharing:shared_pdf", args=[token])
        context["pdf_links"] = [
            (label, f"{pdf}?paper={paper}&{visit}") for paper, label in report_pdf.PAPER_LABELS
        ]
    if link.allow_fhir:
        context["fhir_url"] = f"{reverse('sharing:shared_fhir', args=[token])}?{visit}"
    with timezone.override(context["zone"]):
        return _private(render(request, "sharing/shared.html", context))


@require_GET
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The same summary as a PDF file."""
    paper = request.GET.get("paper", "a4")
    if not report_pdf.available():
        return _private(report_pdf.unavailable_response())
    if paper not in report_pdf.PAPER_SIZES:
        return _private(
            HttpResponse(
                "Choose A4 or US Letter paper.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        )
    link = _open(request, token, Kind.PDF)
    if isinstance(link, HttpResponse):
        return link
    context = _summary(link)
    with timezone.override(context["zone"]):
        html = render_to_string("sharing/shared.html", {**context, "pdf": True}, request=request)
    filename = f"spasmcare-summary-{context['today']:%Y-%m-%d}.pdf"
    return _private(report_pdf.pdf_response(html, paper=paper, filename=filename))


@require_GET
def shared_fhir(request: HttpRequest, token: str) -> HttpResponse:
    """The link's period as a FHIR R4 Bundle, when the person allowed it."""
    link = _open(request, token, Kind.FHIR)
    if isinstance(link, HttpResponse):
        return link
    body = fhir.fhir_json(
        link.owner, start=link.start_date, end=link.end_date, name=link.display_name
    )
    response = HttpResponse(body, content_type=fhir.CONTENT_TYPE)
    filename = f"spasmcare-summary-fhir-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)
