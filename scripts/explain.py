#!/usr/bin/env python3
"""EXPLAIN ANALYZE every query behind a person's pages, on the database in DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spasmcare_scale SPASMCARE_LOCAL=1 \
        .venv/bin/python scripts/explain.py --username person-05000

Renders each page through Django's test client as that person, captures the SQL it runs
and prints, per page, each query with its EXPLAIN (ANALYZE, BUFFERS) plan as Markdown.
Used for docs/scaling.md with the population from generate_demo_data --people 10000.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL"] = "false"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--username", default="person-05000")
    parser.add_argument(
        "--pages", nargs="+", default=["/symptoms/", "/symptoms/progress/", "/routines/history/"]
    )
    opts = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at PostgreSQL.")
    client = Client()
    client.force_login(get_user_model().objects.get(username=opts.username))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM symptoms_painentry")
        entries = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM auth_user")
        people = cursor.fetchone()[0]
    print(f"{people:,} people, {entries:,} pain entries; pages as {opts.username}\n")
    for page in opts.pages:
        client.get(page)  # warm up (profile, caches)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        print(f"### {page} ({response.status_code}, {len(captured)} queries)\n")
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print("```sql\n" + sql + "\n```\n```\n" + plan + "\n```\n")


if __name__ == "__main__":
    main()
