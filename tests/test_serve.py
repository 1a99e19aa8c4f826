"""One command runs everything: `scripts/serve` starts gunicorn, the task worker and the
reminder scheduler (scripts/supervise.py); Ctrl-C stops all of them, and one that stops by
itself is noticed and stops the rest."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Processes of its own (an SQLite file of its own for make serve), whatever the run's database.
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parent.parent
SUPERVISE = [sys.executable, str(ROOT / "scripts/supervise.py")]
SLEEPER = f"{sys.executable} -c 'import time; time.sleep(120)'"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that ended but was not reaped yet is a zombie: not running.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def started_pids(process: subprocess.Popen, count: int) -> dict[str, int]:
    pids: dict[str, int] = {}
    while len(pids) < count:
        line = process.stderr.readline()
        assert line, "the supervisor said nothing"
        if match := re.search(r"started (\w+) \(pid (\d+)\)", line):
            pids[match.group(1)] = int(match.group(2))
    return pids


def test_one_child_ending_by_itself_stops_the_others_and_fails():
    process = subprocess.Popen(
        [
            *SUPERVISE,
            *("--run", "web", SLEEPER),
            *(
                "--run",
                "worker",
                f"{sys.executable} -c 'import time, sys; time.sleep(1); sys.exit(3)'",
            ),
            *("--run", "scheduler", SLEEPER),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    pids = started_pids(process, 3)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "worker ended by itself (exit code 3): stopping everything" in err
    assert not any(alive(pid) for pid in pids.values())


def test_ctrl_c_stops_every_child():
    process = subprocess.Popen(
        [*SUPERVISE, "--run", "web", SLEEPER, "--run", "worker", SLEEPER],
        stderr=subprocess.PIPE,
        text=True,
    )
    pids = started_pids(process, 2)
    assert all(alive(pid) for pid in pids.values())
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "got SIGINT: stopping everything" in err
    assert not any(alive(pid) for pid in pids.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_make_serve_runs_the_site_the_worker_and_the_scheduler(tmp_path):
    """The real thing: a reminder due now goes out by email while scripts/serve runs."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "PYTEST"))}
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "VAPID_PRIVATE_KEY", "TASKS_BACKEND"):
        env.pop(name, None)
    env.update(
        SQLITE_PATH=str(tmp_path / "serve.sqlite3"),
        PORT=str(port),
        WEB_CONCURRENCY="1",
        CACHE_KEY_PREFIX=f"serve{os.getpid()}",
    )
    prepare = {**env, "SPASMCARE_LOCAL": "1"}
    seed = (
        "from datetime import timedelta;"
        "from django.contrib.auth import get_user_model;"
        "from django.utils import timezone;"
        "from reminders import services;"
        "from reminders.models import Reminder;"
        "u = get_user_model().objects.create_user('sam', email='sam@example.org',"
        " password='a-long-pass-phrase-1');"
        "r = services.save_reminder(reminder=Reminder(owner=u, kind='pain',"
        " local_time=timezone.now().time(), by_email=True));"
        "Reminder.objects.filter(pk=r.pk).update(next_due_at=timezone.now()-timedelta(seconds=5))"
    )
    for command in (["migrate", "--noinput", "-v", "0"], ["shell", "-c", seed]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=prepare,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-2000:]

    log = tmp_path / "serve.log"
    serve = subprocess.Popen(
        [str(ROOT / "scripts/serve")],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            output = log.read_text()
            if "Subject: Time to log your pain" in output:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
            assert serve.poll() is None, output[-3000:]
            assert time.monotonic() < deadline, output[-3000:]
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sw.js") as answer:
            assert answer.headers["Service-Worker-Allowed"] == "/"
        assert (ROOT / ".vapid_keys").read_text().startswith("VAPID_PUBLIC_KEY=")
        assert "List-Unsubscribe: <http://127.0.0.1:" in log.read_text()
    finally:
        serve.send_signal(signal.SIGINT)  # as Ctrl-C in the terminal
        serve.wait(timeout=60)
    output = log.read_text()
    assert serve.returncode == 0, output[-3000:]
    for name in ("web", "worker", "scheduler"):
        assert f"started {name}" in output
    assert "got SIGINT: stopping everything" in output
    pids = [int(pid) for pid in re.findall(r"started \w+ \(pid (\d+)\)", output)]
    assert len(pids) == 3 and not any(alive(pid) for pid in pids)
