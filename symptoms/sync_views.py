"""Entries made on the phone while offline arrive here (static/js/outbox.js).

``GET /symptoms/sync/`` says who is signed in (the opaque key the phone stored with its
entries) and gives a CSRF token; ``POST`` saves one entry. The phone's id for the entry
(``uid``) is the idempotency key: sending the same entry again returns the entry saved
the first time, never a second one. The entry is validated by the same form as
``/symptoms/new/``; a refused entry stays on the phone with the form's messages.
"""

import uuid

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.services import device_owner_key
from symptoms import episode_flags, services
from symptoms.forms import PainEntryForm
from symptoms.models import Episode, PainEntry

SIGNED_OUT = {"signedIn": False, "error": "You are logged out. Log in to send what is waiting."}
OTHER_ACCOUNT = "This was made in another account on this phone. Log in to that account to send it."


def signed_in_only(view):
    """Signed out: a JSON 403 the phone understands (never a redirect to the login page)."""

    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse(SIGNED_OUT, status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def who(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "signedIn": True,
            "owner": device_owner_key(request.user),
            "csrfToken": get_token(request),
        }
    )


def device_uid(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("uid", ""))
    except ValueError:
        return None


def field_error(field: str, message: str) -> JsonResponse:
    return JsonResponse({"errors": {field: [message]}}, status=400)


def refused(request: HttpRequest) -> JsonResponse | None:
    """The answer for a send that cannot be taken, whatever it holds; else None."""
    if device_uid(request) is None:
        return JsonResponse(
            {"errors": {"uid": ["This entry has no id from the phone."]}}, status=400
        )
    if request.POST.get("owner") != device_owner_key(request.user):
        return JsonResponse({"error": OTHER_ACCOUNT}, status=409)
    return None


def form_errors(form) -> dict:
    return {
        "errors": {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    }


def _saved(entry: PainEntry, *, created: bool, alert: bool = False) -> JsonResponse:
    return JsonResponse(
        {
            "id": entry.pk,
            "uid": str(entry.uid),
            "created": created,
            "alertUrl": reverse("symptoms:entry_saved", args=[entry.pk]) if alert else None,
        },
        status=201 if created else 200,
    )


@never_cache
@signed_in_only
@require_http_methods(["GET", "POST"])
def entry_sync(request: HttpRequest) -> JsonResponse:
    if request.method == "GET":
        return who(request)
    answer = refused(request)
    if answer is not None:
        return answer
    uid = device_uid(request)
    existing = PainEntry.objects.filter(owner=request.user, uid=uid).first()
    if existing is not None:
        return _saved(existing, created=False)
    form = PainEntryForm(
        request.POST, zone=services.zone_of(request.user), ask_onset="onset_date" in request.POST
    )
    if not form.is_valid():
        return JsonResponse(form_errors(form), status=400)
    entry = form.save(commit=False)
    entry.uid = uid
    try:
        with transaction.atomic():
            saved = services.save_entry(
                owner=request.user, entry=entry, onset_date=form.cleaned_data.get("onset_date")
            )
    except (IntegrityError, Episode.DoesNotExist):
        # The same entry sent twice at once: the other request saved it (or is saving
        # it: the phone keeps the entry and sends it again later).
        existing = PainEntry.objects.filter(owner=request.user, uid=uid).first()
        if existing is None:
            return JsonResponse({"error": "Busy: it will be sent again."}, status=503)
        return _saved(existing, created=False)
    alert = episode_flags.alert_for(saved)
    if alert:
        episode_flags.note_alert_shown(episode=saved.episode, flags=alert)
    return _saved(saved, created=True, alert=bool(alert))
