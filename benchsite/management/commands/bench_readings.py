"""Give a person one Reading a day for --days days (the ceiling page's table)."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from benchsite.models import Reading


class Command(BaseCommand):
    help = "Create --days daily Readings for --username (benchmark data only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--days", type=int, default=1095)

    def handle(self, *args, **options):
        owner = get_user_model().objects.get(username=options["username"])
        rng = random.Random(2026)
        today = date.today()
        Reading.objects.bulk_create(
            [
                Reading(
                    owner=owner,
                    date=today - timedelta(days=n),
                    score=rng.randint(0, 10),
                    note=rng.choice(["", "Stiff in the morning", "Better after a walk"]),
                )
                for n in range(options["days"])
            ],
            batch_size=1000,
        )
        self.stdout.write(f"{options['days']} readings for {owner.get_username()}")
