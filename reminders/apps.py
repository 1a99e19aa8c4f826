from django.apps import AppConfig
from django.db.models.signals import post_save


def _time_zone_changed(sender, instance, created: bool, **kwargs) -> None:
    """A person's reminders follow their time zone: plan them again when it changes."""
    from reminders import services

    if not created:
        services.replan_owner(instance.user)


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self) -> None:
        from accounts.models import Profile

        post_save.connect(_time_zone_changed, sender=Profile, dispatch_uid="reminders-zone")
