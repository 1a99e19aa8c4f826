from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from progress.today import today_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: Today (progress/today.py). Signed out: the introduction."""
    if request.user.is_authenticated:
        context = {"nav": "today", "home": today_for(request.user)}
        return render(request, "progress/today.html", context)
    return render(request, "home.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Plain health check for load balancers: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The site's one service worker (templates/sw.js), served from the root so its scope
    covers every page. Browsers check it for updates, so it is never cached long."""
    response = render(request, "sw.js", content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def bench_ok(request: HttpRequest) -> HttpResponse:
    """The ceiling for scripts/bench.py: the full middleware stack, no database, no template.

    Only routed when SPASMCARE_BENCH is on. /healthz is not used because it queries the
    database on every call.
    """
    return HttpResponse("ok\n", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the failure may be in a context processor.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
