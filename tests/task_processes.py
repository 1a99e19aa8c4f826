"""Task workers and schedulers as real processes, for the tests that run them."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def task_workers(env: dict, logs: list[Path]) -> Iterator[list[subprocess.Popen]]:
    """One `manage.py task_worker` per log file; stopped with SIGTERM (as systemd does)
    when the block ends."""
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "task_worker"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        yield workers
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def run_schedulers_at_once(env: dict, count: int = 2) -> None:
    """`count` scheduler passes (`schedule_reminders --once`) started at the same moment."""
    schedulers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "schedule_reminders", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    for scheduler in schedulers:
        _, err = scheduler.communicate(timeout=120)
        assert scheduler.returncode == 0, err[-3000:]
