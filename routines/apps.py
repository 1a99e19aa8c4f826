from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


def _content_changed(sender, instance, **kwargs) -> None:
    """Drop the cached signed-out pages when stretch, guide or starter content changes."""
    from django.conf import settings

    from routines import page_cache
    from routines.models import Routine, RoutineStep

    if not settings.PAGE_CACHE_SECONDS:
        return
    # A person's own session is never on a cached page; starter sessions may be.
    if isinstance(instance, Routine) and instance.owner_id is not None:
        return
    if isinstance(instance, RoutineStep) and (
        Routine.objects.filter(pk=instance.routine_id, owner__isnull=False).exists()
    ):
        return
    page_cache.clear_page_cache()


class RoutinesConfig(AppConfig):
    name = "routines"

    def ready(self) -> None:
        from routines.models import GuideItem, GuidePage, Routine, RoutineStep, Stretch

        # pre_* still sees an old slug in the database, post_* sees the new one.
        for model in (Stretch, GuidePage, GuideItem, Routine, RoutineStep):
            for signal in (pre_save, post_save, pre_delete, post_delete):
                signal.connect(_content_changed, sender=model, dispatch_uid=f"page-cache-{model}")
