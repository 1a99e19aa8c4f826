from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """The warning signs and the red-flag checker: the bottom layer, used by every app."""

    name = "safety"
