"""Health data and account secrets stay out of shared caches (issue 13).

The audit found Redis holding whole signed-in pages (notes, "Loss of bladder or bowel
control…") and pickled users with their password hash and email. Now Redis keeps
sessions, login throttling, share-page rate limits, the signed-out content page cache
and the task queue, none of which holds a note, a warning sign, an email or a hash.
Every personal page and download also tells every other cache not to keep it.

The pages walked are those of tests/test_access_control.py, whose last test fails when
a URL is missing there: a new personal page is walked here without touching this file.
"""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
import zlib
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from django.urls import reverse

from safety.rules import rules_in_order
from safety.signs import SIGNS
from tests.test_access_control import (
    LISTING_URLS,
    OBJECT_URLS,
    PERSON_URLS,
    TOKEN_URLS,
    make_owner_data,
)
from tests.test_settings import ROOT


@pytest.fixture
def owner(db):
    return make_owner_data()


def personal_urls(d) -> list[str]:
    """Every page and download of one person, with the owner's objects as arguments."""
    urls = [
        reverse(name, args=args(d)) for name, methods, args, _ in OBJECT_URLS if "GET" in methods
    ]
    urls += [reverse(name) for name in PERSON_URLS + LISTING_URLS]
    return list(dict.fromkeys(urls))


def test_every_personal_page_and_download_says_private_no_store(client, owner):
    client.force_login(owner.owner)
    urls = personal_urls(owner) + [reverse("home"), reverse("routines:stretch_list")]
    assert len(urls) > 30
    for url in urls:
        response = client.get(url)
        cache_control = response.get("Cache-Control", "")
        assert "private" in cache_control and "no-store" in cache_control, (url, cache_control)
    # A signed-in post's answer (a redirect, or a form with errors) too.
    response = client.post(reverse("symptoms:entry_create"), {"pain": "nonsense"})
    assert response["Cache-Control"] == "private, no-store"


def test_share_pages_opened_signed_out_say_private_no_store(client, owner):
    from django.core.cache import cache

    cache.clear()  # the share pages' rate limits
    for name in TOKEN_URLS:
        response = client.get(reverse(name, args=[owner.share_token]))
        assert response.status_code in (200, 503), name  # 503: no WeasyPrint here
        assert "private" in response["Cache-Control"], name
        assert "no-store" in response["Cache-Control"], name
    cache.clear()


def test_signed_out_content_pages_stay_cacheable(client, db):
    response = client.get(reverse("routines:stretch_list"))
    assert "no-store" not in response.get("Cache-Control", "")


# --- Redis, through gunicorn with REDIS_URL set ---------------------------------------------

