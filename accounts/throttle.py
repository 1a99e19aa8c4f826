"""Password checks outside the log-in form count as failed log-ins (django-axes).

Deleting an account and changing a password ask for the current password. A wrong one
is reported to axes like a failed log-in (Django's `user_login_failed` signal, with the
request), so the same lock-out applies: after AXES_FAILURE_LIMIT wrong passwords the
person's username and address are locked, and the page answers with axes' lock-out
response instead of checking any more passwords.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse


def credentials_of(user: AbstractBaseUser) -> dict:
    return {"username": user.get_username()}


def lockout_response(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse | None:
    """axes' lock-out response if this person and address may not try a password now."""
    credentials = credentials_of(user)
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    return get_lockout_response(request, None, credentials)


def wrong_password(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Count a wrong current password as a failed log-in. When it reaches the limit,
    axes marks the request and its middleware answers with the lock-out page."""
    user_login_failed.send(sender=__name__, credentials=credentials_of(user), request=request)
