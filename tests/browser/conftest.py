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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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


def _watch(context, problems: Problems, origin: str) -> None:
    """Record every browser-side problem of pages opened in this context."""

    def same_origin(url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == origin

    def on_console(message) -> None:
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
        problems.failed_requests.append(f"{failure} {request.url}")

    def on_page(page) -> None:
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.console_errors.append(f"uncaught: {error}"))
        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)

    context.expose_function("__scReportCsp", lambda text: problems.csp_violations.append(text))
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


@pytest.fixture
def new_page(browser, site, html_checker) -> Iterator[Callable]:
    """Open a page in a fresh context: new_page("phone", js=False, user=person).

    Light theme and reduced motion unless asked: color_scheme="dark",
    reduced_motion="no-preference" (the player's drawings then move). Service workers
    are blocked unless asked (service_workers="allow"): every page registers ours
    (static/js/offline.js), and its precache would add dozens of requests to each test;
    tests/browser/test_offline.py and the push tests allow it."""
    opened: list[tuple] = []
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
        size = VIEWPORTS[viewport]
        context = browser.new_context(
            viewport=size,
            screen=size,
            java_script_enabled=js,
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            base_url=site,
            locale="en-GB",
            timezone_id="Europe/London",
            color_scheme=color_scheme,
            reduced_motion=reduced_motion,
            service_workers=service_workers,
        )
        context.set_default_timeout(10_000)
        problems = Problems()
        _watch(context, problems, site.rstrip("/"))
        if user is not None:
            sign_in_cookie(context, user, site)
        page = context.new_page()
        page.viewport_name = viewport
        page.problems = problems
        opened.append((context, problems))
        return page

    yield open_page

    messages = []
    for context, problems in opened:
        context.close()
        if problems.report():
            messages.append(problems.report())
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
