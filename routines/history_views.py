"""The practice log: every session a person played, with pain before and after."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from routines import services
from routines.forms import OfflineFinishForm
from routines.models import Practice, Routine
from symptoms.services import zone_of
from symptoms.sync_views import device_uid, form_errors, refused, signed_in_only

HISTORY_PAGE_SIZE = 20


@login_required
@require_safe
def practice_list(request: HttpRequest) -> HttpResponse:
    practices = Practice.objects.for_owner(request.user).select_related("routine")
    page = Paginator(practices, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "routines/practice_list.html", {"nav": "routines", "page": page})


@never_cache
@signed_in_only
@require_http_methods(["POST"])
def practice_sync(request: HttpRequest) -> JsonResponse:
    """A practice finished offline (static/js/outbox.js), sent once: the phone's id
    (``uid``, the practice's own when it was started online) is the idempotency key."""
    answer = refused(request)
    if answer is not None:
        return answer
    uid = device_uid(request)
    form = OfflineFinishForm(request.POST, zone=zone_of(request.user))
    if not form.is_valid():
        return JsonResponse(form_errors(form), status=400)
    data = form.cleaned_data
    practice = Practice.objects.filter(owner=request.user, uid=uid).first()
    if practice is None:
        routine = Routine.objects.visible_to(request.user).filter(pk=data["routine"]).first()
        if routine is None:
            return JsonResponse(
                {"errors": {"routine": ["This session is not there any more."]}}, status=400
            )
        if data["pain_before"] is None or data["started_at"] is None:
            return JsonResponse(
                {"errors": {"pain_before": ["Pain before is missing."]}}, status=400
            )
        try:
            with transaction.atomic():
                practice = services.record_offline_practice(
                    routine=routine,
                    owner=request.user,
                    uid=uid,
                    pain_before=data["pain_before"],
                    started_at=data["started_at"],
                )
        except IntegrityError:
            practice = Practice.objects.get(owner=request.user, uid=uid)
    if practice.finished_at is None and practice.stopped_at is None:
        services.finish_practice(
            practice=practice,
            pain_after=data["pain_after"],
            note=data["note"],
            steps_completed=data["steps_completed"],
            now=data["finished_at"],
        )
        return JsonResponse(
            {"id": practice.pk, "uid": str(practice.uid), "created": True}, status=201
        )
    return JsonResponse({"id": practice.pk, "uid": str(practice.uid), "created": False})
