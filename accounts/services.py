"""Account writes: sign-up with a profile, time zone, deleting everything."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.crypto import salted_hmac

from accounts.models import Profile


def valid_time_zone(name: str | None) -> str:
    """The IANA zone name if it is one we know, else "UTC"."""
    if name and name in zoneinfo.available_timezones():
        return name
    return "UTC"


def get_profile(user: AbstractBaseUser) -> Profile:
    """The person's profile, created on first use (e.g. for users made by createsuperuser)."""
    cached = getattr(user, "_profile_cache", None)
    if cached is not None:
        return cached
    profile, _ = Profile.objects.get_or_create(user=user)
    user._profile_cache = profile
    return profile


@transaction.atomic
def create_account(
    *, username: str, email: str, password: str, time_zone: str | None = None
) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Profile.objects.create(user=user, time_zone=valid_time_zone(time_zone))
    return user


@transaction.atomic
def delete_account(*, user: AbstractBaseUser) -> None:
    """Delete the person and, through cascades, every entry, episode, acknowledgement,
    routine and practice they own."""
    user.delete()


def device_owner_key(user: AbstractBaseUser) -> str:
    """An opaque key for the person, kept with what their phone stores offline, so an
    entry made on the phone is only ever sent for the account it was made in. It says
    nothing about the person (an HMAC of the id with the site's secret)."""
    return salted_hmac("spasmcare.offline.owner", str(user.pk), algorithm="sha256").hexdigest()[:32]
