"""Account writes: sign-up with a profile, time zone, deleting everything."""

from __future__ import annotations

import zoneinfo

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.utils.crypto import salted_hmac

from accounts.models import Profile


def valid_time_zone(name: str | None) -> str:
    """The IANA zone name if it is one we know, else "UTC"."""
    if name and name in zoneinfo.available_timezones():
        return name
    return "UTC"


def get_profile(user: AbstractBaseUser) -> Profile:
    """The person's profile, created on first use (e.g. for users made by createsuperuser).

    The signed-in person's arrives with them (accounts.backends.ProfileBackend)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


@transaction.atomic
def create_account(
    *, username: str, email: str, password: str, time_zone: str | None = None
) -> AbstractBaseUser:
    """A new account whose email address waits for confirmation (pending_email).

    Whether another account already uses the address is decided by the worker that
    mails the confirmation link, never here: sign-up answers the same either way.
    """
    user = get_user_model().objects.create_user(username=username, email="", password=password)
    Profile.objects.create(
        user=user, time_zone=valid_time_zone(time_zone), pending_email=email.strip()
    )
    return user


def email_in_use(email: str, *, besides: AbstractBaseUser | None = None) -> bool:
    users = get_user_model()._default_manager.filter(email__iexact=email)
    if besides is not None:
        users = users.exclude(pk=besides.pk)
    return users.exists()


def email_token(user: AbstractBaseUser, email: str) -> str:
    """A signed link token naming the account and (as a keyed hash) the address."""
    return signing.dumps({"u": user.pk, "e": _email_hash(email)}, salt=EMAIL_SALT, compress=True)


@transaction.atomic
def confirm_email(token: str) -> AbstractBaseUser | None:
    """Make the pending address the account's email; None if the link is not valid
    (changed, expired, already used, or the address now belongs to someone else)."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    profile = (
        Profile.objects.select_for_update().select_related("user").filter(user_id=data.get("u"))
    ).first()
    if profile is None or not profile.pending_email:
        return None
    email = profile.pending_email
    if data.get("e") != _email_hash(email) or email_in_use(email, besides=profile.user):
        return None
    user = profile.user
    user.email = email
    user.save(update_fields=["email"])
    profile.pending_email = ""
    profile.save(update_fields=["pending_email"])
    return user


EMAIL_SALT = "accounts.confirm-email"
EMAIL_LINK_DAYS = 3


def _email_hash(email: str) -> str:
    return salted_hmac(EMAIL_SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:24]


@transaction.atomic
def delete_account(*, user: AbstractBaseUser) -> None:
    """Delete the person and, through cascades, every entry, episode, acknowledgement,
    routine and practice they own; and axes' records of their log-ins (username, address,
    browser), which name them but have no foreign key to cascade from."""
    username = user.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    user.delete()


def device_owner_key(user: AbstractBaseUser) -> str:
    """An opaque key for the person, kept with what their phone stores offline, so an
    entry made on the phone is only ever sent for the account it was made in. It says
    nothing about the person (an HMAC of the id with the site's secret)."""
    return salted_hmac("spasmcare.offline.owner", str(user.pk), algorithm="sha256").hexdigest()[:32]
