"""Log-in throttling (django-axes): the username it records, and its handlers.

Imported by axes once the apps are ready (AXES_HANDLER, AXES_USERNAME_CALLABLE).
"""

from axes.handlers.cache import AxesCacheHandler
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cache_timeout, get_client_cache_keys, get_credentials
from django.conf import settings
from django.db.models import Sum


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


# Failed log-ins are counted per username and address (AXES_FAILURE_LIMIT, a person
# mistyping) and per address whatever the username (AXES_IP_FAILURE_LIMIT, higher: many
# people may share one address). axes compares every count with one limit, so the
# per-address count is scaled to it: AXES_IP_FAILURE_LIMIT failures reach the limit.
# settings.AXES_LOCKOUT_PARAMETERS lists the two, in this order.
LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]


def weighted_failures(counts: list[int]) -> int:
    """The count axes compares with AXES_FAILURE_LIMIT, from the raw counts per
    parameter set of LOCKOUT_PARAMETERS (in that order)."""
    per_pair, per_address = ([*counts, 0, 0])[:2]
    limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.AXES_IP_FAILURE_LIMIT
    return max(per_pair, per_address * limit // max(address_limit, 1))


class CacheHandler(AxesCacheHandler):
    """axes' cache handler (REDIS_URL set) with the per-address count scaled."""

    def get_failures(self, request, credentials=None) -> int:
        keys = get_client_cache_keys(request, credentials)
        return weighted_failures([self.cache.get(key, default=0) for key in keys])

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None:
            # axes decided on the unscaled counts: decide again on the scaled ones.
            request.axes_locked_out = self.is_locked(request, credentials)

    def user_logged_in(self, sender, request, user, **kwargs):
        """A success clears the person's own failures, not the address's: otherwise one
        valid account would reset the count of an address trying many usernames."""
        keys = get_client_cache_keys(request, get_credentials(user.get_username()))
        address_key = keys[1] if len(keys) > 1 else None
        kept = self.cache.get(address_key) if address_key else None
        super().user_logged_in(sender, request, user, **kwargs)
        if kept:
            self.cache.set(address_key, kept, get_cache_timeout(request))


class DatabaseHandler(AxesDatabaseHandler):
    """axes' database handler (embedded set-up) with the per-address count scaled."""

    def get_failures(self, request, credentials=None) -> int:
        attempts = self.get_user_attempts(request, credentials)
        counts = [rows.aggregate(n=Sum("failures_since_start"))["n"] or 0 for rows in attempts]
        return weighted_failures(counts)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success, delete the username+address rows only (see CacheHandler)."""
        own = self.filter_user_attempts(request, credentials)[:1]
        return sum(rows.delete()[0] for rows in own)
