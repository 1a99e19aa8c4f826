"""Limits on share pages, per link and per address, counted in Django's cache.

Fixed windows: the first request of a window creates the counter with the window as
its lifetime. The address is kept only as a keyed hash inside the counter's key, for
the length of the window; nothing else stores it.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from accounts.ratelimit import within as _within

# (requests, seconds)
PER_ADDRESS = (30, 60)
PER_LINK = (20, 60)
KEY_PREFIX = "share-rate:"


def allowed(request: HttpRequest, token_hash: str) -> bool:
    """False when this address or this link asked too often in the current window."""
    address = get_client_ip_address(request) or "unknown"
    address_key = salted_hmac("sharing.ratelimit", address, algorithm="sha256").hexdigest()[:32]
    if not _within(f"{KEY_PREFIX}address:{address_key}", *PER_ADDRESS):
        return False
    return _within(f"{KEY_PREFIX}link:{token_hash[:32]}", *PER_LINK)
