"""Stateless app tier: two gunicorn instances share one PostgreSQL and one Redis.

A person signs in on the first instance, logs pain and plays a session through the
second, finishes it on the first, and every write is visible from both. Sessions live
in Redis (cached_db) and PostgreSQL, CSRF tokens in a cookie: nothing is tied to one
process. With REDIS_URL the task queue is RQ: a reminder set on one instance, with two
schedulers and two RQ workers running, is sent once. Needs PostgreSQL and Redis on
127.0.0.1 (skipped without them, except in CI).
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest

from tests.task_processes import run_schedulers_at_once, task_workers

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "two-instance-pass-phrase-1"
NO_WARNING_SIGNS = {"warning_signs": "none"}  # "None of these": every warning question answered no

# Both start gunicorn against the shared PostgreSQL and Redis, and one restarts
# PostgreSQL: under pytest-xdist (--dist loadgroup) they run one after another.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.own_database,
    pytest.mark.xdist_group("shared-servers"),
]


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def need_services() -> None:
    missing = [
        name for name, port in (("PostgreSQL", 5432), ("Redis", 6379)) if not reachable(port)
    ]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} required in CI")
        pytest.skip(f"{', '.join(missing)} not reachable on 127.0.0.1")


class Browser:
    """A cookie-keeping HTTP client; cookies for 127.0.0.1 go to either port."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar))

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except HTTPError as error:
            return error.code, error.geturl(), error.read().decode()

    def get(self, url: str) -> tuple[int, str, str]:
        return self.request(url)

    def post_form(self, page_url: str, data: dict, action: str | None = None):
        """GET the form page for its CSRF token, then POST to it (or to action)."""
        status, _, html = self.get(page_url)
        assert status == 200, (page_url, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, f"no CSRF token on {page_url}"
        return self.request(action or page_url, {"csrfmiddlewaretoken": token.group(1), **data})


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, vapid_keys):
    need_services()
    import psycopg
    import redis

    run_id = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    db_name = f"spasmcare_two_{run_id}"
    prefix = f"two-{run_id}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "PYTEST"))}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db_name}",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        SECRET_KEY="two-instances-" + uuid.uuid4().hex * 2,
        DEBUG="false",
        SECURE_SSL="false",
        ALLOWED_HOSTS="127.0.0.1",
        PAGE_CACHE_SECONDS="60",
        # Plain static storage: no collectstatic needed for this test.
        SPASMCARE_TESTING="1",
        WEB_CONCURRENCY="1",
        LOG_LEVEL="warning",
        VAPID_PUBLIC_KEY=vapid_keys.public,
        VAPID_PRIVATE_KEY=vapid_keys.private,
    )
    servers: list[subprocess.Popen] = []
    logs = tmp_path_factory.mktemp("two_instances")
    try:
        for command in (
            ["manage.py", "migrate", "--noinput", "-v", "0"],
            ["manage.py", "load_content", "-v", "0"],
            [
                "manage.py",
                "shell",
                "-c",
                "from django.contrib.auth import get_user_model;"
                f"get_user_model().objects.create_user('pat', password='{PASSWORD}')",
            ],
        ):
            done = subprocess.run(
                [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, done.stderr
        urls = []
        for n in range(2):
            port = free_port()
            log = open(logs / f"gunicorn{n}.log", "w")  # noqa: SIM115
            servers.append(
                subprocess.Popen(
                    [
                        str(ROOT / ".venv/bin/gunicorn"),
                        "--config",
                        "gunicorn.conf.py",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "spasmcare.wsgi",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for url in urls:
            while not (reachable_url(url) and Browser().get(url + "/healthz")[0] == 200):
                assert time.monotonic() < deadline, "gunicorn did not start"
                assert all(s.poll() is None for s in servers), "gunicorn exited"
                time.sleep(0.3)
        yield {
            "a": urls[0],
            "b": urls[1],
            "db": env["DATABASE_URL"],
            "prefix": prefix,
            "env": env,
            "logs": logs,
        }
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        store = redis.Redis.from_url(REDIS_URL)
        keys = list(store.scan_iter(f"{prefix}:*")) + list(store.scan_iter(f"rq:*:{prefix}*"))
        if keys:
            store.delete(*keys)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def reachable_url(url: str) -> bool:
    return reachable(int(url.rsplit(":", 1)[1]))


def sql(cluster, query: str, *params):
    import psycopg

    with psycopg.connect(cluster["db"]) as conn:
        return conn.execute(query, params).fetchall()


def execute(cluster, query: str) -> None:
    import psycopg

    with psycopg.connect(cluster["db"]) as conn:
        conn.execute(query)


def test_a_person_uses_both_instances_and_every_write_shows_on_both(cluster):
    a, b = cluster["a"], cluster["b"]
    pat = Browser()

    # Sign in on the first instance.
    status, landed, _ = pat.post_form(
        f"{a}/accounts/login/", {"username": "pat", "password": PASSWORD}
    )
    assert status == 200
    assert landed == f"{a}/", landed  # Today, the signed-in home

    # The second instance knows the session (stored in Redis and PostgreSQL).
    status, landed, html = pat.get(f"{b}/symptoms/")
    assert status == 200 and landed == f"{b}/symptoms/", landed
    assert "Log out" in html

    import redis

    session_keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{cluster['prefix']}:*session*"))
    assert session_keys, "the session is not in Redis"
    store = redis.Redis.from_url(REDIS_URL)
    pat.get(f"{b}/symptoms/")  # now with the CSRF cookie too
    # Health data stays out of the shared cache: only sessions (and throttling) are there.
    keys = [key.decode() for key in store.scan_iter(f"{cluster['prefix']}:*")]
    assert keys and all("session" in key for key in keys), keys

    # Log pain through the second instance.
    marker = f"logged-on-b-{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    status, landed, html = pat.post_form(
        f"{b}/symptoms/new/",
        {
            "recorded_at": now,
            "onset_date": now[:10],
            "pain": "6",
            "locations": ["lower_back_centre"],
            "note": marker,
            **NO_WARNING_SIGNS,
        },
    )
    assert status == 200, html[:2000]
    assert landed.startswith(b)
    for base in (a, b):
        status, _, html = pat.get(f"{base}/symptoms/")
        assert status == 200
        assert marker in html, f"entry not visible on {base}"
    assert sql(cluster, "SELECT count(*) FROM symptoms_painentry WHERE note = %s", marker) == [(1,)]
    assert sql(cluster, "SELECT count(*) FROM symptoms_episode WHERE resolved_on IS NULL") == [(1,)]

    # The practice history as cached on the second instance before the session below:
    # finishing it on the first must drop that copy everywhere.
    for _ in range(2):
        assert pat.get(f"{b}/routines/history/")[0] == 200

    # Play a starter session: start on the second instance, finish on the first.
    routine_pk = sql(cluster, "SELECT id FROM routines_routine WHERE owner_id IS NULL LIMIT 1")[0][
        0
    ]
    status, landed, html = pat.post_form(
        f"{b}/routines/{routine_pk}/play/", {"pain_before": "6", **NO_WARNING_SIGNS}
    )
    assert status == 200, html[:2000]
    token = re.search(rf"/routines/{routine_pk}/play/([0-9a-f-]{{36}})/step/1/", landed)
    assert token, landed
    token = token.group(1)
    routine_name = sql(cluster, "SELECT name FROM routines_routine WHERE id = %s", routine_pk)[0][0]
    steps = sql(
        cluster, "SELECT count(*) FROM routines_routinestep WHERE routine_id = %s", routine_pk
    )[0][0]
    practice_note = f"played-across-{uuid.uuid4().hex[:8]}"
    status, landed, html = pat.post_form(
        f"{a}/routines/{routine_pk}/play/{token}/finish/",
        {"pain_after": "3", "note": practice_note, "steps_completed": str(steps)},
    )
    assert status == 200, html[:2000]
    assert f"/routines/{routine_pk}/play/{token}/done/" in landed
    rows = sql(
        cluster,
        "SELECT pain_before, pain_after, finished_at IS NOT NULL, steps_completed"
        " FROM routines_practice WHERE uid = %s",
        uuid.UUID(token),
    )
    assert rows == [(6, 3, True, steps)]
    for base in (a, b):
        status, _, html = pat.get(f"{base}/routines/history/")
        assert status == 200
        assert routine_name in html
        status, _, html = pat.get(f"{base}/routines/{routine_pk}/play/{token}/done/")
        assert status == 200, f"finished practice not visible on {base}"

    # Log out on the second instance: the first one forgets the session too.
    status, _, _ = pat.post_form(f"{b}/symptoms/", {}, action=f"{b}/accounts/logout/")
    assert status == 200
    status, landed, _ = pat.get(f"{a}/symptoms/")
    assert "/accounts/login/" in landed


def test_a_wrong_password_on_one_instance_counts_on_the_other(cluster):
    """Login throttling (django-axes, cache handler) is shared through Redis."""
    a, b = cluster["a"], cluster["b"]
    for n in range(6):
        base = a if n % 2 else b
        status, _, html = Browser().post_form(
            f"{base}/accounts/login/", {"username": "pat", "password": "wrong-password"}
        )
    # Even the right password is refused now, on both instances.
    for base in (a, b):
        status, landed, html = Browser().post_form(
            f"{base}/accounts/login/", {"username": "pat", "password": PASSWORD}
        )
        assert "/symptoms/" not in landed
        assert status in (403, 429), status


def test_a_reminder_is_sent_once_by_rq_workers(cluster, push_service):
    """Set on one instance, push turned on through the other; two schedulers and two RQ
    workers run at once, and exactly one push and one email go out."""
    from tests.push_service import BrowserKeys

    a, b = cluster["a"], cluster["b"]
    pat = Browser()  # a new person (the test above locked "pat" out)
    status, landed, _ = pat.post_form(
        f"{a}/accounts/signup/",
        {
            "username": "remi",
            "email": "remi@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "time_zone": "Europe/Paris",
        },
    )
    assert status == 200 and landed == f"{a}/", landed  # Today
    # Sign-up leaves the address waiting for its confirmation link
    # (tests/test_enumeration.py); confirmed here directly.
    execute(cluster, "UPDATE auth_user SET email = 'remi@example.org' WHERE username = 'remi'")
    status, landed, html = pat.post_form(
        f"{a}/accounts/reminders/new/",
        {"kind": "pain", "local_time": "07:30", "days": ["5"], "channels": ["email", "push"]},
    )
    assert status == 200 and landed == f"{a}/accounts/reminders/", html[:2000]
    keys = BrowserKeys()
    csrf = next(cookie.value for cookie in pat.jar if cookie.name == "csrftoken")
    request = Request(
        f"{b}/accounts/reminders/push/subscribe/",
        data=json.dumps(
            {
                "endpoint": push_service.endpoint("remi"),
                "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64},
            }
        ).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": b + "/"},
    )
    with pat.opener.open(request, timeout=30) as response:
        assert json.loads(response.read()) == {"devices": 1}
    execute(cluster, "UPDATE reminders_reminder SET next_due_at = now() - interval '5 seconds'")

    env = cluster["env"]
    logs = [cluster["logs"] / f"rq{n}.log" for n in range(2)]
    with task_workers(env, logs) as workers:
        run_schedulers_at_once(env)
        deadline = time.monotonic() + 90
        while sql(cluster, "SELECT status FROM reminders_reminderclaim") != [("sent",)]:
            assert time.monotonic() < deadline, [log.read_text()[-2000:] for log in logs]
            assert all(w.poll() is None for w in workers), "an RQ worker exited"
            time.sleep(0.5)
        time.sleep(2)  # time for a second message, if there were one
    output = "".join(log.read_text() for log in logs)
    assert [r.path for r in push_service.received] == ["/push/remi"]
    assert json.loads(keys.decrypt(push_service.received[0].body))["body"] == (
        "Time to log your pain"
    )
    assert output.count("Subject: Time to log your pain") == 1, output[-3000:]
    assert "django_tasks_rq" in output or "Job OK" in output, output[-3000:]
    # The job in Redis carries only the claim's id: no address, no text.
    claim_id = sql(cluster, "SELECT id FROM reminders_reminderclaim")[0][0]
    assert f"send_reminders([{claim_id}])" in output
