"""The reminder scheduler: every minute, claim the due slots and enqueue their sends."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from reminders import services
from routines.services import purge_everything_deleted


class Command(BaseCommand):
    help = (
        "Find the reminders that are due and enqueue each send once. Runs a pass at the "
        "start of every minute; --once runs one pass and exits (for cron or a systemd "
        "timer). Any number may run at once: each slot is claimed by exactly one of them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")

    def handle(self, *args, once: bool = False, verbosity: int = 1, **options) -> None:
        self.verbosity = verbosity
        if once:
            self.run_once()
            return
        stopping: list[int] = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, frame: stopping.append(signum))
        self.stdout.write("Reminder scheduler started: one pass a minute.")
        while not stopping:
            close_old_connections()
            self.run_once()
            next_minute = (int(time.time()) // 60 + 1) * 60
            while not stopping and time.time() < next_minute:
                time.sleep(min(1.0, next_minute - time.time()))
        self.stdout.write("Reminder scheduler stopped.")

    def run_once(self) -> None:
        now = timezone.now()
        run = services.schedule_due(now)
        services.tidy_claims(now)
        if now.minute == 0:
            # What people deleted over a day ago (kept that long for undo).
            purge_everything_deleted(now)
        if run.due or self.verbosity > 1:
            self.stdout.write(
                f"{now:%Y-%m-%d %H:%M:%S} UTC: {run.due} due, {run.claimed} claimed and "
                f"enqueued, {run.missed} more than an hour late (not sent)"
            )
