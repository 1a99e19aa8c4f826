from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


def _content_changed(sender, instance, **kwargs) -> None:
    if sender.__name__ == "Routine" and instance.owner_id is not None:
        return  # a person's own session is never on a cached page
    from spasmcare.cache import clear_page_cache

    clear_page_cache()


class SpasmcareConfig(AppConfig):
    """Project-level wiring: clears cached content pages when content changes."""

    name = "spasmcare"
    verbose_name = "SpasmCare"

    def ready(self) -> None:
        from routines.models import GuideItem, GuidePage, Routine, Stretch

        for model in (Stretch, GuidePage, GuideItem, Routine):
            # pre_* still sees an old slug in the database, post_* sees the new one.
            signals = {"pre_save": pre_save, "post_save": post_save}
            signals |= {"pre_delete": pre_delete, "post_delete": post_delete}
            for name, signal in signals.items():
                signal.connect(
                    _content_changed,
                    sender=model,
                    dispatch_uid=f"page-cache-{name}-{model.__name__}",
                )