REDIS_DB = os.environ.get("TEST_PRIVATE_REDIS_URL", "redis://127.0.0.1:6379/13")
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "a-long-pass-phrase-1"  # tests/test_access_control.make_person's
MAKE_DATA = """
import json
from django.urls import reverse
from tests.test_access_control import make_owner_data
from tests.test_private_data import personal_urls
d = make_owner_data()
d.owner.email = EMAIL
d.owner.save()
urls = personal_urls(d)
urls += [reverse(name, args=[d.share_token]) for name in TOKEN_URLS]
print(json.dumps({"urls": urls, "hash": d.owner.password}))
"""


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(Request(self.base + path, data=body), timeout=60) as response:
                return response.status, response.read().decode(errors="replace")
        except HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post_form(self, path: str, data: dict, page: str | None = None) -> int:
        _, html = self.request(page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, path
        return self.request(path, {"csrfmiddlewaretoken": token.group(1), **data})[0]


def redis_or_skip():
    import redis

    store = redis.Redis.from_url(REDIS_DB)
    try:
        store.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis required in CI")
        pytest.skip("Redis not reachable")
    return store


def values_of(store, key: bytes) -> list[bytes]:
    """Every byte string under a key, with zlib-compressed ones (RQ jobs) unpacked."""
    kind = store.type(key).decode()
    if kind == "string":
        found = [store.get(key) or b""]
    elif kind == "hash":
        found = [b for pair in store.hgetall(key).items() for b in pair]
    elif kind == "list":
        found = store.lrange(key, 0, -1)
    elif kind == "set":
        found = list(store.smembers(key))
    elif kind == "zset":
        found = store.zrange(key, 0, -1)
    else:
        found = []
    unpacked = []
    for value in found:
        with contextlib.suppress(zlib.error):
            unpacked.append(zlib.decompress(value))
    return found + unpacked


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def answers(url: str) -> bool:
    try:
        return Browser("").request(url)[0] == 200
    except OSError:
        return False


@pytest.fixture
def redis_server(tmp_path):
    store = redis_or_skip()
    prefix = f"t13-{uuid.uuid4().hex[:10]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "PYTEST"))}
    for name in ("DATABASE_URL", "SQLITE_PATH", "TASKS_BACKEND"):
        env.pop(name, None)
    # The database of the test run: PostgreSQL in the PostgreSQL pass, else SQLite.
    pg_database = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        import psycopg

        pg_database = f"spasmcare_private_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_database}"')
        env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_database
    else:
        env["SQLITE_PATH"] = str(tmp_path / "private.sqlite3")
    env.update(
        SECRET_KEY="private-" + uuid.uuid4().hex * 2,
        DEBUG="false",
        SECURE_SSL="false",
        ALLOWED_HOSTS="127.0.0.1",
        SPASMCARE_TESTING="1",
        REDIS_URL=REDIS_DB,
        CACHE_KEY_PREFIX=prefix,
        PAGE_CACHE_SECONDS="600",
        WEB_CONCURRENCY="2",
        # Every log line at DEBUG, and gunicorn's access log: none may hold the data.
        LOG_LEVEL="debug",
        GUNICORN_ACCESS_LOG=str(tmp_path / "access.log"),
    )
    run(env, "migrate", "--noinput", "-v", "0")
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "spasmcare.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not answers(f"http://127.0.0.1:{port}/healthz"):
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.3)
    try:
        yield env, f"http://127.0.0.1:{port}", store, prefix
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        queue = f"rq:queue:{prefix}".encode()
        jobs = [b"rq:job:" + job for job in store.lrange(queue, 0, -1)]
        keys = list(store.scan_iter(f"{prefix}:*")) + jobs + [queue]
        store.delete(*keys)
        store.srem("rq:queues", queue)
        if pg_database:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')


def our_keys(store, prefix: str) -> list[bytes]:
    """This run's keys: the cache's (under CACHE_KEY_PREFIX) and the task queue's."""
    queue = f"rq:queue:{prefix}".encode()
    jobs = [b"rq:job:" + job for job in store.lrange(queue, 0, -1)]
    return list(store.scan_iter(f"{prefix}:*")) + [queue] + [j for j in jobs if store.exists(j)]


# Keys Redis may hold: sessions, log-in throttling, share-page and account-mail limits,
# signed-out pages, the task queue.
ALLOWED_KEYS = (
    r":1:django\.contrib\.sessions\.cached_db",
    r":1:axes-",
    r":1:share-rate:",
    r":1:account-mail:",
    r":1:page:",
)


@pytest.mark.slow
def test_redis_never_holds_a_note_a_warning_sign_an_email_or_a_password_hash(
    redis_server, tmp_path
):
    env, base, store, prefix = redis_server
    note = f"private-note-{uuid.uuid4().hex[:12]}"
    email = f"owner-{uuid.uuid4().hex[:8]}@example.org"
    made = json.loads(
        run(env, "shell", "-c", f"EMAIL = {email!r}\nTOKEN_URLS = {TOKEN_URLS!r}\n" + MAKE_DATA)
        .strip()
        .splitlines()[-1]
    )
    person = Browser(base)
    # A wrong password first (login throttling writes to Redis), then the right one.
    assert person.post_form("/accounts/login/", {"username": "owner", "password": "wrong"}) == 200
    assert person.post_form("/accounts/login/", {"username": "owner", "password": PASSWORD}) == 302
    saved = person.post_form(
        "/symptoms/new/",
        {
            "pain": "8",
            "note": note,
            "warning_signs": ["bladder_bowel"],
            "recorded_at": time.strftime("%Y-%m-%dT%H:%M", time.gmtime()),
        },
    )
    assert saved == 302
    walked = {}
    for url in made["urls"]:
        walked[url] = person.request(url)[0]
        assert walked[url] in (200, 302, 405, 503), (url, walked[url])
    assert note in person.request("/symptoms/")[1]  # the note really is on the pages
    secrets = [note, "owner-only-note-5c1e", email, made["hash"], made["hash"].split("$")[-1]]
    signed_in = assert_nothing_private(store, prefix, secrets)
    assert any(":1:django.contrib.sessions.cached_db" in name for name in signed_in), signed_in
    # Signed out: content pages (cached), a password reset and a sign-up for the email.
    assert person.post_form("/accounts/logout/", {}, page="/accounts/") == 302
    visitor = Browser(base)
    for path in ("/", "/stretches/", "/guide/", "/", "/stretches/"):
        assert visitor.request(path)[0] == 200
    assert visitor.post_form("/accounts/password-reset/", {"email": email}) == 302
    visitor.post_form(
        "/accounts/signup/",
        {
            "username": "someone-else",
            "email": email,
            "password1": "Brave-otter-swims-77",
            "password2": "Brave-otter-swims-77",
        },
    )

    names = assert_nothing_private(store, prefix, secrets)
    assert any(":1:axes-" in name for name in names), names  # Redis really was used
    assert any(":1:page:" in name for name in names), names
    assert any(name == f"rq:queue:{prefix}" for name in names), names
    assert any(":1:account-mail:" in name for name in names), names

    # The server's own logs (Django at DEBUG, gunicorn's error and access logs) hold none
    # of it either; they did log the walk.
    logs = {
        name: (tmp_path / name).read_text(errors="replace") for name in ("server.log", "access.log")
    }
    assert "/symptoms/new/" in logs["access.log"]
    for name, text in logs.items():
        for secret in secrets:
            assert secret not in text, (name, secret)


