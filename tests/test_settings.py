"""Settings read from the environment: each set-up is checked in a fresh interpreter."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Every test here runs a fresh interpreter (or server) with the environment it names,
# never the database of the run that collects it.
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parent.parent
CONFIG_VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "SECURE_SSL",
    "SECURE_PROXY_SSL_HEADER",
    "ADMIN_PATH",
    "SQLITE_PATH",
    "DB_CONN_MAX_AGE",
    "DB_PREPARED_STATEMENTS",
    "PAGE_CACHE_SECONDS",
    "SPASMCARE_LOCAL",
    "SPASMCARE_TESTING",
    "SPASMCARE_BENCH",
    "CACHE_KEY_PREFIX",
    "TEST_DATABASE_NAME",
    "TASKS_BACKEND",
    "SITE_URL",
    "VAPID_PUBLIC_KEY",
    "VAPID_PRIVATE_KEY",
    "PUSH_ALLOW_LOCAL_ENDPOINTS",
)
PRINT_SETTINGS = textwrap.dedent(
    """
    import json, django
    from django.conf import settings
    django.setup()
    db = settings.DATABASES["default"]
    print(json.dumps({
        "engine": db["ENGINE"],
        "name": str(db["NAME"]),
        "options": db.get("OPTIONS", {}),
        "conn_max_age": db.get("CONN_MAX_AGE"),
        "conn_health_checks": db.get("CONN_HEALTH_CHECKS"),
        "cache": settings.CACHES["default"]["BACKEND"],
        "cache_location": settings.CACHES["default"].get("LOCATION"),
        "session_engine": settings.SESSION_ENGINE,
        "axes_handler": settings.AXES_HANDLER,
        "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
        "admin_path": settings.ADMIN_PATH,
        "debug": settings.DEBUG,
        "secure_ssl_redirect": settings.SECURE_SSL_REDIRECT,
        "proxy_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    }))
    """
)

# What a connection opened by the app's settings really runs with.
PRINT_PRAGMAS = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.db import connection
    found = {}
    with connection.cursor() as cursor:
        for pragma in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys"):
            cursor.execute(f"PRAGMA {pragma}")
            found[pragma] = cursor.fetchone()[0]
    print(json.dumps(found))
    """
)
SYNCHRONOUS_FULL = 2


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env["DJANGO_SETTINGS_MODULE"] = "spasmcare.settings"
    env.update(overrides)
    return env


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_under(**env: str) -> dict:
    return printed_by(PRINT_SETTINGS, **env)


def printed_by(code: str, **env: str) -> dict:
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_default_is_sqlite_tuned_for_concurrent_writers_and_local_memory_cache():
    found = settings_under(SECRET_KEY="x" * 60)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["options"]["timeout"] >= 5
    assert "journal_mode=WAL" in found["options"]["init_command"]
    assert "busy_timeout" in found["options"]["init_command"]
    assert found["conn_max_age"] >= 60
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["session_engine"] == "django.contrib.sessions.backends.db"
    assert found["axes_handler"] == "spasmcare.auth.DatabaseHandler"
    assert found["page_cache_seconds"] > 0
    assert found["debug"] is False


@pytest.mark.parametrize("how", ["SQLITE_PATH", "DATABASE_URL"])
def test_sqlite_gets_the_same_tuning_whichever_way_it_is_chosen(tmp_path, how):
    """An sqlite:/// DATABASE_URL (a natural twelve-factor setting) once lost the WAL
    journal, the immediate write transactions and the busy timeout."""
    path = tmp_path / "chosen.sqlite3"
    env = (
        {"SQLITE_PATH": str(path)}
        if how == "SQLITE_PATH"
        else {"DATABASE_URL": f"sqlite:///{path}"}
    )
    found = settings_under(SECRET_KEY="x" * 60, **env)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(path)
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["options"]["timeout"] == 20
    assert "PRAGMA journal_mode=WAL;" in found["options"]["init_command"]
    assert "PRAGMA busy_timeout=20000;" in found["options"]["init_command"]
    assert found["conn_max_age"] >= 60
    assert found["conn_health_checks"] is True
    # ...and a connection really runs with it: WAL, commits that reach the disk before
    # they are acknowledged (an entry survives a power cut), the wait, foreign keys.
    pragmas = printed_by(PRINT_PRAGMAS, SECRET_KEY="x" * 60, **env)
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": SYNCHRONOUS_FULL,
        "busy_timeout": 20000,
        "foreign_keys": 1,
    }


def test_database_url_selects_postgresql_with_persistent_health_checked_connections():
    found = settings_under(
        SECRET_KEY="x" * 60, DATABASE_URL="postgres://app:pw@db.internal:5432/spasmcare"
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "spasmcare"
    # Without persistent connections every request pays a new connection.
    assert found["conn_max_age"] >= 60
    assert found["conn_health_checks"] is True


def test_postgresql_plans_each_query_once_per_connection_unless_turned_off():
    url = "postgres://app:pw@db.internal:5432/spasmcare"
    options = settings_under(SECRET_KEY="x" * 60, DATABASE_URL=url)["options"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}
    off = settings_under(SECRET_KEY="x" * 60, DATABASE_URL=url, DB_PREPARED_STATEMENTS="false")
    assert off["options"] == {}


def test_postgresql_driver_is_psycopg_3():
    import psycopg

    assert int(psycopg.__version__.split(".")[0]) == 3


def test_redis_url_moves_cache_sessions_and_login_throttling_to_redis():
    found = settings_under(SECRET_KEY="x" * 60, REDIS_URL="redis://127.0.0.1:6379/3")
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_location"] == "redis://127.0.0.1:6379/3"
    assert found["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert found["axes_handler"] == "spasmcare.auth.CacheHandler"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(PRINT_SETTINGS)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_is_rejected_not_guessed():
    result = run_python(PRINT_SETTINGS, SECRET_KEY="x" * 60, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_proxy_ssl_header_comes_from_the_environment():
    found = settings_under(
        SECRET_KEY="x" * 60, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https"
    )
    assert found["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["secure_ssl_redirect"] is True


def test_admin_lives_at_the_path_from_the_environment():
    code = PRINT_SETTINGS + textwrap.dedent(
        """
        from django.urls import resolve, Resolver404
        print(resolve("/back-office-7f3/").app_name)
        try:
            resolve("/admin/")
            print("admin-still-at-default")
        except Resolver404:
            print("default-gone")
        """
    )
    result = run_python(code, SECRET_KEY="x" * 60, ADMIN_PATH="back-office-7f3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert lines[-2:] == ["admin", "default-gone"]


MAILER_SETTINGS = textwrap.dedent(
    """
    import json, warnings, django
    warnings.simplefilter("error")
    from django.conf import settings
    django.setup()
    from django.core.mail import mailers
    backend = mailers.default
    print(json.dumps({
        "class": type(backend).__module__ + "." + type(backend).__name__,
        "host": getattr(backend, "host", None),
        "port": getattr(backend, "port", None),
        "username": getattr(backend, "username", None),
        "use_tls": getattr(backend, "use_tls", None),
    }))
    """
)


def mailer_settings(**env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", MAILER_SETTINGS],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in clean_env(SPASMCARE_LOCAL="1").items()
                if not k.startswith("EMAIL_")
            },
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_mail_goes_to_the_console_by_default_without_deprecated_settings():
    assert mailer_settings()["class"] == "django.core.mail.backends.console.EmailBackend"


def test_email_host_switches_mail_to_smtp():
    mailer = mailer_settings(
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="sender",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="false",
    )
    assert mailer == {
        "class": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.example.org",
        "port": 2525,
        "username": "sender",
        "use_tls": False,
    }


PRINT_TASKS = textwrap.dedent(
    """
    import json, django
    from django.conf import settings
    django.setup()
    print(json.dumps({
        "tasks": settings.TASKS,
        "rq": getattr(settings, "RQ_QUEUES", None),
        "apps": [a for a in settings.INSTALLED_APPS if "rq" in a or "tasks" in a],
        "push_local": settings.PUSH_ALLOW_LOCAL_ENDPOINTS,
    }))
    """
)


def test_the_task_queue_is_the_database_without_redis_and_rq_with_it():
    found = json.loads(run_python(PRINT_TASKS, SECRET_KEY="x" * 60).stdout)
    assert found["tasks"]["default"] == {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["spasmcare"],
    }
    assert found["apps"] == ["django_tasks_db"] and found["push_local"] is False
    found = json.loads(
        run_python(
            PRINT_TASKS,
            SECRET_KEY="x" * 60,
            REDIS_URL="redis://127.0.0.1:6379/3",
            CACHE_KEY_PREFIX="clinic-a",
        ).stdout
    )
    assert found["tasks"]["default"] == {
        "BACKEND": "django_tasks_rq.RQBackend",
        "QUEUES": ["clinic-a"],  # apps sharing one Redis never run each other's tasks
    }
    assert found["rq"]["clinic-a"]["URL"] == "redis://127.0.0.1:6379/3"
    assert found["apps"] == ["django_tasks_db", "django_rq", "django_tasks_rq"]


@pytest.mark.parametrize(
    "env, message",
    [
        ({"TASKS_BACKEND": "rq"}, "TASKS_BACKEND=rq needs REDIS_URL"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be database or rq"),
        ({"CACHE_KEY_PREFIX": "a b"}, "CACHE_KEY_PREFIX names the task queue too"),
        ({"VAPID_PUBLIC_KEY": "abc"}, "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY"),
        ({"SITE_URL": "spasmcare.example.org"}, "SITE_URL must start with http"),
    ],
)
def test_bad_task_and_push_settings_are_refused(env, message):
    result = run_python(PRINT_TASKS, SECRET_KEY="x" * 60, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_wsgi_application_freezes_what_it_loaded_for_the_garbage_collector():
    """spasmcare.wsgi (what gunicorn serves) loads Django and the apps, then moves those
    objects out of the collector's way (gc.freeze), so a full collection during a
    request walks only what requests made."""
    code = textwrap.dedent(
        """
        import gc, json
        before = gc.get_freeze_count()
        from spasmcare.wsgi import application
        from django.apps import apps
        models = [model.__name__ for model in apps.get_models()]
        print(json.dumps({"before": before, "after": gc.get_freeze_count(), "models": models}))
        """
    )
    found = printed_by(code, SPASMCARE_LOCAL="1")
    assert "PainEntry" in found["models"]  # the apps were loaded before the freeze
    # Django and the apps: ~140,000 objects (a few hundred are frozen at start-up here).
    assert found["after"] - found["before"] > 50_000, found
