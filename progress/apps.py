from django.apps import AppConfig


class ProgressConfig(AppConfig):
    """Pages that read both the pain log and the practices: progress and the summary."""

    name = "progress"