def assert_nothing_private(store, prefix: str, secrets: list[str]) -> list[str]:
    keys = our_keys(store, prefix)
    names = [key.decode(errors="replace") for key in keys]
    sign_words = [s.question for s in SIGNS] + [s.reported for s in SIGNS if s.reported]
    sign_words += [rule.title for rule in rules_in_order(retired=True)]
    for key, name in zip(keys, names, strict=True):
        if not name.startswith("rq:"):
            assert re.match(re.escape(prefix) + "(" + "|".join(ALLOWED_KEYS) + ")", name), name
        values = values_of(store, key)
        assert values or not store.exists(key), name
        for secret in secrets:
            assert not any(secret.encode() in value for value in values), (name, secret)
        if ":1:page:" in name:
            continue  # signed-out content: the guide lists the warning signs for everyone
        for words in sign_words:
            assert not any(words.encode() in value for value in values), (name, words)
    return names


# --- logs of a whole journey ----------------------------------------------------------------


def test_a_full_journey_logs_no_note_and_no_email(client, db, caplog, run_tasks):
    """Sign up, confirm the address, log pain with a note and a warning sign, mistype
    a form, read the log and report, export everything, delete the account: with every
    logger at DEBUG, no line holds the note or the email address."""
    import logging

    from django.core import mail

    note = f"journey-note-{uuid.uuid4().hex[:10]}"
    email = f"journey-{uuid.uuid4().hex[:8]}@example.org"
    password = "Brave-otter-swims-77"
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    response = client.post(
        reverse("accounts:signup"),
        {"username": "journey", "email": email, "password1": password, "password2": password},
    )
    assert response.status_code == 302
    run_tasks()
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    assert client.post(link.group(1)).status_code == 200
    entry = {
        "pain": "7",
        "note": note,
        "warning_signs": ["bladder_bowel"],
        "recorded_at": time.strftime("%Y-%m-%dT%H:%M", time.gmtime()),
        "onset_date": time.strftime("%Y-%m-%d", time.gmtime()),
    }
    assert client.post(reverse("symptoms:entry_create"), entry).status_code == 302
    bad = client.post(reverse("symptoms:entry_create"), entry | {"pain": "eleven"})
    assert bad.status_code == 400  # logged by django.request as a warning
    assert note in client.get(reverse("symptoms:entry_list")).content.decode()
    for name in ("progress:report", "transfer:export_json", "transfer:export_entries_csv"):
        response = client.get(reverse(name))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, name
        if name != "progress:report":
            assert note.encode() in body, name
    client.post(reverse("accounts:password_reset"), {"email": email})
    run_tasks()
    assert client.post(reverse("accounts:delete_account"), {"password": "wrong"}).status_code == 400
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": email, "password": "wrong"})
    text = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r}" for record in caplog.records
    )
    assert len(caplog.records) > 5, text  # the journey was logged
    assert "Bad Request" in text or "400" in text
    assert note not in text
    assert email not in text
