"""Whole-page cache for signed-out visitors on the public content pages.

Stretch and guide pages are the same for everyone who is not signed in, and they are
most of the traffic. The middleware sits last in MIDDLEWARE, so a cached page still
passes through every other middleware on the way out: the security headers and the
Content-Security-Policy header are made fresh for each response. It only stores a page
that used no CSP nonce, no CSRF token and set no cookie, so a cached page never carries
a value that belongs to one visitor.

Pages are stored in Django's default cache (Redis when REDIS_URL is set, shared by all
app servers) under "page:<path>" for PAGE_CACHE_SECONDS (0 turns the cache off), and
each process keeps the ones it serves in its own memory (the "pages" cache) for
LOCAL_SECONDS: a read from Redis cost about 0.2 ms of a 0.9 ms request (a new client
object per read, the network, unpickling), which kept these pages at 0.70-0.77 of the
bare view. Saving or deleting content (admin, load_content) deletes the keys in both
(signals connected in routines.apps); other processes drop their copies within
LOCAL_SECONDS.

Signed-in pages are never cached: they hold health data, and they are fast without.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from accounts.context_processors import region_for
from safety.regions import DEFAULT_REGION, regions

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
# How long a process serves a page from its own memory before asking the shared cache.
LOCAL_SECONDS = 30


def stored_page(key: str) -> tuple[bytes, str] | None:
    """The page stored under ``key``: from this process's memory, else from the shared
    cache (then kept in memory for LOCAL_SECONDS)."""
    local = caches["pages"]
    page = local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            local.set(key, page, min(LOCAL_SECONDS, settings.PAGE_CACHE_SECONDS))
    return page


def store_page(key: str, page: tuple[bytes, str]) -> None:
    cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    caches["pages"].set(key, page, min(LOCAL_SECONDS, settings.PAGE_CACHE_SECONDS))


def page_key(path: str, region: str = DEFAULT_REGION) -> str:
    """One copy per page and region (pages show the region's emergency number)."""
    return f"{KEY_PREFIX}{region}:{path}"


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
            store_page(key, (response.content, response["Content-Type"]))
        if key:
            response.headers.setdefault("Vary", "Cookie")
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in CACHED_VIEWS:
            return None
        if not is_cacheable_request(request):
            return None
        key = page_key(request.path, region_for(request).code)
        hit = stored_page(key)
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


def clear_page_cache() -> None:
    keys = [page_key(path, region) for path in content_paths() for region in regions()]
    cache.delete_many(keys)
    caches["pages"].delete_many(keys)
