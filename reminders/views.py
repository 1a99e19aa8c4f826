import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from reminders import push, sending, services
from reminders.forms import PauseForm, QuietHoursForm, ReminderForm
from reminders.models import PushSubscription, QuietHours, Reminder


def _own(request: HttpRequest, pk: int) -> Reminder:
    reminders = Reminder.objects.shown().select_related("routine")
    return get_object_or_404(reminders, pk=pk, owner=request.user)


def _list_page(request: HttpRequest, quiet_form: QuietHoursForm, status: int = 200):
    quiet = QuietHours.objects.filter(owner=request.user).first()
    context = {
        "nav": "account",
        "reminders": Reminder.objects.for_owner(request.user).shown().select_related("routine"),
        "today": timezone.localdate(),
        "quiet": quiet,
        "quiet_form": quiet_form,
        "push_enabled": push.enabled(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        "devices": _devices(request),
    }
    return render(request, "reminders/reminder_list.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def reminder_list(request: HttpRequest) -> HttpResponse:
    quiet = QuietHours.objects.filter(owner=request.user).first()
    initial = {"start": quiet.start, "end": quiet.end} if quiet else {}
    return _list_page(request, QuietHoursForm(initial=initial))


@login_required
@require_http_methods(["GET", "POST"])
def reminder_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    reminder = _own(request, pk) if pk is not None else None
    form = ReminderForm(request.POST or None, instance=reminder, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_reminder(reminder=form.save())
            messages.success(request, "Your reminder is saved.")
            return redirect("reminders:list")
        status = 400
    context = {"nav": "account", "form": form, "reminder": reminder}
    return render(request, "reminders/reminder_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_pause(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = _own(request, pk)
    form = PauseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            reminder = services.pause(
                reminder=reminder, days=form.cleaned_data["days"], today=timezone.localdate()
            )
            messages.success(
                request, f"Paused until {reminder.paused_until:%A %-d %B}. It starts again then."
            )
            return redirect("reminders:list")
        status = 400
    context = {"nav": "account", "form": form, "reminder": reminder}
    return render(request, "reminders/reminder_pause.html", context, status=status)


@login_required
@require_POST
def reminder_resume(request: HttpRequest, pk: int) -> HttpResponse:
    services.resume(reminder=_own(request, pk))
    messages.success(request, "Your reminder is on again.")
    return redirect("reminders:list")


@login_required
@require_http_methods(["GET", "POST"])
def reminder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = _own(request, pk)
    if request.method == "POST":
        reminder.delete()
        messages.success(request, "The reminder is deleted.")
        return redirect("reminders:list")
    return render(
        request, "reminders/reminder_delete.html", {"nav": "account", "reminder": reminder}
    )


@login_required
@require_POST
def quiet_hours(request: HttpRequest) -> HttpResponse:
    form = QuietHoursForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    services.set_quiet_hours(
        owner=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
    )
    on = form.cleaned_data["start"] is not None
    messages.success(request, "Your quiet hours are saved." if on else "Quiet hours are off.")
    return redirect("reminders:list")


def _devices(request: HttpRequest) -> int:
    return PushSubscription.objects.filter(owner=request.user).count()


# A subscription is an endpoint of at most MAX_ENDPOINT characters and two short keys.
MAX_ENDPOINT = 2000
MAX_BODY_BYTES = 8 * 1024


def _json_body(request: HttpRequest) -> dict:
    """The JSON object push.js posted, or {} for anything else: a body far larger than
    a subscription, not UTF-8 JSON, nested past Python's recursion limit, not an object."""
    if len(request.body) > MAX_BODY_BYTES:
        return {}
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}
    return body if isinstance(body, dict) else {}


def _text(value: object) -> str | None:
    """A posted value that can be stored as text: a non-empty string that is valid
    Unicode (JSON's "\\ud800" makes one that is not), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """Store this browser's push subscription (sent by static/js/push.js)."""
    if not push.enabled():
        return JsonResponse({"error": "Push is not set up on this server."}, status=409)
    body = _json_body(request)
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    endpoint, p256dh, auth = map(
        _text, (body.get("endpoint"), keys.get("p256dh"), keys.get("auth"))
    )
    if not (endpoint and p256dh and auth):
        return JsonResponse({"error": "This is not a push subscription."}, status=400)
    if len(endpoint) > MAX_ENDPOINT:
        return JsonResponse({"error": "The push endpoint is too long."}, status=400)
    if error := push.endpoint_error(endpoint) or push.keys_error(p256dh, auth):
        return JsonResponse({"error": error}, status=400)
    services.subscribe_push(owner=request.user, endpoint=endpoint, p256dh=p256dh, auth=auth)
    return JsonResponse({"devices": _devices(request)})


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """One browser (JSON with its endpoint, from push.js) or all of them (the form)."""
    if request.content_type == "application/json":
        endpoint = _text(_json_body(request).get("endpoint"))
        if not endpoint or len(endpoint) > MAX_ENDPOINT:
            return JsonResponse({"error": "This is not a push endpoint."}, status=400)
        services.unsubscribe_push(owner=request.user, endpoint=endpoint)
        return JsonResponse({"devices": _devices(request)})
    removed = services.unsubscribe_push(owner=request.user)
    messages.success(request, f"Push is off in {removed} browser{'' if removed == 1 else 's'}.")
    return redirect("reminders:list")


@never_cache
@csrf_exempt  # the signed token is the permission; mail programs post without a cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from a reminder's emails (RFC 8058), signed in or not.
    GET only asks (link checkers open links); POST stops the emails."""
    reminder = sending.reminder_for_token(token)
    if reminder is None:
        return render(request, "reminders/unsubscribe.html", {"unknown": True}, status=404)
    done = False
    if request.method == "POST":
        services.stop_emails(reminder=reminder)
        done = True
    return render(
        request, "reminders/unsubscribe.html", {"reminder": reminder, "done": done, "token": token}
    )
