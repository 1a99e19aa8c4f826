"""Fixed-window counters in Django's cache, and the per-address limit on account mail.

The first request of a window creates the counter with the window as its lifetime.
Keys never hold an address or an email in clear: only a keyed hash of it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

MAIL_KEY_PREFIX = "account-mail:"
MAIL_WINDOW = 3600  # seconds


def within(key: str, limit: int, window: int) -> bool:
    """Count one more use of `key`; False once the window holds more than `limit`."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def keyed_hash(purpose: str, value: str) -> str:
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()[:32]


def account_mail_allowed(email: str) -> bool:
    """Password-reset and sign-up mail to one address: ACCOUNT_MAIL_PER_HOUR at most.

    Counted for every request naming the address, known or not, so the answer and the
    work done are the same for both."""
    key = MAIL_KEY_PREFIX + keyed_hash("accounts.mail", email.strip().lower())
    return within(key, settings.ACCOUNT_MAIL_PER_HOUR, MAIL_WINDOW)
