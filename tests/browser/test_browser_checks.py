"""The browser layer itself: CSS really loads, and the watchers catch what they should."""

import pytest

from tests.browser.checks import axe_violations, focus_is_visible, small_targets
from tests.browser.html_check import same_page

# The checkers themselves, on fixed pages: once per CI run.
pytestmark = pytest.mark.any_database


def test_stylesheets_load_and_apply(page):
    styles: list[str] = []
    page.on("response", lambda r: r.request.resource_type == "stylesheet" and styles.append(r.url))
    response = page.goto("/")
    assert response.status == 200
    assert any(url.endswith("/css/app.css") for url in styles)
    header = page.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(29, 79, 110)"


def test_watchers_catch_console_errors_failed_requests_and_csp_violations(page):
    page.goto("/")
    page.evaluate("console.error('boom')")
    page.evaluate("fetch('/static/css/no-such-file.css')")
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.src = 'https://example.org/x.png'; document.body.append(i); }"
    )
    problems = page.problems
    for _ in range(50):  # the reports arrive asynchronously: wait up to 5 s for all three
        if problems.console_errors and problems.failed_requests and problems.csp_violations:
            break
        page.wait_for_timeout(100)
    assert any("boom" in text for text in problems.console_errors)
    assert any("no-such-file.css" in text for text in problems.failed_requests)
    assert any("img-src" in text for text in problems.csp_violations)
    # Caught on purpose: close the page (no more reports) and clear them, so this test's
    # own teardown passes.
    page.context.close()
    problems.console_errors.clear()
    problems.failed_requests.clear()
    problems.csp_violations.clear()


def test_axe_reports_a_missing_label(page):
    page.goto("/")
    page.evaluate(
        "() => { const i = document.createElement('input');"
        " i.id = 'unlabelled'; document.querySelector('main').append(i); }"
    )
    violations = axe_violations(page)
    label = [v for v in violations if v["id"] == "label"]
    assert label and label[0]["nodes"][0]["target"] == ["#unlabelled"]


def test_small_targets_and_focus_checks_can_fail(page):
    page.goto("/")
    add_button = """(gap) => { const b = document.createElement('button'); b.textContent = 'x';
        b.style.cssText = `all:unset;width:10px;height:10px;display:block;margin-top:${gap}px`;
        document.querySelector('main').append(b); }"""
    page.evaluate(add_button, 40)
    assert small_targets(page) == []  # alone, with room around it: the spacing exception
    page.evaluate(add_button, 2)  # a second one right below: too close together
    assert sum("10x10" in item for item in small_targets(page)) == 2
    assert not focus_is_visible(None)
    assert not focus_is_visible({"outlineStyle": "none", "outlineWidth": 0, "boxShadow": "none"})


PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
    b'<body><main><form method="post"><input type="hidden" name="csrfmiddlewaretoken"'
    b' value="%s"><button>Go</button></form>%s</main></body></html>'
)


def test_the_html_checker_reports_errors_and_checks_a_page_once_whatever_its_token(
    html_checker,
):
    if html_checker is None:
        pytest.skip("the Nu Html Checker is not installed here (it is required in CI)")
    token_a, token_b = b"a" * 64, b"B" * 64
    assert html_checker.errors(PAGE % (token_a, b"<p>fine</p>")) == []
    broken = html_checker.errors(PAGE % (token_a, b"<span><div>block in a span</div></span>"))
    assert any("div" in error for error in broken), broken
    # The same page sent again with a new token is the same document to check.
    assert same_page(PAGE % (token_a, b"")) == same_page(PAGE % (token_b, b""))
    assert same_page(PAGE % (token_a, b"<p>x</p>")) != same_page(PAGE % (token_a, b"<p>y</p>"))
    checked = len(html_checker._checked)
    html_checker.errors(PAGE % (token_b, b"<span><div>block in a span</div></span>"))
    assert len(html_checker._checked) == checked


def test_the_live_server_answers_one_request_at_a_time_on_sqlite(live_server, monkeypatch):
    """On SQLite the server's threads share the tests' in-memory database, so requests
    take turns (conftest.LiveServer): a second one waits while the first is answered."""
    import threading
    import time
    import urllib.request

    from django.db import connection

    from tests.browser.conftest import _OneRequestAtATime

    app = live_server.thread.httpd.get_app()
    assert isinstance(app, _OneRequestAtATime)
    inner = app.application
    running, most = [0], [0]

    def slow(environ, start_response):
        running[0] += 1
        most[0] = max(most[0], running[0])
        time.sleep(0.2)
        running[0] -= 1
        return inner(environ, start_response)

    monkeypatch.setattr(app, "application", slow)
    fetches = [
        threading.Thread(target=urllib.request.urlopen, args=(f"{live_server.url}/healthz",))
        for _ in range(3)
    ]
    for fetch in fetches:
        fetch.start()
    for fetch in fetches:
        fetch.join(10)
    if connection.vendor == "sqlite":
        assert most[0] == 1
    else:
        assert most[0] > 1
