"""Share links: make, find by token, record an opening, revoke.

A token is 32 random bytes from ``secrets`` (256 bits), URL-safe base64. Only its
SHA-256 hash is stored; a link is looked up by that hash (an index lookup on a value the
visitor cannot steer), then the hash is compared once more with hmac.compare_digest.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.db.models import F

from progress.summary import Span
from sharing import agents
from sharing.models import ShareLink, ShareOpening

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# A download within this long after a counted opening belongs to that visit.
VISIT_SECONDS = 60 * 60


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(
    *,
    owner,
    span: Span,
    days: int,
    max_openings: int | None,
    display_name: str,
    allow_fhir: bool,
    now: datetime,
) -> tuple[ShareLink, str]:
    """The new link and its token (shown to the person once, stored nowhere)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink.objects.create(
        owner=owner,
        token_hash=hash_token(token),
        start_date=span.start,
        end_date=span.end,
        episode=span.episode,
        display_name=display_name,
        allow_fhir=allow_fhir,
        created_at=now,
        expires_at=now + timedelta(days=days),
        max_openings=max_openings,
    )
    return link, token


def find_link(token: str) -> ShareLink | None:
    """The link this token opens, usable or not; None for anything else."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = hash_token(token)
    link = ShareLink.objects.select_related("owner", "episode").filter(token_hash=digest).first()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def record_opening(link: ShareLink, *, kind: str, agent: str, counted: bool, now: datetime) -> bool:
    """Record one opening. A counted one takes one of the link's openings, in a single
    UPDATE, so two visitors can never both take the last one; False when none is left."""
    if counted:
        taken = (
            ShareLink.objects.usable(now).filter(pk=link.pk).update(open_count=F("open_count") + 1)
        )
        if not taken:
            return False
    ShareOpening.objects.create(link=link, opened_at=now, kind=kind, agent=agent, counted=counted)
    return True


def open_link(
    token: str, *, kind: str, user_agent: str, visit: str, now: datetime
) -> ShareLink | None:
    """The link a request may read, with the opening recorded; None when the link is
    unknown, expired, revoked, used up, or does not offer what is asked for, and for
    link previews (they are not recorded)."""
    link = find_link(token)
    if (
        link is None
        or agents.is_link_preview(user_agent)
        or link.revoked_at is not None
        or link.expires_at <= now
        or (kind == ShareOpening.Kind.FHIR and not link.allow_fhir)
    ):
        return None
    # A download from a page opened within the hour belongs to that opening.
    counted = kind == ShareOpening.Kind.PAGE or not in_visit(link, visit)
    agent = agents.coarse_agent(user_agent)
    if not record_opening(link, kind=kind, agent=agent, counted=counted, now=now):
        return None
    return link


def revoke(link: ShareLink, *, now: datetime) -> None:
    if link.revoked_at is None:
        link.revoked_at = now
        link.save(update_fields=["revoked_at"])


def _visit_signer(link: ShareLink) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"sharing.visit:{link.token_hash}")


def visit_stamp(link: ShareLink) -> str:
    """Put on the download links of a page just opened: downloads with it are part of
    that opening and do not count again."""
    return _visit_signer(link).sign(str(link.pk))


def in_visit(link: ShareLink, stamp: str) -> bool:
    try:
        return _visit_signer(link).unsign(stamp, max_age=VISIT_SECONDS) == str(link.pk)
    except signing.BadSignature:
        return False
