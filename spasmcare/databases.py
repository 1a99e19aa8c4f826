"""The database settings: an SQLite file by default (SQLITE_PATH), or DATABASE_URL
(e.g. postgres://... in production). SQLite gets the same tuning whichever way it is
chosen (an sqlite:///... DATABASE_URL too)."""

import os
from pathlib import Path

import dj_database_url

from spasmcare.env import env_bool, env_int, env_str

SQLITE_ENGINE = "django.db.backends.sqlite3"

SQLITE_OPTIONS = {
    # WAL: readers and one writer together; writes lock up front (IMMEDIATE), wait 20 s.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        # A commit is on disk before it is acknowledged, as on PostgreSQL (~0.3 ms here).
        "PRAGMA synchronous=FULL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}

# PostgreSQL plans a query once per connection (psycopg prepares it on its fifth use);
# DB_PREPARED_STATEMENTS=false behind a pooler in transaction mode (docs/deploy.md).
PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}


def default_database(*, base_dir: Path, testing: bool) -> dict:
    """DATABASES["default"] for this environment."""
    url = env_str("DATABASE_URL")
    if url:
        database = dj_database_url.parse(
            url, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
        )
        if testing and database["ENGINE"] != SQLITE_ENGINE:
            # One test database per test run, so parallel runs on one server never collide.
            database["TEST"] = {
                "NAME": env_str("TEST_DATABASE_NAME") or f"test_{database['NAME']}_{os.getpid()}"
            }
    else:
        database = {
            "ENGINE": SQLITE_ENGINE,
            "NAME": env_str("SQLITE_PATH", str(base_dir / "db.sqlite3")),
            # Reuse the connection: opening one runs the PRAGMAs above every time.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
        }
    if database["ENGINE"] == SQLITE_ENGINE:
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    elif env_bool("DB_PREPARED_STATEMENTS", True):
        database["OPTIONS"] = {**PREPARED_STATEMENTS, **database.get("OPTIONS", {})}
    return database
