"""Web push with our own VAPID keys: key pairs, checking a browser's subscription, sending.

The payload is encrypted for the subscribing browser (aes128gcm, RFC 8291) by pywebpush
and signed with our VAPID key (RFC 8292); the push service sees neither its content nor
who it is for.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import socket
from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

logger = logging.getLogger(__name__)

# A push the phone has not picked up within a day is no longer a reminder worth showing.
TTL_SECONDS = 12 * 60 * 60
TIMEOUT_SECONDS = 10
GONE = {404, 410}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class KeyPair:
    public: str  # uncompressed P-256 point, base64url: the browser's applicationServerKey
    private: str  # the 32-byte private value, base64url


def new_key_pair() -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return KeyPair(
        public=b64url(public), private=b64url(key.private_numbers().private_value.to_bytes(32))
    )


def enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


@lru_cache(maxsize=4)
def _vapid(private: str) -> Vapid02:
    return Vapid02.from_raw(private.encode())


def _subject() -> str:
    if settings.VAPID_SUBJECT:
        return settings.VAPID_SUBJECT
    return "mailto:" + (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@localhost")


def endpoint_error(endpoint: str) -> str | None:
    """Why the server must not post to this endpoint, or None if it may."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "The push endpoint is not a valid address."
    if parts.scheme not in ("https", "http") or not host:
        return "The push endpoint is not a valid address."
    if settings.PUSH_ALLOW_LOCAL_ENDPOINTS:
        return None
    if parts.scheme != "https" or port not in (None, 443):
        return "The push endpoint must be an https address."
    if not _is_public(host):
        return "The push endpoint must be a public push service."
    return None


def _is_public(host: str) -> bool:
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            return False
        try:
            infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):  # not found; a name no resolver takes (a..b)
            return False
        addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    return all(address.is_global for address in addresses)


def keys_error(p256dh: str, auth: str) -> str | None:
    """Why these subscription keys cannot be used, or None."""
    try:
        point = b64url_decode(p256dh)
        secret = b64url_decode(auth)
    except (binascii.Error, ValueError):
        return "The subscription keys are not valid."
    if len(point) != 65 or point[0] != 4 or len(secret) != 16:
        return "The subscription keys are not valid."
    return None


class Gone(Exception):
    """The push service says this subscription no longer exists."""


def send(subscription_info: dict, payload: dict, *, session: requests.Session) -> None:
    """Encrypt and post one push. Raises Gone for 404/410, WebPushException otherwise."""
    try:
        webpush(
            subscription_info,
            data=json.dumps(payload, separators=(",", ":")),
            vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
            vapid_claims={"sub": _subject()},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
            headers={"Urgency": "normal"},
            requests_session=session,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            raise Gone(status) from error
        raise
