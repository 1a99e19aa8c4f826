"""Shared fixtures. Feature files add their own small factories here."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard
# would otherwise refuse database access from the live-server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def content(db):
    """The real stretch and guide content, loaded as set-up loads it."""
    from django.core.management import call_command

    call_command("load_content", verbosity=0)


@pytest.fixture
def person(django_user_model):
    """A signed-up person; feature files may override it with one of their own."""
    return django_user_model.objects.create_user(username="ada", password="pw-calm-123")


@pytest.fixture
def londoner(django_user_model):
    """A person with an email address whose time zone is Europe/London."""
    from accounts.models import Profile

    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", password="pw-calm-123"
    )
    Profile.objects.create(user=user, time_zone="Europe/London")
    return user


@pytest.fixture
def other(django_user_model):
    """A second person, whose data the first must never see."""
    return django_user_model.objects.create_user(username="bob", password="pw-calm-456")


@pytest.fixture(scope="session")
def vapid_keys():
    from reminders.push import new_key_pair

    return new_key_pair()


@pytest.fixture(autouse=True)
def _push_keys(settings, vapid_keys):
    """Web push is set up in every test, with a key pair made for this run."""
    settings.VAPID_PUBLIC_KEY = vapid_keys.public
    settings.VAPID_PRIVATE_KEY = vapid_keys.private


@pytest.fixture(autouse=True)
def _fresh_fragments():
    """No test sees form parts drawn in another (symptoms/templatetags/form_parts.py),
    nor a page another stored in this process's memory (routines/page_cache.py)."""
    from django.core.cache import caches

    caches["fragments"].clear()
    caches["pages"].clear()


@pytest.fixture
def push_service():
    from tests.push_service import PushService

    service = PushService()
    yield service
    service.close()


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every queued task now, as `manage.py task_worker --batch` does."""
    from django.conf import settings
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    # The worker closes connections between tasks, as a long-running process should;
    # here that would close the test's own transaction (PostgreSQL).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        Worker(
            queue_names=[settings.TASK_QUEUE_NAME],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run
