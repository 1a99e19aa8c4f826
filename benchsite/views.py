"""The ceilings scripts/bench.py compares the real pages with, on the same settings,
middleware and gunicorn: the bare view (no database, no template), a minimal signed-in
page showing 20 rows, and a minimal signed-in ModelForm post."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from benchsite.models import Reading

ROWS_SHOWN = 20


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
def add(request: HttpRequest) -> HttpResponse:
    """Save one row and go back to the list (the form again, 400, if invalid)."""
    form = ReadingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reading = form.save(commit=False)
        reading.owner = request.user
        reading.save()
        return redirect("bench_latest")
    status = 400 if request.method == "POST" else 200
    return render(request, "benchsite/add.html", {"form": form}, status=status)
