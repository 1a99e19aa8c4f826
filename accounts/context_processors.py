from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from accounts.services import device_owner_key, get_profile
from safety.regions import get_region

# Signed out, the region chosen on the quick check is kept in this cookie only.
REGION_COOKIE = "region"


def region_for(request: HttpRequest):
    """The person's region: their profile's, or (signed out) the cookie's, or the default."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return get_profile(user).care_region
    return get_region(request.COOKIES.get(REGION_COOKIE), default=settings.DEFAULT_REGION)


def care_region(request: HttpRequest) -> dict:
    """Which numbers to offer with a warning, and where the person can change them."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "care_region": region_for(request),
        "change_region_url": reverse("accounts:account" if signed_in else "symptoms:check")
        + "#region",
    }


def offline_owner(request: HttpRequest) -> dict:
    """The signed-in person's opaque key for what the phone keeps offline (base.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"offline_owner": ""}
    return {"offline_owner": device_owner_key(user)}
