from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        checks.register(check_default_region, checks.Tags.compatibility)


def check_default_region(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """DEFAULT_REGION must be one of the regions people can choose (fixtures/regions.json)."""
    from django.conf import settings

    from safety.regions import regions

    if settings.DEFAULT_REGION in regions():
        return []
    return [
        checks.Error(
            f"DEFAULT_REGION is {settings.DEFAULT_REGION!r}, which is not a region of "
            f"fixtures/regions.json ({', '.join(regions())}).",
            id="accounts.E001",
        )
    ]
