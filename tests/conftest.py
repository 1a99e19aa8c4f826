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
