"""The Nu Html Checker (vnu.jar, the engine of the W3C validator) for the browser tests.

Every HTML response the live server sends during a browser test is kept (see
``capture_html_responses``) and, when the test ends, checked by vnu.jar running as a
local web service on 127.0.0.1; an error fails the test, as a console error does.
scripts/ensure-test-services installs Java and the pinned vnu-jar from npm.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from django.core.handlers.base import BaseHandler

VNU_VERSION = "26.9.27"  # keep in step with scripts/ensure-test-services
VNU_JAR = (
    Path(__file__).resolve().parents[2]
    / f".venv/vnu-{VNU_VERSION}/node_modules/vnu-jar/build/dist/vnu.jar"
)

# (path, status, body) of every text/html response since the last take_responses()
_responses: list[tuple[str, int, bytes]] = []

# The one part of a page that differs each time it is sent (a new masked CSRF token):
# checked with a fixed token of the same form, so the same page sent at phone and
# desktop size and in the dark theme is checked once.
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
FIXED_TOKEN = rb"\g<1>" + b"T" * 64 + rb"\g<2>"


def same_page(html: bytes) -> bytes:
    """The document as checked: its CSRF tokens made the same every time."""
    return CSRF_TOKEN.sub(FIXED_TOKEN, html)


@contextmanager
def capture_html_responses() -> Iterator[None]:
    """Keep every HTML page Django sends (the live server runs in this process); a
    redirect's empty body is not a page."""
    original = BaseHandler.get_response

    def get_response(self, request):
        response = original(self, request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        is_page = not (300 <= response.status_code < 400 or response.streaming)
        if is_html and is_page and response.content:
            _responses.append((request.get_full_path(), response.status_code, response.content))
        return response

    with mock.patch.object(BaseHandler, "get_response", get_response):
        yield


def take_responses() -> list[tuple[str, int, bytes]]:
    taken = list(_responses)
    _responses.clear()
    return taken


def missing() -> str | None:
    """Why the checker cannot run here, or None."""
    if not shutil.which("java"):
        return "Java is not installed (run scripts/ensure-test-services)"
    if not VNU_JAR.exists():
        return f"{VNU_JAR} is missing (run scripts/ensure-test-services)"
    return None


class HtmlChecker:
    """vnu.jar's web service on a free loopback port."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._checked: dict[str, list[str]] = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.close()
        raise RuntimeError("the Nu Html Checker did not start")

    def errors(self, html: bytes) -> list[str]:
        """vnu.jar's errors for one document, as "line N: message" (the same page, CSRF
        tokens aside: cached)."""
        html = same_page(html)
        digest = hashlib.sha256(html).hexdigest()
        if digest not in self._checked:
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/?out=json",
                data=html,
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                messages = json.load(response)["messages"]
            self._checked[digest] = [
                f"line {m.get('lastLine', '?')}: {m['message']}"
                for m in messages
                if m["type"] in ("error", "non-document-error")
            ]
        return self._checked[digest]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
