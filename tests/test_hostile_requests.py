"""Every route, whatever arrives: never a 500.

Hostile query strings, bodies, methods, cookies and headers on every route the access
control tests list (tests/test_access_control.py fails if a route is missing there),
signed in and signed out. This only asserts that nothing crashes: a refusal is a 4xx
(the feature tests check each message). It found the push endpoints answering 500 to
JSON nested past Python's recursion limit and to a lone surrogate.
"""

import json
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sharing import ratelimit
from tests.test_access_control import (
    OBJECT_URLS,
    PERSON_URLS,
    PUBLIC,
    SYNC_URLS,
    TOKEN_URLS,
    OwnerData,
    make_owner_data,
)

# Every name a view reads from a query string, and more.
QUERY_NAMES = [
    "page", "next", "reason", "before", "after", "completed", "days", "start", "end",
    "episode", "paper", "visit", "region", "q",
]  # fmt: skip
QUERY_VALUES = [
    "0001-01-01",
    "9999-12-31",
    "-1",
    "9" * 400,
    "1e309",
    "\x00",
    "//evil.example/",
    "<script>alert(1)</script>",
    "٣",
]
# Percent-escapes no text decodes to: a lone surrogate in UTF-8, and bytes that are not UTF-8.
BROKEN_QUERY = "x=%ED%A0%80&y=%FF%FE&page=%ED%A0%80&start=%FF"

BODIES = [
    b"",
    b"{",
    b"[]",
    b'{"a":' * 5_000,
    b"[" * 5_000,
    b"\xff\xfe\x00",
    b'{"endpoint": "\\ud800", "keys": {"p256dh": "\\ud800", "auth": "x"}, "uid": "\\ud800"}',
    json.dumps({"uid": "x" * 5_000, "pain": 1e308, "recorded_at": "0001-01-01T00:00"}).encode(),
    b"pain=99999999999999999999&recorded_at=0001-01-01T00:00&uid=%ED%A0%80&note=%00",
]
CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
OTHER_METHODS = ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]

COOKIE_NAMES = ["sessionid", "csrftoken", "messages", "region", "care_region"]
COOKIE_VALUES = ["\x00", "a" * 4_000, "garbage", "ZZ", '"\\']
HEADERS = [
    {
        "HTTP_X_FORWARDED_FOR": "garbage, 999.1.1.1, \x00",
        "HTTP_USER_AGENT": "\x00" + "a" * 20_000,
        "HTTP_ACCEPT_LANGUAGE": "zz-ZZ;q=x",
        "HTTP_ACCEPT": "*/*;q=x",
        "HTTP_REFERER": "javascript:alert(1)",
        "HTTP_IF_NONE_MATCH": "\x00",
        "HTTP_IF_MODIFIED_SINCE": "Mon, 01 Jan 0001 00:00:00 GMT",
        "HTTP_RANGE": "bytes=x",
        "HTTP_X_FORWARDED_PROTO": "garbage",
    },
    {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_MODE": "cors", "HTTP_RANGE": "bytes=0-0"},
]


# Public pages with arguments: real ones, and signed tokens that are not valid.
PUBLIC_ARGS = {
    "routines:stretch_detail": ["knee-to-chest"],
    "routines:guide_page": ["causes"],
    "accounts:password_reset_confirm": ["MQ", "set-password"],
    "reminders:unsubscribe": ["not-a-signed-token"],
    "accounts:confirm_email": ["not-a-signed-token"],
}


@pytest.fixture(autouse=True)
def _no_share_rate_limits(monkeypatch):
    """Share pages answer every request here (not a 429 after 30), and the counters
    this file fills never reach another test."""
    monkeypatch.setattr(ratelimit, "PER_ADDRESS", (10**6, 60))
    monkeypatch.setattr(ratelimit, "PER_LINK", (10**6, 60))
    cache.clear()
    yield
    cache.clear()


def every_url(data: OwnerData, *, get_only: bool) -> list[str]:
    urls = [
        reverse(name, args=args(data))
        for name, methods, args, _ in OBJECT_URLS
        if not get_only or "GET" in methods
    ]
    urls += [reverse(name) for name in PERSON_URLS]
    urls += [reverse(name, args=[data.share_token]) for name in TOKEN_URLS]
    if not get_only:
        urls += [reverse(name) for name in SYNC_URLS]
    for name in sorted(PUBLIC):
        urls.append(reverse(name, args=PUBLIC_ARGS.get(name, [])))
    return urls


def client_for(data: OwnerData, *, signed_in: bool) -> Client:
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(data.owner)
    return client


def crashes(response, *what) -> list:
    return [(*what, response.status_code)] if response.status_code >= 500 else []


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed in", "signed out"])
def test_no_page_fails_on_a_hostile_query_string(db, signed_in):
    data = make_owner_data()
    client = client_for(data, signed_in=signed_in)
    failures = []
    for url in every_url(data, get_only=True):
        for value in QUERY_VALUES:
            query = "&".join(f"{name}={quote(value)}" for name in QUERY_NAMES)
            failures += crashes(client.get(f"{url}?{query}"), url, value)
        failures += crashes(client.get(f"{url}?{BROKEN_QUERY}"), url, BROKEN_QUERY)
    assert not failures


def test_no_route_fails_on_a_hostile_body_or_method(db):
    data = make_owner_data()
    client = client_for(data, signed_in=True)
    failures = []
    for url in every_url(data, get_only=False):
        for method in OTHER_METHODS:
            failures += crashes(client.generic(method, url), url, method)
        for body in BODIES:
            for content_type in CONTENT_TYPES:
                response = client.post(url, body, content_type=content_type)
                failures += crashes(response, url, body[:20], content_type)
    assert not failures


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed in", "signed out"])
def test_no_page_fails_on_hostile_cookies_or_headers(db, signed_in):
    data = make_owner_data()
    failures = []
    client = client_for(data, signed_in=signed_in)
    session = client.cookies.get("sessionid")
    for url in every_url(data, get_only=True):
        for headers in HEADERS:
            failures += crashes(client.get(url, **headers), url, sorted(headers))
        for value in COOKIE_VALUES:
            for name in COOKIE_NAMES:
                client.cookies[name] = value
            if session is not None:
                client.cookies["sessionid"] = session.value  # stay signed in
            failures += crashes(client.get(url), url, "cookies", value[:20])
    assert not failures
