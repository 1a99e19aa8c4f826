from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Share links: a private, expiring, revocable read-only link to the doctor summary."""

    name = "sharing"
