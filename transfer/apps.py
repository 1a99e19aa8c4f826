from django.apps import AppConfig


class TransferConfig(AppConfig):
    """A person's data to take away (JSON and CSV) and to bring back (JSON import)."""

    name = "transfer"
