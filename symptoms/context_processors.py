from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from symptoms import episode_flags


def warning_banner(request: HttpRequest) -> dict:
    """The signed-in person's active immediate and urgent flags, for the banner at the
    top of every page (read only when a page shows the banner)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"banner_flags": []}

    return {"banner_flags": SimpleLazyObject(lambda: episode_flags.banner_flags(user))}
