"""Remove for good what people deleted over a day ago (accounts.deletion).

Deleted pain entries, episodes left empty and sessions are kept a day so that Undo
can bring them back; this removes the older ones. The reminder scheduler also does it
once an hour, and each new deletion purges its owner's expired rows.
"""

from django.core.management.base import BaseCommand

from routines import services


class Command(BaseCommand):
    help = "Remove for good the pain entries, episodes and sessions deleted over a day ago."

    def handle(self, *args, **options) -> None:
        removed = services.purge_everything_deleted()
        self.stdout.write(f"Removed {removed} deleted row(s) older than a day.")
