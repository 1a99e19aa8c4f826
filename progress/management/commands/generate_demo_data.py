"""Generate a realistic pain log for benchmarks, demos and the scaling notes.

One person (default):
    manage.py generate_demo_data --username demo --days 1095 --practices 500
A population, for EXPLAIN on a big table (use a separate database):
    manage.py generate_demo_data --people 10000 --days 365 --practices 20

Rows are written with bulk_create in large batches; the person (or people) get one
entry per day for --days days ending today, grouped into episodes of 2-6 weeks with the
last one still open, plus --practices practices spread over the same days.
"""

import json
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from accounts.models import Profile
from routines.models import Practice, Routine
from safety.models import SignsReportedField
from symptoms.models import Episode, Location, PainEntry, Relief, Trigger

BATCH = 5000


def insert(model, objs: list) -> None:
    """bulk_create, or COPY on PostgreSQL (several times faster for millions of rows)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    now = timezone.now()
    # One plain getter per column: the same values save() would write, without the
    # per-value field machinery (timestamps are "now", JSON goes in as text).
    getters = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            getters.append(lambda obj, now=now: now)
        elif isinstance(f, JSONField):
            getters.append(lambda obj, name=f.attname: json.dumps(getattr(obj, name)))
        elif isinstance(f, SignsReportedField):
            getters.append(lambda obj, f=f: f.pre_save(obj, True))
        else:
            getters.append(attrgetter(f.attname))
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([get(obj) for get in getters])


class Command(BaseCommand):
    help = "Create one person (or --people many) with daily pain entries, episodes and practices."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo", help="The one person's username.")
        parser.add_argument("--password", default="demo-pass-phrase-2026")
        parser.add_argument("--days", type=int, default=1095, help="Days of daily entries.")
        parser.add_argument("--practices", type=int, default=500, help="Practices per person.")
        parser.add_argument(
            "--people",
            type=int,
            default=0,
            help="Population mode: this many people named <username>-00001 and so on.",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--replace", action="store_true", help="Delete the person first if they exist."
        )

    def handle(self, *args, **options):
        days, practices = options["days"], options["practices"]
        if days < 1 or days > 20000 or practices < 0 or options["people"] < 0:
            raise CommandError("--days must be 1-20000; --practices and --people at least 0.")
        rng = random.Random(options["seed"])
        User = get_user_model()
        base = options["username"]
        if options["people"]:
            width = max(5, len(str(options["people"])))
            names = [f"{base}-{n:0{width}d}" for n in range(1, options["people"] + 1)]
        else:
            names = [base]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        if existing and not options["replace"]:
            raise CommandError(
                f"{len(existing)} of these people exist already (e.g. {sorted(existing)[0]}); "
                "use --replace or another --username."
            )
        routine = Routine.objects.starters().order_by("pk").first()
        routine_name = routine.name if routine else "Gentle start"
        password_hash = make_password(options["password"])
        today = date.today()
        start = today - timedelta(days=days - 1)
        started = datetime.now(UTC)

        with transaction.atomic():
            if existing:
                User.objects.filter(username__in=existing).delete()
            for offset in range(0, len(names), 1000):
                chunk = names[offset : offset + 1000]
                users = User.objects.bulk_create(
                    [User(username=name, password=password_hash) for name in chunk],
                    batch_size=BATCH,
                )
                if not users or users[0].pk is None:  # backends without RETURNING
                    users = list(User.objects.filter(username__in=chunk).order_by("pk"))
                Profile.objects.bulk_create(
                    [Profile(user=user, time_zone="Europe/London") for user in users],
                    batch_size=BATCH,
                )
                entry_count, practice_count = self._fill(
                    users, rng, start, days, practices, routine, routine_name
                )
                if options["people"]:
                    self.stdout.write(f"{offset + len(chunk)} people…")

        seconds = (datetime.now(UTC) - started).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(names)} people with {days} daily entries and {practices} "
                f"practices each, from {start} to {today}, in {seconds:.1f} s. "
                f"Sign in as {names[0]} / {options['password']}."
            )
        )
        return None

    def _fill(self, users, rng, start, days, practices, routine, routine_name):
        episodes: list[Episode] = []
        spans: list[tuple[int, int, int]] = []  # (user index, first day, last day)
        for index, user in enumerate(users):
            day = 0
            while day < days:
                length = rng.randint(14, 42)
                last = min(day + length, days) - 1
                is_last = last == days - 1
                episodes.append(
                    Episode(
                        owner=user,
                        onset_date=start + timedelta(days=day),
                        resolved_on=None if is_last else start + timedelta(days=last),
                    )
                )
                spans.append((index, day, last))
                day = last + 1
        episodes = Episode.objects.bulk_create(episodes, batch_size=BATCH)
        if episodes and episodes[0].pk is None:
            episodes = list(
                Episode.objects.filter(owner__in=users).order_by("owner_id", "onset_date")
            )

        locations, triggers, reliefs = list(Location), list(Trigger), list(Relief)
        entries: list[PainEntry] = []
        entry_count = 0
        for episode, (index, first, last) in zip(episodes, spans, strict=True):
            user = users[index]
            peak = rng.randint(4, 9)
            for day in range(first, last + 1):
                local = start + timedelta(days=day)
                progress = (day - first) / max(1, last - first)
                pain = max(0, min(10, round(peak * (1 - progress) + rng.randint(-1, 1))))
                at = datetime.combine(local, time(8 + rng.randint(0, 12), rng.randint(0, 59)), UTC)
                entries.append(
                    PainEntry(
                        uid=uuid.uuid4(),
                        owner=user,
                        episode=episode,
                        recorded_at=at,
                        local_date=local,
                        pain=pain,
                        locations=[rng.choice(locations).value],
                        triggers=[rng.choice(triggers).value] if day == first else [],
                        reliefs=rng.sample([r.value for r in reliefs], 2),
                        leg_symptoms="none",
                        saddle_numbness=False,
                        bladder_bowel=False,
                        after_fall=False,
                        fever_or_weight_loss=False,
                    )
                )
                if len(entries) >= BATCH:
                    insert(PainEntry, entries)
                    entry_count += len(entries)
                    entries = []
        insert(PainEntry, entries)
        entry_count += len(entries)

        rows: list[Practice] = []
        practice_count = 0
        for user in users:
            for n in range(practices):
                day = (n * days) // max(1, practices)
                at = datetime.combine(start + timedelta(days=day), time(18, 0), UTC)
                before = rng.randint(2, 8)
                rows.append(
                    Practice(
                        uid=uuid.uuid4(),
                        owner=user,
                        routine=routine,
                        routine_name=routine_name,
                        started_at=at,
                        finished_at=at + timedelta(minutes=6),
                        pain_before=before,
                        pain_after=max(0, before - rng.randint(0, 3)),
                        steps_completed=4,
                        steps_total=4,
                    )
                )
                if len(rows) >= BATCH:
                    insert(Practice, rows)
                    practice_count += len(rows)
                    rows = []
        insert(Practice, rows)
        practice_count += len(rows)
        return entry_count, practice_count
