"""Real-browser fixtures: headless Debian Chromium driven by Playwright against a live server.

One browser for the whole run; each test gets fresh browser contexts (no shared cookies).
Every page opened through these fixtures is watched for console errors, failed requests,
same-origin responses >= 400 (other than the page itself, whose status the test checks)
and Content-Security-Policy violations, and every HTML page the live server sent is
checked by the Nu Html Checker (tests/browser/html_check.py); any problem fails the test
at teardown.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from playwright.sync_api import Error as PlaywrightError

from tests.browser import html_check

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


class _OneRequestAtATime:
    """A WSGI application answering one request at a time on SQLite (its response read
    whole before the next one starts), as it likes on any other database."""

    def __init__(self, application) -> None:
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if connection.vendor != "sqlite":
            return self.application(environ, start_response)
        with self.lock:
            response = self.application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()


class LiveServer(ThreadedWSGIServer):
    """The live server. On SQLite the tests' database lives in memory, shared by the
    connections of the server's threads, and two requests using it at once can break it
    ("bad parameter or other API misuse", a 500): a service worker filling its cache
    while a test posted an entry did. So there the application answers one request at a
    time; connections are still accepted in parallel, as a browser opens them. With
    PostgreSQL nothing changes."""

    def set_app(self, application) -> None:
        super().set_app(_OneRequestAtATime(application))


LiveServerThread.server_class = LiveServer  # pytest-django's live_server starts one


PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ZOOM_400 = {"width": 320, "height": 640}  # 1280 px at 400 % zoom
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP, "zoom400": ZOOM_400}

PASSWORD = "calm-Stretch-2026!"  # a test password that passes Django's validators

# Reports a CSP violation from the page to Python (init scripts are not subject to CSP).
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__scReportCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} `
    + `at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class Problems:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)

    def report(self) -> str:
        lines = []
        for title, items in (
            ("console errors", self.console_errors),
            ("failed requests", self.failed_requests),
            ("CSP violations", self.csp_violations),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  - {item}" for item in items)
        return "\n".join(lines)


@dataclass
class Watch:
    """Where a context's watchers report: the Problems of the test now using it (a
    reused page reports to each test in turn)."""

    problems: Problems


def _watch(context, watch: Watch, origin: str) -> None:
    """Record every browser-side problem of pages opened in this context."""

    def same_origin(url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == origin

    def on_console(message) -> None:
        problems = watch.problems
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.csp_violations.append(text)
            return
        if message.type != "error":
            return
        # Chromium also logs the page's own 4xx (a form re-rendered with 400, the 404
        # page); the test checks that status itself.
        location = (message.location or {}).get("url", "")
        if text.startswith("Failed to load resource") and location in problems.documents:
            return
        problems.console_errors.append(f"{text} ({location})")

    def on_response(response) -> None:
        problems = watch.problems
        request = response.request
        if request.resource_type == "document" and request.frame.parent_frame is None:
            problems.documents.add(response.url)
            return
        if response.status >= 400 and same_origin(response.url):
            problems.failed_requests.append(f"{response.status} {response.url}")

    def on_request_failed(request) -> None:
        failure = request.failure or ""
        # A navigation that replaces a page cancels the old page's pending requests (an
        # icon, a stylesheet): not a fault. A missing file shows as a 4xx response above,
        # a blocked one as a CSP violation.
        if "ERR_ABORTED" in failure:
            return
        watch.problems.failed_requests.append(f"{failure} {request.url}")

    def on_page(page) -> None:
        page.on("console", on_console)
        page.on(
            "pageerror", lambda error: watch.problems.console_errors.append(f"uncaught: {error}")
        )
        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)

    context.expose_function(
        "__scReportCsp", lambda text: watch.problems.csp_violations.append(text)
    )
    context.add_init_script(CSP_LISTENER)
    context.on("page", on_page)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (run scripts/ensure-test-services)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; browser tests are required in CI", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def html_checker() -> Iterator[html_check.HtmlChecker | None]:
    """vnu.jar as a local service for the run; None (HTML unchecked) only outside CI."""
    if reason := html_check.missing():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; the HTML check is required in CI", pytrace=False)
        yield None
        return
    checker = html_check.HtmlChecker()
    with html_check.capture_html_responses():
        yield checker
    checker.close()


def html_problems(checker: html_check.HtmlChecker | None) -> list[str]:
    """Nu Html Checker errors in the HTML the live server sent since the last call."""
    sent = html_check.take_responses()
    if checker is None:
        return []
    problems = []
    for path, status, body in sent:
        problems += [f"HTML {path} ({status}) {error}" for error in checker.errors(body)]
    return problems


@pytest.fixture
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture
def site(transactional_db, live_server) -> str:
    """The live server with the real stretch and guide content loaded in its database."""
    from django.core.management import call_command, get_commands

    if "load_content" in get_commands():
        call_command("load_content", verbosity=0)
    return live_server.url


class PageOptions(NamedTuple):
    """What a test asks new_page for; pages are reused only for the same options."""

    viewport: str
    js: bool
    color_scheme: str
    reduced_motion: str
    service_workers: str


def _new_context(browser, site: str, options: PageOptions):
    size = VIEWPORTS[options.viewport]
    context = browser.new_context(
        viewport=size,
        screen=size,
        java_script_enabled=options.js,
        is_mobile=options.viewport == "phone",
        has_touch=options.viewport == "phone",
        base_url=site,
        locale="en-GB",
        timezone_id="Europe/London",
        color_scheme=options.color_scheme,
        reduced_motion=options.reduced_motion,
        service_workers=options.service_workers,
    )
    context.set_default_timeout(10_000)
    return context


# What a test can do to a page or its context that handing it back cannot undo: a page
# or context a test changed this way is closed at the end of the test, not reused.
LASTING_PAGE_CHANGES = (
    "add_init_script",
    "expose_binding",
    "expose_function",
    "on",
    "once",
    "route",
    "route_from_har",
    "route_web_socket",
    "set_default_navigation_timeout",
    "set_extra_http_headers",
)
LASTING_CONTEXT_CHANGES = (
    *LASTING_PAGE_CHANGES,
    "new_cdp_session",
    "new_page",
    "set_geolocation",
    "set_http_credentials",
    "set_offline",
)


class PagePool:
    """Pages kept open for the whole run: ``new_page`` hands a page from here to the next
    test that asks for the same options, instead of opening a new browser context.

    A page taken from the pool starts its test as a new one would: no cookies, no
    permissions and nothing stored for the site (local and session storage, IndexedDB,
    caches, service workers), its own viewport size, media, theme and motion, and its
    watchers report to this test. What it keeps is the browser's HTTP cache of the
    static files and its renderer, where axe-core stays compiled: checking a page costs
    about a third of what it costs in a new context. A page whose test made a change
    that cannot be undone (an init script, a route, a handler, going offline, another
    page in its context, ...: LASTING_*_CHANGES), or that cannot be handed back cleanly,
    is closed instead, as is every page that allows service workers.
    """

    def __init__(self) -> None:
        self.free: dict[PageOptions, list] = {}

    @staticmethod
    def keeps(options: PageOptions) -> bool:
        """Pages that allow service workers are never kept: a worker outlives the page
        that registered it, and clearing the site's data does not stop it at once."""
        return options.service_workers == "block"

    def take(self, options: PageOptions, origin: str):
        while self.free.get(options):
            page = self.free[options].pop()
            try:
                self._reset(page, origin)
            except PlaywrightError:
                page.context.close()
                continue
            return page
        return None

    @staticmethod
    def _reset(page, origin: str) -> None:
        options = page.options
        context = page.context
        context.clear_cookies()
        context.clear_permissions()
        # A DevTools session only for this: one left attached changes how the page's
        # network behaves (a service worker then no longer answered offline requests).
        cdp = page.open_cdp_session(page)
        cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        cdp.detach()
        page.set_default_timeout(10_000)
        page.set_viewport_size(VIEWPORTS[options.viewport])
        page.emulate_media(
            media="null",
            color_scheme=options.color_scheme,
            reduced_motion=options.reduced_motion,
        )

    @staticmethod
    def watch_for_lasting_changes(page) -> None:
        """Mark the page changed for good when a test calls one of LASTING_*_CHANGES (on a
        new page, once: a page is given back only while unmarked)."""
        page.changed_for_good = False
        page.open_cdp_session = page.context.new_cdp_session  # for the pool's own use

        def marking(method):
            def call(*args, **kwargs):
                page.changed_for_good = True
                return method(*args, **kwargs)

            return call

        for target, names in (
            (page, LASTING_PAGE_CHANGES),
            (page.context, LASTING_CONTEXT_CHANGES),
        ):
            for name in names:
                if hasattr(target, name):  # not every Playwright release has them all
                    setattr(target, name, marking(getattr(target, name)))

    def give_back(self, page, origin: str) -> bool:
        """Leave the site (no script of this test's pages runs on into the next test) and
        keep the page; False if it cannot be kept (the caller closes it)."""
        if page.changed_for_good or page.is_closed() or not self.keeps(page.options):
            return False
        try:
            if page.url.startswith(origin) and page.options.js:
                page.evaluate("() => window.sessionStorage.clear()")
            page.goto("about:blank")
        except PlaywrightError:
            return False
        self.free.setdefault(page.options, []).append(page)
        return True

    def close(self) -> None:
        for pages in self.free.values():
            for page in pages:
                page.context.close()
        self.free.clear()


