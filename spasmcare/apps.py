from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


def _content_changed(sender, instance, **kwargs) -> None:
    from django.conf import settings

    from spasmcare.cache import clear_page_cache

    if not settings.PAGE_CACHE_SECONDS:
        return
    # A person's own session is never on a cached page; starter sessions may be.
    if sender.__name__ == "Routine" and instance.owner_id is not None:
        return
    if sender.__name__ == "RoutineStep":
        routine = sender._meta.get_field("routine").related_model
        if routine.objects.filter(pk=instance.routine_id, owner__isnull=False).exists():
            return
    clear_page_cache()


def _personal_data_changed(sender, instance, **kwargs) -> None:
    """A person's data changed outside their own requests (admin, a command)."""
    from django.conf import settings

    from spasmcare.cache import clear_personal_pages

    if not settings.PERSONAL_PAGE_CACHE_SECONDS:
        return
    owner_id = getattr(instance, "owner_id", None) or getattr(instance, "user_id", None)
    if owner_id is None and sender.__name__ == "RoutineStep":
        routine = sender._meta.get_field("routine").related_model
        owner_id = (
            routine.objects.filter(pk=instance.routine_id)
            .values_list("owner_id", flat=True)
            .first()
        )
    clear_personal_pages(owner_id, from_signal=True)


def _user_changed(sender, instance, **kwargs) -> None:
    from spasmcare.auth import forget_user

    forget_user(instance.user_id if sender.__name__ == "Profile" else instance.pk)


class SpasmcareConfig(AppConfig):
    """Project-level wiring: clears cached content pages when content changes."""

    name = "spasmcare"
    verbose_name = "SpasmCare"

    def ready(self) -> None:
        from accounts.models import Profile
        from routines.models import GuideItem, GuidePage, Practice, Routine, RoutineStep, Stretch
        from symptoms.models import Episode, FlagAcknowledgement, PainEntry

        for model in (Stretch, GuidePage, GuideItem, Routine, RoutineStep):
            # pre_* still sees an old slug in the database, post_* sees the new one.
            signals = {"pre_save": pre_save, "post_save": post_save}
            signals |= {"pre_delete": pre_delete, "post_delete": post_delete}
            for name, signal in signals.items():
                signal.connect(
                    _content_changed,
                    sender=model,
                    dispatch_uid=f"page-cache-{name}-{model.__name__}",
                )

        personal = (
            PainEntry,
            Episode,
            FlagAcknowledgement,
            Practice,
            Routine,
            RoutineStep,
            Profile,
        )
        for model in personal:
            for name, signal in (("post_save", post_save), ("post_delete", post_delete)):
                signal.connect(
                    _personal_data_changed,
                    sender=model,
                    dispatch_uid=f"personal-cache-{name}-{model.__name__}",
                )

        from django.contrib.auth import get_user_model

        for model in (get_user_model(), Profile):
            for name, signal in (("post_save", post_save), ("post_delete", post_delete)):
                signal.connect(
                    _user_changed, sender=model, dispatch_uid=f"user-cache-{name}-{model.__name__}"
                )
