"""Two schedulers and two task workers at once, as real processes: every due reminder goes
out exactly once, by push (to a push service on 127.0.0.1) and by email (the workers'
console mail), even with a duplicate task queued for every slot.

Runs on this run's database engine: in the PostgreSQL pass on a fresh PostgreSQL
database (the workers claim tasks with SELECT ... FOR UPDATE SKIP LOCKED), in the SQLite
pass on a fresh SQLite file (the embedded set-up)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reminders.services import CLAIMS_PER_TASK
from tests.task_processes import run_schedulers_at_once, task_workers
from tests.test_two_instances import PG_ADMIN_URL, reachable

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 30
TASKS_TABLE = "django_tasks_database_dbtaskresult"
ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.own_database,
    pytest.mark.xdist_group("shared-servers"),
]

SEED = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from accounts.models import Profile
from reminders import services
from reminders.models import Reminder
zones = {zones!r}
now = timezone.now()
for n in range({people}):
    user = get_user_model().objects.create_user(
        f"p{{n}}", email=f"p{{n}}@example.org", password="a-long-pass-phrase-1")
    Profile.objects.create(user=user, time_zone=zones[n % len(zones)])
    services.subscribe_push(owner=user, endpoint="{push}/push/p%d" % n,
                            p256dh={p256dh!r}, auth={auth!r})
    due = services.save_reminder(reminder=Reminder(
        owner=user, kind="pain", local_time=now.time(), by_push=True, by_email=n % 3 == 0))
    later = services.save_reminder(reminder=Reminder(
        owner=user, kind="pain", local_time=now.time(), by_push=True))
    Reminder.objects.filter(pk=due.pk).update(next_due_at=now - timedelta(seconds=30))
    Reminder.objects.filter(pk=later.pk).update(next_due_at=now + timedelta(hours=2))
# Missed by more than the catch-up hour: never sent.
Reminder.objects.filter(owner__username="p0", next_due_at__gt=now).update(
    next_due_at=now - timedelta(hours=3))
"""

DUPLICATES = """
from reminders.models import ReminderClaim
from reminders.tasks import send_reminders
for claim_id in ReminderClaim.objects.values_list("pk", flat=True):
    send_reminders.enqueue([claim_id])
"""


@pytest.fixture
def database(tmp_path, settings):
    """A fresh database of this run's engine, for processes of their own."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        yield {"SQLITE_PATH": str(tmp_path / "workers.sqlite3")}
        return
    if not reachable(5432):
        pytest.fail("PostgreSQL is not reachable")
    import psycopg

    name = f"spasmcare_workers_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(database: dict, vapid_keys) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_ALLOW", "PYTEST", "DATABASE_URL", "SQLITE_PATH", "REDIS"))
    }
    env.update(
        database,
        SPASMCARE_LOCAL="1",
        DEBUG="false",
        TASKS_BACKEND="database",
        CACHE_KEY_PREFIX=f"workers-{uuid.uuid4().hex[:8]}",
        PUSH_ALLOW_LOCAL_ENDPOINTS="true",
        VAPID_PUBLIC_KEY=vapid_keys.public,
        VAPID_PRIVATE_KEY=vapid_keys.private,
        SITE_URL="https://spasmcare.example.org",
        LOG_LEVEL="WARNING",
    )
    return env


def sql(database: dict, query: str) -> list[tuple]:
    if "SQLITE_PATH" in database:
        import sqlite3

        with sqlite3.connect(database["SQLITE_PATH"], timeout=20) as conn:
            return conn.execute(query).fetchall()
    import psycopg

    with psycopg.connect(database["DATABASE_URL"]) as conn:
        return conn.execute(query).fetchall()


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_two_schedulers_and_two_workers_send_each_due_reminder_once(
    database, vapid_keys, push_service, tmp_path
):
    from tests.push_service import BrowserKeys

    keys = BrowserKeys()
    env = environment(database, vapid_keys)
    manage(env, "migrate", "--noinput", "-v", "0")
    seed = SEED.format(
        zones=ZONES, people=PEOPLE, push=push_service.url, p256dh=keys.p256dh, auth=keys.auth_b64
    )
    manage(env, "shell", "-c", seed)

    logs = [tmp_path / f"worker{n}.log" for n in range(2)]
    with task_workers(env, logs) as workers:
        # Two schedulers at the same moment, twice (the next minute's pair finds nothing).
        run_schedulers_at_once(env)
        run_schedulers_at_once(env)
        # A retried task for every slot: the workers must not send any of them again.
        manage(env, "shell", "-c", DUPLICATES)

        deadline = time.monotonic() + 120
        while True:
            left = sql(
                database,
                f"SELECT count(*) FROM {TASKS_TABLE} WHERE status NOT IN ('SUCCESSFUL', 'FAILED')",
            )[0][0]
            if left == 0:
                break
            assert time.monotonic() < deadline, f"workers did not finish: {left} tasks left"
            assert all(w.poll() is None for w in workers), "a worker exited"
            time.sleep(1)
    assert all(worker.returncode == 0 for worker in workers), [w.returncode for w in workers]

    # One push per person: each due slot once, p0's slot missed by three hours never.
    paths = sorted(received.path for received in push_service.received)
    assert paths == sorted(f"/push/p{n}" for n in range(PEOPLE)), paths
    expected_mail = len([n for n in range(PEOPLE) if n % 3 == 0])
    output = "".join(log.read_text() for log in logs)
    assert output.count("Subject: Time to log your pain") == expected_mail, output[-3000:]
    assert output.count("List-Unsubscribe-Post: List-Unsubscribe=One-Click") == expected_mail
    claims = sql(database, "SELECT status, count(*) FROM reminders_reminderclaim GROUP BY status")
    assert claims == [("sent", PEOPLE)]
    # Every slot was in two tasks (the duplicate did nothing), spread over the workers.
    tasks = sql(
        database, "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"
    )
    assert tasks == [("SUCCESSFUL", math.ceil(PEOPLE / CLAIMS_PER_TASK) + PEOPLE)]
