"""Print a new VAPID key pair for web push, as environment variables."""

from django.core.management.base import BaseCommand

from reminders.push import new_key_pair


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair (VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY lines) for web "
        "push. Keep the private key secret and the pair for good: browsers subscribed with "
        "one public key cannot be reached with another."
    )

    def handle(self, *args, **options) -> None:
        keys = new_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={keys.public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={keys.private}")
