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
def other(django_user_model):
    """A second person, whose data the first must never see."""
    return django_user_model.objects.create_user(username="bob", password="pw-calm-456")
