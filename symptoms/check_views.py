"""The quick check without an account: nothing is stored on the server."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.context_processors import REGION_COOKIE, region_for
from safety.red_flags import check_answers
from safety.regions import get_region
from safety.rules import LONG_PAIN_DAYS
from symptoms.forms import QuickCheckForm, RegionForm

REGION_COOKIE_SECONDS = 365 * 24 * 3600


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Quick check: no rows, no session. Signed out, the chosen region is kept in a
    cookie so the advice offers the right numbers; nothing else is kept."""
    signed_in = request.user.is_authenticated
    region = RegionForm(
        request.POST if request.method == "POST" else None,
        initial={"region": region_for(request).code},
    )
    form = QuickCheckForm(request.POST if request.method == "POST" else None)
    context = {"nav": "check", "form": form, "region_form": None if signed_in else region}
    if request.method != "POST":
        return render(request, "symptoms/check.html", context)
    region_ok = signed_in or region.is_valid()
    if not (form.is_valid() and region_ok):
        return render(request, "symptoms/check.html", context, status=400)
    pain = form.cleaned_data["pain"]
    days = form.cleaned_data["days_of_pain"]
    flags = check_answers(form.to_signs(timezone.localdate(), pain), days_of_pain=days)
    context.update(
        flags=flags,
        pain=pain,
        days_of_pain=days,
        days_until_two_weeks=max(0, LONG_PAIN_DAYS + 1 - days),
    )
    if not signed_in:
        # The advice below uses the region just chosen.
        context["care_region"] = get_region(region.cleaned_data["region"])
    response = render(request, "symptoms/check_result.html", context)
    response["Cache-Control"] = "no-store"
    if not signed_in:
        response.set_cookie(
            REGION_COOKIE,
            region.cleaned_data["region"],
            max_age=REGION_COOKIE_SECONDS,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response