@pytest.fixture(scope="session")
def page_pool(browser, live_server) -> Iterator[PagePool]:
    pool = PagePool()
    yield pool
    pool.close()
    # Closing the pages closes their kept-alive connections to the live server; its
    # threads for them must finish before it stops, while they may still use the shared
    # in-memory SQLite connection (Python names such a thread after its target).
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(10)


@pytest.fixture
def new_page(browser, site, html_checker, page_pool) -> Iterator[Callable]:
    """Open a page as if in a fresh context: new_page("phone", js=False, user=person).

    Light theme and reduced motion unless asked: color_scheme="dark",
    reduced_motion="no-preference" (the player's drawings then move). Service workers
    are blocked unless asked (service_workers="allow"): every page registers ours
    (static/js/offline.js), and its precache would add dozens of requests to each test;
    tests/browser/test_offline.py and the push tests allow it.

    The page may be one an earlier test used, reset to the same start (PagePool): a
    test does not close it; the fixture hands it back or closes it at the end."""
    opened: list = []
    origin = site.rstrip("/")
    html_check.take_responses()  # only this test's pages

    def open_page(
        viewport: str = "desktop",
        *,
        js: bool = True,
        user=None,
        color_scheme: str = "light",
        reduced_motion: str = "reduce",
        service_workers: str = "block",
    ):
        options = PageOptions(viewport, js, color_scheme, reduced_motion, service_workers)
        problems = Problems()
        page = page_pool.take(options, origin)
        if page is None:
            context = _new_context(browser, site, options)
            page_watch = Watch(problems)
            _watch(context, page_watch, origin)
            page = context.new_page()
            page.watch = page_watch
            page.options = options
            page_pool.watch_for_lasting_changes(page)
        page.watch.problems = problems
        page.problems = problems
        if user is not None:
            sign_in_cookie(page.context, user, site)
        opened.append(page)
        return page

    yield open_page

    messages = []
    for page in opened:
        if not page_pool.give_back(page, origin):
            page.context.close()
        if page.problems.report():
            messages.append(page.problems.report())
    messages += html_problems(html_checker)
    if messages:
        pytest.fail("Browser problems:\n" + "\n".join(messages), pytrace=False)


def sign_in_cookie(context, user, site: str) -> None:
    """Give the browser context a signed-in session for user, as a real log-in would."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="accounts.backends.ProfileBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}]
    )


@pytest.fixture
def page(new_page):
    """A desktop page (1280x800) with JavaScript on."""
    return new_page("desktop")


@pytest.fixture
def phone_page(new_page):
    """A phone page (360x740, touch) with JavaScript on."""
    return new_page("phone")


@pytest.fixture
def desktop_page(new_page):
    return new_page("desktop")


@pytest.fixture
def nojs_page(new_page):
    """A phone page with JavaScript switched off."""
    return new_page("phone", js=False)


def make_person(username: str = "sam", password: str = PASSWORD):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=password
    )


@pytest.fixture
def person(site):
    """A person with an account in the live server's database (password: PASSWORD)."""
    return make_person()


@pytest.fixture
def signed_in_page(new_page, person):
    """A desktop page signed in as person."""
    return new_page("desktop", user=person)
