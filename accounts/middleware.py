from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.services import get_profile


class TimeZoneMiddleware:
    """Show dates and times in the signed-in person's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(get_profile(user).zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PrivatePagesMiddleware:
    """Every response to a signed-in person says `Cache-Control: private, no-store`.

    Their pages and downloads hold health data: no shared cache (a proxy, a CDN) may keep
    them, and the browser keeps no copy on disk once the tab is closed. Signed-out
    content pages are unaffected (routines/page_cache.py caches those).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            cache_control = response.get("Cache-Control", "")
            if "private" not in cache_control or "no-store" not in cache_control:
                response["Cache-Control"] = "private, no-store"
        return response
