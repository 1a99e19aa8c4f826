"""Log-in throttling helpers (django-axes)."""


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username django-axes records for a failed log-in, cut to what a username can be.

    A posted "username" of any length or with NUL bytes must not break the database
    insert of the failed attempt (PostgreSQL enforces the column's 255 characters and
    refuses NUL); no real username is longer than the user model allows.
    """
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "data", request.POST).get("username")
    if value is None:
        return None
    from django.contrib.auth import get_user_model

    limit = get_user_model()._meta.get_field("username").max_length or 150
    return str(value).replace("\x00", "")[:limit]
