"""The practice log: every session a person played, with pain before and after."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from routines.models import Practice

HISTORY_PAGE_SIZE = 20


@login_required
@require_safe
def practice_list(request: HttpRequest) -> HttpResponse:
    practices = Practice.objects.for_owner(request.user).select_related("routine")
    page = Paginator(practices, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "routines/practice_list.html", {"nav": "routines", "page": page})
