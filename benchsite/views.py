"""The ceilings scripts/bench.py compares the real pages with, on the same settings,
middleware and gunicorn: the bare view (no database, no template), a minimal signed-in
page showing 20 rows, and a minimal signed-in ModelForm post; plus a reference post, the
ceiling post with two small reads, which shows what reads alone cost next to it."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from benchsite.models import Reading

ROWS_SHOWN = 20
ROWS_CHECKED = 5


def bench_ok(request: HttpRequest) -> HttpResponse:
    """The full middleware stack, no database, no template (/healthz queries)."""
    return HttpResponse("ok\n", content_type="text/plain")


class ReadingForm(forms.ModelForm):
    class Meta:
        model = Reading
        fields = ["date", "score", "note"]


@login_required
def latest(request: HttpRequest) -> HttpResponse:
    """The signed-in person's 20 latest rows in the site's layout."""
    rows = Reading.objects.filter(owner=request.user).order_by("-date", "-pk")[:ROWS_SHOWN]
    return render(request, "benchsite/latest.html", {"rows": rows})


@login_required
def add(request: HttpRequest, *, reads: bool = False) -> HttpResponse:
    """Save one row and go back to the list (the form again, 400, if invalid).

    With ``reads`` (the reference post), two small indexed reads as well, the least a
    save that files a row somewhere and then checks the person's recent rows must do:
    the person's latest row, read in the saving transaction, and their few latest rows
    after it. The pain-entry post does that much and more (its episode, its warning-sign
    check), so this shows how near any such post can come to the ceiling post.
    """
    form = ReadingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reading = form.save(commit=False)
        reading.owner = request.user
        if reads:
            mine = Reading.objects.filter(owner=request.user).order_by("-date")
            with transaction.atomic():
                mine.first()
                reading.save()
            list(mine[:ROWS_CHECKED])
        else:
            reading.save()
        return redirect("bench_latest")
    status = 400 if request.method == "POST" else 200
    return render(request, "benchsite/add.html", {"form": form}, status=status)
