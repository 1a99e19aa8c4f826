"""Concurrent writers on SQLite through gunicorn, whichever way SQLite is chosen.

An `sqlite:///` DATABASE_URL once lost the WAL journal, the immediate write
transactions and the busy timeout: 16 concurrent pain-entry posts then answered about
a quarter of the time with a 500 ("database is locked"). Here 16 people post at once,
through 4 gunicorn workers of 4 threads, with SQLITE_PATH and with DATABASE_URL: no
answer is a 500 and every acknowledged entry is stored.
"""

import json
import os
import re
import socket
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

from tests.test_settings import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.own_database]

PEOPLE = 16
POSTS_EACH = 10
MAKE_PEOPLE = f"""
from django.test import Client
from accounts.services import create_account
for n in range({PEOPLE}):
    user = create_account(username=f"writer-{{n}}", email="", password="not-used-pass-9")
    client = Client()
    client.force_login(user)
    print(user.username, client.cookies["sessionid"].value)
"""
STORED_NOTES = (
    "import json; from symptoms.models import PainEntry;"
    " print(json.dumps(list(PainEntry.objects.values_list('note', flat=True))))"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def healthy(port: int) -> bool:
    try:
        conn = HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except (OSError, HTTPException):
        return False


def server_env(database: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "PYTEST"))}
    for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH"):
        env.pop(name, None)
    return (
        env
        | database
        | {
            "SECRET_KEY": "writers-" + uuid.uuid4().hex * 2,
            "DEBUG": "false",
            "SECURE_SSL": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SPASMCARE_TESTING": "1",  # plain static storage, no collectstatic needed
            "PAGE_CACHE_SECONDS": "0",
            "LOG_LEVEL": "warning",
        }
    )


class Writer(threading.Thread):
    def __init__(self, port: int, name: str, session: str, start: threading.Barrier):
        super().__init__(daemon=True)
        self.port, self.name, self.start_together = port, name, start
        self.cookie = f"sessionid={session}"
        self.statuses: list[int | None] = []
        self.acked: list[str] = []
        self.errors: list[str] = []

    def request(self, conn: HTTPConnection, method: str, body: dict | None, csrf=None):
        headers = {"Cookie": self.cookie}
        data = None
        if body is not None:
            token, cookie = csrf
            headers["Cookie"] += f"; csrftoken={cookie}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            data = urlencode({"csrfmiddlewaretoken": token, **body})
        conn.request(method, "/symptoms/new/", body=data, headers=headers)
        response = conn.getresponse()
        return response, response.read().decode(errors="replace")

    def run(self) -> None:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        response, html = self.request(conn, "GET", None)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        csrf = (token.group(1), cookie.group(1))
        self.start_together.wait(60)
        for n in range(POSTS_EACH):
            note = f"{self.name}-{n}-{uuid.uuid4().hex[:6]}"
            now = datetime.now(UTC)
            body = {
                "recorded_at": now.strftime("%Y-%m-%dT%H:%M"),
                "onset_date": now.strftime("%Y-%m-%d"),
                "pain": str(n % 7),
                "note": note,
                "warning_signs": "none",
            }
            # A fresh connection per post: a kept-alive one may be closed by the server
            # between two posts, which would be a failure of the client, not of the app.
            conn.close()
            conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                response, _ = self.request(conn, "POST", body, csrf)
            except (OSError, HTTPException) as exc:
                self.errors.append(repr(exc))
                self.statuses.append(None)
                continue
            self.statuses.append(response.status)
            if response.status == 302:
                self.acked.append(note)


def run_writers(env: dict) -> tuple[list[int | None], list[str], list[str]]:
    manage(env, "migrate", "--noinput", "-v", "0")
    lines = manage(env, "shell", "-c", MAKE_PEOPLE).splitlines()
    sessions = dict(line.split() for line in lines if line.startswith("writer-"))
    assert len(sessions) == PEOPLE
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "spasmcare.wsgi"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": "4", "GUNICORN_THREADS": "4", "GUNICORN_TIMEOUT": "60"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not healthy(port):
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        barrier = threading.Barrier(PEOPLE)
        writers = [Writer(port, name, session, barrier) for name, session in sessions.items()]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(300)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    stored = json.loads(manage(env, "shell", "-c", STORED_NOTES).strip().splitlines()[-1])
    statuses = [status for writer in writers for status in writer.statuses]
    acked = [note for writer in writers for note in writer.acked]
    errors = [error for writer in writers for error in writer.errors]
    assert errors == [], errors[:3]
    return statuses, acked, stored


@pytest.mark.parametrize("how", ["SQLITE_PATH", "DATABASE_URL"])
def test_sixteen_concurrent_writers_get_no_500_and_lose_nothing(tmp_path: Path, how):
    path = tmp_path / "writers.sqlite3"
    if how == "SQLITE_PATH":
        env = server_env({"SQLITE_PATH": str(path)})
    else:
        env = server_env({"DATABASE_URL": f"sqlite:///{path}"})
    statuses, acked, stored = run_writers(env)
    counts = {status: statuses.count(status) for status in set(statuses)}
    print(f"{how}: {len(statuses)} posts, answers {counts}, stored {len(stored)}")
    assert len(statuses) == PEOPLE * POSTS_EACH
    assert counts.get(500, 0) == 0, counts
    assert counts == {302: PEOPLE * POSTS_EACH}, counts
    assert sorted(set(acked) - set(stored)) == []
