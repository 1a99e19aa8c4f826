#!/usr/bin/env python3
"""How long the FHIR export of three years of data takes, and that it validates.

    .venv/bin/python scripts/fhir_bench.py                  # SQLite file in a temp folder
    .venv/bin/python scripts/fhir_bench.py --rounds 9
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fhir_bench \\
        .venv/bin/python scripts/fhir_bench.py              # PostgreSQL: an empty database

Builds a fresh database with one person from ``manage.py generate_demo_data`` (1,095
daily entries, 500 practices), adds warning signs to a few entries and a "seen by a
doctor", then times ``transfer.fhir.fhir_json`` (queries, models, JSON) in this process:
wall-clock and CPU time, median of the rounds after one warm-up. It then parses the file
back with fhir.resources' Bundle (the validation a receiving system would do), and times
the library's own JSON writer against ours on the same Bundle as a ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, rounds: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--practices", type=int, default=500)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="spasmcare-fhir-bench-")
    os.environ.setdefault("SQLITE_PATH", str(Path(folder) / "db.sqlite3"))
    os.environ.setdefault("SPASMCARE_LOCAL", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from fhir.resources.R4B.bundle import Bundle

    from symptoms.models import Episode, FlagAcknowledgement, PainEntry
    from transfer import fhir

    call_command("migrate", verbosity=0)
    call_command(
        "generate_demo_data",
        username="fhir-bench",
        days=args.days,
        practices=args.practices,
        replace=True,
        verbosity=0,
    )
    person = get_user_model().objects.get(username="fhir-bench")
    entries = PainEntry.objects.for_owner(person).order_by("local_date")
    step = max(1, entries.count() // 6)
    marked = list(entries.values_list("pk", flat=True)[::step])
    PainEntry.objects.filter(pk__in=marked[0::2]).update(leg_symptoms="one")
    PainEntry.objects.filter(pk__in=marked[1::2]).update(bladder_bowel=True)
    episode = Episode.objects.get(entries__pk=marked[0])
    FlagAcknowledgement.objects.create(
        owner=person, episode=episode, code="leg_one", seen_at=timezone.now()
    )

    fhir.fhir_json(person)  # warm-up: imports, the profile, shared elements
    walls, cpus, body = timed(lambda: fhir.fhir_json(person), args.rounds)
    parse_walls, _, parsed = timed(lambda: Bundle.model_validate_json(body), 1)
    kinds = Counter(entry.resource.get_resource_type() for entry in parsed.entry)
    bundle = fhir.build_bundle(person)
    ours, _, _ = timed(lambda: fhir.to_json(bundle), 3)
    library, _, _ = timed(lambda: bundle.model_dump_json(), 3)
    same = fhir.to_json(bundle) == bundle.model_dump_json().encode()

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"FHIR export of {person.username}: {args.days} days of entries, {args.practices} practices"
    )
    print(f"database: {connection.vendor}; {os.cpu_count()} CPUs; load average {load}")
    print(f"file: {len(body) / 1e6:.2f} MB, {len(parsed.entry)} resources: {dict(kinds)}")
    print(
        f"fhir_json() over {args.rounds} rounds: median {statistics.median(walls):.3f} s "
        f"(min {min(walls):.3f}, max {max(walls):.3f}); "
        f"CPU median {statistics.median(cpus):.3f} s"
    )
    print(f"parsed back and validated by fhir.resources Bundle: {parse_walls[0]:.3f} s")
    ours, library = statistics.median(ours), statistics.median(library)
    print(
        f"JSON writing: ours {ours:.3f} s, the library's {library:.3f} s "
        f"(x{library / ours:.1f}); byte-identical: {same}"
    )


if __name__ == "__main__":
    main()
