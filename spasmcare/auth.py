"""Django's ModelBackend, with the signed-in person (and their profile) kept in the cache.

Every signed-in request loads the user and, for the time zone, the profile: two
queries that are most of the cost of a cached page. With a shared cache (REDIS_URL)
both are kept for USER_CACHE_SECONDS under "auth:user:<id>", and dropped whenever
the user or the profile is saved or deleted (spasmcare.apps), so a password change,
a deactivation or a new time zone applies on the next request on every instance.
Django still checks the session's password hash against the cached user on every
request. Without a shared cache (or with USER_CACHE_SECONDS=0) this is ModelBackend.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache


def user_key(user_id) -> str:
    return f"auth:user:{user_id}"


def forget_user(user_id) -> None:
    if user_id is not None and settings.USER_CACHE_SECONDS:
        cache.delete(user_key(user_id))


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        seconds = settings.USER_CACHE_SECONDS
        if not seconds:
            return super().get_user(user_id)
        key = user_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            from accounts.services import get_profile

            get_profile(user)  # kept on the user as _profile_cache
            cache.set(key, user, seconds)
        return user if self.user_can_authenticate(user) else None


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
