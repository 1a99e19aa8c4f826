"""Faults under write load: the app recovers by itself and loses nothing it acknowledged.

People post pain entries and play sessions against gunicorn while a worker is killed
with SIGKILL (SQLite and PostgreSQL), or while PostgreSQL restarts (opt-in with
SPASMCARE_FAULTS_PG_RESTART=1, because it disturbs anything else using the server).
Afterwards every acknowledged entry and practice is in the database, nothing is
half-written (no episode without entries, no finished practice without its pain after,
at most one open episode each), and the app answers writes again without a restart.
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.test_two_instances import (
    PG_ADMIN_URL,
    REDIS_URL,
    ROOT,
    free_port,
    need_services,
    reachable,
)

# Both start gunicorn against the shared PostgreSQL and Redis, and one restarts
# PostgreSQL: under pytest-xdist (--dist loadgroup) they run one after another.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.own_database,
    pytest.mark.xdist_group("shared-servers"),
]

PEOPLE = 6
NO_SIGNS = {"warning_signs": "none"}  # "None of these": every warning question answered no
SESSION_SCRIPT = """
from django.contrib.auth import get_user_model
from django.test import Client
for user in get_user_model().objects.filter(username__startswith="fault-").order_by("username"):
    client = Client()
    client.force_login(user)
    print(user.username, client.cookies["sessionid"].value)
