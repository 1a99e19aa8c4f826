"""Whole-page cache for signed-out visitors on the public content pages.

Stretch and guide pages are the same for everyone who is not signed in, and they are
most of the traffic. The middleware sits last in MIDDLEWARE, so a cached page still
passes through every other middleware on the way out: the security headers and the
Content-Security-Policy header are made fresh for each response. It only stores a page
that used no CSP nonce, no CSRF token and set no cookie, so a cached page never carries
a value that belongs to one visitor.

Pages are stored in the default cache (Redis when REDIS_URL is set, shared by all app
servers) under "page:<path>" for PAGE_CACHE_SECONDS (0 turns the cache off), and each
worker keeps its own copy for PAGE_CACHE_LOCAL_SECONDS (a few seconds) so the hottest
pages skip even the Redis round trip. Saving or deleting content (admin, load_content)
deletes the shared keys and this process's copies (see spasmcare.apps); other workers
drop theirs within PAGE_CACHE_LOCAL_SECONDS.
"""

import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

# View names whose signed-out GET responses may be cached.
CACHED_VIEWS = frozenset(
    {
        "home",
        "routines:stretch_list",
        "routines:stretch_detail",
        "routines:guide_index",
        "routines:guide_page",
    }
)
KEY_PREFIX = "page:"
MESSAGES_COOKIE = "messages"
LOCAL_MAX_PAGES = 500

# key -> (expires at, monotonic clock; content; content type)
_local: dict[str, tuple[float, bytes, str]] = {}


def _local_get(key: str) -> tuple[bytes, str] | None:
    item = _local.get(key)
    if item is None or item[0] < time.monotonic():
        return None
    return item[1], item[2]


def _local_set(key: str, content: bytes, content_type: str) -> None:
    seconds = settings.PAGE_CACHE_LOCAL_SECONDS
    if seconds <= 0:
        return
    if len(_local) >= LOCAL_MAX_PAGES:
        _local.clear()
    _local[key] = (time.monotonic() + seconds, content, content_type)


def page_key(path: str) -> str:
    return f"{KEY_PREFIX}{path}"


def is_cacheable_request(request: HttpRequest) -> bool:
    """A signed-out GET with no query string, no session and no pending messages."""
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    if request.META.get("QUERY_STRING"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def is_storable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token
    if getattr(request, "_csp_nonce", None):
        return False  # the page holds this response's CSP nonce
    if getattr(request, "session", None) is not None and request.session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key and request.method == "GET" and is_storable_response(request, response):
            content, content_type = response.content, response["Content-Type"]
            cache.set(key, (content, content_type), settings.PAGE_CACHE_SECONDS)
            _local_set(key, content, content_type)
        if key:
            response.headers.setdefault("Vary", "Cookie")
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in CACHED_VIEWS:
            return None
        if not is_cacheable_request(request):
            return None
        key = page_key(request.path)
        hit = _local_get(key)
        if hit is None:
            hit = cache.get(key)
            if hit is not None:
                _local_set(key, *hit)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["Vary"] = "Cookie"
            return response
        request._page_cache_key = key
        return None


def content_paths() -> set[str]:
    """Every path whose cached page shows stretch, guide or starter-session content."""
    from routines.models import GuidePage, Stretch

    paths: set[str] = set()
    for name in ("home", "routines:stretch_list", "routines:guide_index"):
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    for view_name, model in (
        ("routines:stretch_detail", Stretch),
        ("routines:guide_page", GuidePage),
    ):
        for slug in model.objects.values_list("slug", flat=True):
            try:
                paths.add(reverse(view_name, args=[slug]))
            except NoReverseMatch:
                continue
    return paths


def clear_page_cache(extra_paths: set[str] | None = None) -> None:
    _local.clear()
    paths = content_paths() | (extra_paths or set())
    cache.delete_many([page_key(path) for path in paths])


# --- a signed-in person's own pages ---------------------------------------------------
#
# The pain log, progress and practice history are re-read far more often than they
# change, and only ever change through that person's own POSTs (no state change on
# GET). Each is cached per person, in the shared cache only (REDIS_URL; with a
# per-process cache another worker could show a page from before a write). A stored
# page is used only for the same CSRF cookie (its forms carry a token made from it) and
# the same local date (day counts, periods ending today). Every non-GET request by the
# person, and any save or delete of their data elsewhere (admin, commands), deletes
# their pages; PERSONAL_PAGE_CACHE_SECONDS bounds anything missed.

PERSONAL_VIEWS = {
    "symptoms:entry_list": frozenset(),
    "symptoms:progress": frozenset({"days=14", "days=30", "days=90"}),
    "routines:practice_list": frozenset(),
}


def personal_key(user_id: int, path: str, query: str) -> str:
    return f"ppage:{user_id}:{path}?{query}"


def personal_keys(user_id: int) -> list[str]:
    keys = []
    for view_name, queries in PERSONAL_VIEWS.items():
        try:
            path = reverse(view_name)
        except NoReverseMatch:
            continue
        keys += [personal_key(user_id, path, query) for query in ("", *queries)]
    return keys


# The person whose POST is being handled: their pages are dropped once, after the
# response, so saves during the request need not drop them again.
_request_writer: ContextVar[int | None] = ContextVar("request_writer", default=None)


def clear_personal_pages(user_id: int | None, *, from_signal: bool = False) -> None:
    if user_id is None or not settings.PERSONAL_PAGE_CACHE_SECONDS:
        return
    if from_signal and user_id == _request_writer.get():
        return
    cache.delete_many(personal_keys(user_id))


class PersonalPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PERSONAL_PAGE_CACHE_SECONDS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            user = getattr(request, "user", None)
            writer = user.pk if user is not None and user.is_authenticated else None
            token = _request_writer.set(writer)
            try:
                return self.get_response(request)
            finally:
                _request_writer.reset(token)
                # Also after a log-in or log-out: whoever is signed in now.
                after = getattr(request, "user", None)
                for user_id in {writer, after.pk if after is not None else None}:
                    clear_personal_pages(user_id)
        response = self.get_response(request)
        key = getattr(request, "_personal_key", None)
        if key and request.method == "GET" and self.storable(request, response):
            cache.set(
                key,
                {
                    "csrf": request.COOKIES[settings.CSRF_COOKIE_NAME],
                    "day": request._personal_day,
                    "content": response.content,
                    "type": response["Content-Type"],
                },
                settings.PERSONAL_PAGE_CACHE_SECONDS,
            )
        return response

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "_csp_nonce", None):
            return False
        if request.META.get("CSRF_COOKIE") != request.COOKIES.get(settings.CSRF_COOKIE_NAME):
            return False  # a new CSRF secret: the page's tokens would not match the cookie
        if request.session.modified:
            return False
        return "no-store" not in response.get("Cache-Control", "")

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.PERSONAL_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in PERSONAL_VIEWS:
            return None
        query = request.META.get("QUERY_STRING", "")
        if query and query not in PERSONAL_VIEWS[match.view_name]:
            return None
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if not csrf or MESSAGES_COOKIE in request.COOKIES or not request.user.is_authenticated:
            return None
        from django.utils import timezone

        key = personal_key(request.user.pk, request.path, query)
        day = timezone.localdate().isoformat()  # in the person's zone (TimeZoneMiddleware)
        hit = cache.get(key)
        if hit is not None and hit["csrf"] == csrf and hit["day"] == day:
            return HttpResponse(hit["content"], content_type=hit["type"])
        request._personal_key = key
        request._personal_day = day
        return None
