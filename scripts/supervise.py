#!/usr/bin/env python3
"""Run several commands as one: start each, stop all on Ctrl-C or SIGTERM, and stop all
(exit 1) as soon as one of them ends by itself, saying which. Used by scripts/serve to
run gunicorn, the task worker and the reminder scheduler with one command.

    scripts/supervise.py --run web "gunicorn ..." --run worker "python manage.py ..."
"""

from __future__ import annotations

import argparse
import shlex
import signal
import subprocess
import sys
import time

GRACE_SECONDS = 25  # gunicorn's graceful_timeout is 20 s


def log(message: str) -> None:
    print(f"[supervise] {message}", file=sys.stderr, flush=True)


def stop_all(children: dict[str, subprocess.Popen]) -> None:
    for name, child in children.items():
        if child.poll() is None:
            log(f"stopping {name}")
            child.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop in {GRACE_SECONDS} s: killing it")
            child.kill()
            child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", nargs=2, action="append", metavar=("NAME", "COMMAND"))
    args = parser.parse_args(argv)
    if not args.run:
        parser.error("give at least one --run NAME COMMAND")

    stopping: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: stopping.append(signum))

    children: dict[str, subprocess.Popen] = {}
    for name, command in args.run:
        # A session of its own: Ctrl-C reaches only this supervisor, which then asks each
        # child to stop once (a second signal would make some of them quit mid-task).
        children[name] = subprocess.Popen(shlex.split(command), start_new_session=True)
        log(f"started {name} (pid {children[name].pid}): {command}")

    status = 0
    while not stopping:
        ended = {
            name: child.returncode for name, child in children.items() if child.poll() is not None
        }
        if ended:
            for name, code in ended.items():
                log(f"{name} ended by itself (exit code {code}): stopping everything")
            status = 1
            break
        time.sleep(0.2)
    if stopping:
        log(f"got {signal.Signals(stopping[0]).name}: stopping everything")
    stop_all(children)
    log("stopped")
    return status


if __name__ == "__main__":
    sys.exit(main())