"""
CHECK_SCRIPT = """
import json
from django.db.models import Count, F
from routines.models import Practice
from symptoms.models import Episode, PainEntry
print(json.dumps({
    "notes": list(PainEntry.objects.values_list("note", flat=True)),
    "finished": [str(u) for u in Practice.objects.filter(finished_at__isnull=False)
                 .values_list("uid", flat=True)],
    "empty_episodes": Episode.objects.annotate(n=Count("entries")).filter(n=0).count(),
    "finished_without_pain_after": Practice.objects.filter(
        finished_at__isnull=False, pain_after__isnull=True).count(),
    "steps_over_total": Practice.objects.filter(
        steps_completed__gt=F("steps_total")).count(),
    "owners_with_two_open": Episode.objects.filter(resolved_on__isnull=True)
        .values("owner").annotate(n=Count("pk")).filter(n__gt=1).count(),
}))
"""


class Person(threading.Thread):
    """Posts pain entries and plays a session, alternately, until stopped."""

    def __init__(self, port: int, name: str, session: str, routine_pk: int, steps: int):
        super().__init__(daemon=True)
        self.port, self.name, self.routine_pk, self.steps = port, name, routine_pk, steps
        self.cookie = f"sessionid={session}"
        self.stop = threading.Event()
        self.acked_notes: list[str] = []
        self.acked_practices: list[str] = []
        self.ack_times: list[float] = []
        self.failures = 0
        self.conn: HTTPConnection | None = None
        self.csrf: tuple[str, str] | None = None

    def request(self, method: str, path: str, data: dict | None = None):
        if self.conn is None:
            self.conn = HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {"Cookie": self.cookie}
        body = None
        if data is not None:
            token, cookie = self.csrf
            headers["Cookie"] += f"; csrftoken={cookie}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode({"csrfmiddlewaretoken": token, **data})
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.getheader("Location", ""), response
        except (OSError, HTTPException):
            self.conn.close()
            self.conn = None
            self.failures += 1
            return None, "", None

    def get_token(self) -> bool:
        status, _, response = self.request("GET", "/symptoms/new/")
        if status != 200:
            return False
        html = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if token and cookie:
            self.csrf = (token.group(1), cookie.group(1))
        return self.csrf is not None

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            if self.csrf is None and not self.get_token():
                time.sleep(0.1)
                continue
            n += 1
            note = f"{self.name}-{n}-{uuid.uuid4().hex[:6]}"
            status, _, response = self.request(
                "POST",
                "/symptoms/new/",
                {
                    "recorded_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
                    "onset_date": datetime.now(UTC).strftime("%Y-%m-%d"),
                    "pain": str(n % 7),
                    "note": note,
                    **NO_SIGNS,
                },
            )
            if response is not None:
                response.read()
            if status == 302:
                self.acked_notes.append(note)
                self.ack_times.append(time.monotonic())
            elif status is not None and status != 302:
                self.failures += 1
            if n % 3 == 0:
                self.play()

    def play(self) -> None:
        status, location, response = self.request(
            "POST", f"/routines/{self.routine_pk}/play/", {"pain_before": "5", **NO_SIGNS}
        )
        if response is not None:
            response.read()
        match = re.search(r"/play/([0-9a-f-]{36})/step/", location)
        if status != 302 or not match:
            return
        token = match.group(1)
        status, _, response = self.request(
            "POST",
            f"/routines/{self.routine_pk}/play/{token}/finish/",
            {"pain_after": "3", "note": "", "steps_completed": str(self.steps)},
        )
        if response is not None:
            response.read()
        if status == 302:
            self.acked_practices.append(token)


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def server_env(db: str, tmp_path: Path) -> tuple[dict, str | None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "PYTEST"))}
    for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH"):
        env.pop(name, None)
    env.update(
        SECRET_KEY="faults-" + uuid.uuid4().hex * 2,
        DEBUG="false",
        SECURE_SSL="false",
        ALLOWED_HOSTS="127.0.0.1",
        SPASMCARE_TESTING="1",  # plain static storage, no collectstatic needed
        PAGE_CACHE_SECONDS="0",
        WEB_CONCURRENCY="3",
        GUNICORN_TIMEOUT="20",
        LOG_LEVEL="warning",
    )
    db_name = None
    if db == "postgres":
        import psycopg

        db_name = f"spasmcare_faults_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db_name}"
        # The scaled-out set-up: Redis for sessions and caches, as in production.
        env.update(
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=db_name,
        )
    else:
        env["SQLITE_PATH"] = str(tmp_path / "faults.sqlite3")
    return env, db_name


def drop_database(db_name: str | None) -> None:
    if db_name:
        import psycopg
        import redis

        store = redis.Redis.from_url(REDIS_URL)
        keys = list(store.scan_iter(f"{db_name}:*"))
        if keys:
            store.delete(*keys)

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def healthy(port: int) -> bool:
    try:
        conn = HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except (OSError, HTTPException):
        return False


def run_under_load(db: str, tmp_path: Path, fault) -> dict:
    env, db_name = server_env(db, tmp_path)
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_content", "-v", "0")
        manage(
            env,
            "generate_demo_data",
            "--username",
            "fault",
            "--people",
            str(PEOPLE),
            "--days",
            "3",
            "--practices",
            "0",
        )
        lines = manage(env, "shell", "-c", SESSION_SCRIPT).splitlines()
        sessions = dict(line.split() for line in lines if line.startswith("fault-"))
        routine = (
            manage(
                env,
                "shell",
                "-c",
                "from routines.models import Routine;"
                "r = Routine.objects.starters().order_by('pk').first();"
                "print(r.pk, r.steps.count())",
            )
            .splitlines()[-1]
            .split()
        )
        port = free_port()
        server = subprocess.Popen(
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
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not (reachable(port) and healthy(port)):
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        people = [
            Person(port, name, session, int(routine[0]), int(routine[1]))
            for name, session in sessions.items()
        ]
        for person in people:
            person.start()
        time.sleep(3)
        fault_at = time.monotonic()
        fault(server)
        time.sleep(6)
        for person in people:
            person.stop.set()
        for person in people:
            person.join(30)
        recovered = healthy(port)
        after = sum(1 for p in people for t in p.ack_times if t > fault_at + 1)
        check = manage(env, "shell", "-c", CHECK_SCRIPT)
        state = json.loads(check.strip().splitlines()[-1])
        return {
            "acked_notes": [n for p in people for n in p.acked_notes],
            "acked_practices": [t for p in people for t in p.acked_practices],
            "acked_after_fault": after,
            "failures": sum(p.failures for p in people),
            "recovered": recovered,
            "state": state,
        }
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        drop_database(db_name)


def assert_nothing_lost_nothing_half_written(result: dict) -> None:
    state = result["state"]
    print(
        f"acked entries {len(result['acked_notes'])}, stored {len(state['notes'])}, "
        f"acked practices {len(result['acked_practices'])}, acked after the fault "
        f"{result['acked_after_fault']}, failed requests {result['failures']}"
    )
    assert result["acked_notes"], "no entry was acknowledged at all"
    stored = set(state["notes"])
    lost = [note for note in result["acked_notes"] if note not in stored]
    assert lost == [], f"acknowledged entries missing: {lost[:5]}"
    lost_practices = set(result["acked_practices"]) - set(state["finished"])
    assert not lost_practices, lost_practices
    assert state["empty_episodes"] == 0
    assert state["finished_without_pain_after"] == 0
    assert state["steps_over_total"] == 0
    assert state["owners_with_two_open"] == 0
    assert result["recovered"], "the app did not answer /healthz after the fault"
    assert result["acked_after_fault"] > 0, "no write succeeded after the fault"


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def kill_one_worker(server: subprocess.Popen) -> None:
    pids = worker_pids(server.pid)
    assert pids, "no gunicorn workers found"
    os.kill(pids[0], signal.SIGKILL)


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
def test_a_killed_worker_loses_no_acknowledged_write(db, tmp_path):
    if db == "postgres":
        need_services()
    result = run_under_load(db, tmp_path, kill_one_worker)
    assert_nothing_lost_nothing_half_written(result)


def restart_postgres(server: subprocess.Popen) -> None:
    cluster = os.environ.get("PG_CLUSTER", "15 main").split()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart"],
        check=True,
        timeout=60,
    )


@pytest.mark.pg_restart
@pytest.mark.skipif(
    os.environ.get("SPASMCARE_FAULTS_PG_RESTART") != "1",
    reason="restarts the shared PostgreSQL server; set SPASMCARE_FAULTS_PG_RESTART=1",
)
def test_a_postgresql_restart_loses_no_acknowledged_write(tmp_path):
    need_services()
    result = run_under_load("postgres", tmp_path, restart_postgres)
    assert_nothing_lost_nothing_half_written(result)
