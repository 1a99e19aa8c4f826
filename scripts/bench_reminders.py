#!/usr/bin/env python3
"""Reminder benchmark: scheduling 100,000 reminders due in the same minute, and the sends
per second of one task worker with the push service on 127.0.0.1.

    .venv/bin/python scripts/bench_reminders.py                    # SQLite and PostgreSQL
    .venv/bin/python scripts/bench_reminders.py --db sqlite --reminders 20000 --sends 500

For each database it builds a fresh one (SQLite file / PostgreSQL database), makes
people (5 reminders each, time zones mixed) with every reminder due in the same minute,
and times one scheduler pass: the one indexed query that finds them, the claim rows, the
next slots and one enqueued task per claim (the django-tasks-db queue). Then it queues
--sends push reminders for people with a push subscription at a local push service and
runs one `manage.py task_worker --batch`: sends per second is counted from the first
task's start to the last task's end (the worker's own start-up is left out). Every
number printed is measured in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]
PER_PERSON = 5


def child(args: argparse.Namespace) -> None:
    """Runs inside a process whose environment points at the fresh database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from accounts.models import Profile
    from reminders import services
    from reminders.models import PushSubscription, Reminder, ReminderClaim
    from tests.push_service import BrowserKeys, PushService

    call_command("migrate", verbosity=0)
    people = args.reminders // PER_PERSON
    now = timezone.now().replace(second=0, microsecond=0)
    password = make_password(None)
    started = time.perf_counter()
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"p{n}", email=f"p{n}@example.org", password=password)
            for n in range(people)
        ],
        batch_size=2000,
    )
    Profile.objects.bulk_create(
        [Profile(user=u, time_zone=ZONES[n % len(ZONES)]) for n, u in enumerate(users)],
        batch_size=2000,
    )
    reminders = []
    for n, user in enumerate(users):
        local = timezone.localtime(now, Profile(time_zone=ZONES[n % len(ZONES)]).zone)
        for k in range(PER_PERSON):
            reminders.append(
                Reminder(
                    owner=user,
                    kind="pain",
                    local_time=local.time(),
                    by_email=True,
                    weekdays=127,
                    next_due_at=now,
                    next_local_date=local.date() if k == 0 else local.date() - timedelta(days=k),
                )
            )
    Reminder.objects.bulk_create(reminders, batch_size=2000)
    made = time.perf_counter() - started

    with connection.cursor() as cursor:
        query, params = Reminder.objects.due(now).values("pk").query.sql_with_params()
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + query, params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())[:160]

    # One scheduler pass, with its parts timed the way schedule_due runs them.
    started = time.perf_counter()
    with transaction.atomic():
        due = list(Reminder.objects.due(now + timedelta(seconds=5)))
    found = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    run = services.schedule_due(now + timedelta(seconds=5))
    scheduled, scheduled_cpu = time.perf_counter() - started, time.process_time() - cpu
    tasks = DBTaskResult.objects.count()
    assert run.claimed == args.reminders == len(due), (run, len(due))
    assert tasks == -(-run.claimed // services.CLAIMS_PER_TASK), tasks

    # Worker throughput: only push reminders to a push service on 127.0.0.1.
    DBTaskResult.objects.all().delete()
    ReminderClaim.objects.all().delete()
    service = PushService()
    keys = BrowserKeys()
    senders = users[: args.sends]
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(
                owner=u,
                endpoint=service.endpoint(u.username),
                p256dh=keys.p256dh,
                auth=keys.auth_b64,
            )
            for u in senders
        ]
    )
    # One push reminder each, due now (the pain reminder's already-logged check runs too).
    Reminder.objects.filter(owner__in=senders).delete()
    send_at = timezone.now() - timedelta(seconds=1)
    pushes = Reminder.objects.bulk_create(
        [
            Reminder(
                owner=u,
                kind="pain",
                local_time=send_at.time(),
                by_push=True,
                next_due_at=send_at,
                next_local_date=send_at.date(),
            )
            for u in senders
        ]
    )
    assert services.schedule_due(timezone.now()).claimed == len(pushes)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker = subprocess.run(
        [sys.executable, "manage.py", "task_worker", "--batch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    service.close()
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    first_start = min(done.values_list("started_at", flat=True))
    last_end = max(done.values_list("finished_at", flat=True))
    seconds = (last_end - first_start).total_seconds()
    sent = ReminderClaim.objects.filter(status="sent").count()
    assert sent == len(pushes) == len(service.received), (sent, len(service.received))
    print(
        json.dumps(
            {
                "reminders": args.reminders,
                "people": people,
                "made_s": made,
                "find_s": found,
                "schedule_s": scheduled,
                "schedule_cpu_s": scheduled_cpu,
                "tasks": tasks,
                "claimed": run.claimed,
                "plan": plan,
                "sends": sent,
                "send_s": seconds,
                "sends_per_s": sent / seconds,
                "worker_cpu_s": worker_cpu,
            }
        )
    )


def measure(db: str, args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(ROOT))
    from reminders.push import new_key_pair

    pair = new_key_pair()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        SPASMCARE_LOCAL="1",
        DEBUG="false",
        TASKS_BACKEND="database",
        CACHE_KEY_PREFIX=f"bench{uuid.uuid4().hex[:8]}",
        PUSH_ALLOW_LOCAL_ENDPOINTS="true",
        VAPID_PUBLIC_KEY=pair.public,
        VAPID_PRIVATE_KEY=pair.private,
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    cleanup = None
    with tempfile.TemporaryDirectory() as folder:
        if db == "sqlite":
            env["SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
        else:
            import psycopg

            name = f"spasmcare_bench_reminders_{os.getpid()}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"

            def cleanup() -> None:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        try:
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    "--reminders",
                    str(args.reminders),
                    "--sends",
                    str(args.sends),
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
        finally:
            if cleanup:
                cleanup()
    if done.returncode != 0:
        sys.exit(f"{db}: the benchmark failed\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--sends", type=int, default=1_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(
        f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f} at the start;"
        f" {args.reminders:,} reminders due in the same minute"
    )
    print()
    rows = []
    for db in databases:
        result = measure(db, args)
        rows.append((db, result))
        print(f"{db}: due query plan: {result['plan']}")
    print()
    print(
        "| database | find the due reminders (the one query) | whole scheduler pass "
        "(query, claims, next slots, enqueue) | its CPU time in Python | per reminder "
        "| one worker: pushes/s | pushes per CPU-second of the worker |"
    )
    print("|---|---|---|---|---|---|---|")
    for db, r in rows:
        print(
            f"| {db} | {r['find_s']:.2f} s | {r['schedule_s']:.1f} s: {r['claimed']:,} claims,"
            f" {r['tasks']:,} tasks | {r['schedule_cpu_s']:.1f} s"
            f" | {1000 * r['schedule_s'] / r['claimed']:.3f} ms"
            f" | {r['sends_per_s']:.0f} ({r['sends']:,} in {r['send_s']:.1f} s)"
            f" | {r['sends'] / r['worker_cpu_s']:.0f} |"
        )


if __name__ == "__main__":
    main()
