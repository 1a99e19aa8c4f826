import json
import zoneinfo

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from progress.today import today_for
from spasmcare import offline
from symptoms.forms import PainEntryForm

# The app's colours: the header's blue (light theme) and the page background.
THEME_COLOUR = "#1d4f6e"
BACKGROUND_COLOUR = "#ffffff"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: Today (progress/today.py). Signed out: the introduction."""
    if request.user.is_authenticated:
        home = today_for(request.user)
        # The banner's flags come with Today's own check (the context processor's
        # would read the same episode again).
        context = {"nav": "today", "home": home, "banner_flags": home.banner}
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
    # JSON inside JavaScript: json.dumps escapes quotes; "<" never matters in a script file.
    context = {"offline_json": json.dumps(offline.manifest())}
    response = render(request, "sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a phone needs to add SpasmCare to its home screen."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    data = {
        "id": "/",
        "name": "SpasmCare",
        "short_name": "SpasmCare",
        "description": "Gentle stretches, a pain log and clear advice on when to see a "
        "doctor, for people with lower back spasms.",
        "lang": "en-GB",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def offline_page(request: HttpRequest) -> HttpResponse:
    """What works without a connection (the service worker shows it for a page it does
    not keep). Kept signed out, so it holds nothing personal."""
    form = PainEntryForm(zone=zoneinfo.ZoneInfo("UTC"))
    form.initial["recorded_at"] = None  # filled in on the phone when the entry is made
    return render(request, "offline.html", {"nav": "offline", "form": form})


@require_safe
def install(request: HttpRequest) -> HttpResponse:
    """How to add SpasmCare to a phone's home screen or a computer."""
    return render(request, "install.html", {"nav": "install"})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a request context: the failure may be in a context processor.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
