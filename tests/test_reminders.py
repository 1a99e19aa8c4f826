"""The reminders page (/accounts/reminders/): set, change, pause, delete reminders; quiet
hours; push subscriptions. Every form works without JavaScript; bad input gets a message
next to the field and a 400, never a 500; a person only ever touches their own."""

import json
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.models import PushSubscription, QuietHours, Reminder
from routines.models import Routine
from tests.push_service import BrowserKeys


@pytest.fixture
def person(londoner):
    return londoner


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def form_data(**changes) -> dict:
    data = {"kind": "pain", "routine": "", "local_time": "08:30", "days": ["0", "2", "4"]}
    data["channels"] = ["email"]
    data.update(changes)
    return data


def test_the_page_lists_a_persons_reminders_and_works_without_javascript(signed_in, person):
    response = signed_in.get(reverse("reminders:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no reminders yet." in html
    assert "Turning push on needs JavaScript. Email reminders work without it." in html
    assert reverse("reminders:create") in html
    assert (
        signed_in.get(reverse("accounts:account")).content.decode().count(reverse("reminders:list"))
    )


def test_set_a_pain_reminder_by_email(signed_in, person):
    response = signed_in.post(reverse("reminders:create"), form_data())
    assert response.status_code == 302
    reminder = Reminder.objects.get(owner=person)
    assert (reminder.kind, reminder.local_time, reminder.weekdays) == ("pain", time(8, 30), 0b10101)
    assert (reminder.by_email, reminder.by_push) == (True, False)
    local = timezone.localtime(reminder.next_due_at, person.profile.zone)
    assert local.time() == time(8, 30) and local.weekday() in (0, 2, 4)
    assert local - timezone.now() < timedelta(days=3)
    page = signed_in.get(reverse("reminders:list")).content.decode()
    assert "08:30, Monday, Wednesday and Friday" in page


def test_a_session_reminder_needs_one_of_the_persons_sessions(signed_in, person, other):
    mine = Routine.objects.create(owner=person, name="Morning")
    theirs = Routine.objects.create(owner=other, name="Not yours")
    response = signed_in.post(reverse("reminders:create"), form_data(kind="session"))
    assert response.status_code == 400
    assert "Choose the session this reminder is for." in response.content.decode()
    response = signed_in.post(
        reverse("reminders:create"), form_data(kind="session", routine=str(theirs.pk))
    )
    assert response.status_code == 400
    assert not Reminder.objects.exists()
    response = signed_in.post(
        reverse("reminders:create"), form_data(kind="session", routine=str(mine.pk))
    )
    assert response.status_code == 302
    assert Reminder.objects.get().routine == mine


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"local_time": "25:99"}, "local_time", "Enter a valid time."),
        ({"local_time": ""}, "local_time", "This field is required."),
        ({"days": []}, "days", "Choose at least one day."),
        ({"days": ["9"]}, "days", "Select a valid choice."),
        ({"channels": []}, "channels", "Choose email, push or both."),
        ({"channels": ["sms"]}, "channels", "Select a valid choice."),
        ({"kind": "nonsense"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_next_to_the_field(signed_in, changes, field, message):
    response = signed_in.post(reverse("reminders:create"), form_data(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode() or message in (
        response.content.decode()
    )
    assert not Reminder.objects.exists()


def test_email_needs_an_address(client, django_user_model):
    nobody = django_user_model.objects.create_user(username="noemail", password="pw-calm-123")
    client.force_login(nobody)
    response = client.post(reverse("reminders:create"), form_data())
    assert response.status_code == 400
    assert "no email address" in response.content.decode()
    assert client.post(reverse("reminders:create"), form_data(channels=["push"])).status_code == 302


def test_change_pause_resume_and_delete(signed_in, person):
    signed_in.post(reverse("reminders:create"), form_data())
    reminder = Reminder.objects.get()
    response = signed_in.post(
        reverse("reminders:edit", args=[reminder.pk]),
        form_data(local_time="21:15", days=[str(d) for d in range(7)], channels=["email", "push"]),
    )
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert (reminder.local_time, reminder.weekdays, reminder.by_push) == (time(21, 15), 127, True)

    assert signed_in.get(reverse("reminders:pause", args=[reminder.pk])).status_code == 200
    for bad in ("0", "91", "soon", ""):
        response = signed_in.post(reverse("reminders:pause", args=[reminder.pk]), {"days": bad})
        assert response.status_code == 400
        assert response.context["form"].errors["days"]
    response = signed_in.post(reverse("reminders:pause", args=[reminder.pk]), {"days": "5"})
    assert response.status_code == 302
    reminder.refresh_from_db()
    today = timezone.localdate(timezone=person.profile.zone)
    assert reminder.paused_until == today + timedelta(days=5)
    assert timezone.localtime(reminder.next_due_at, person.profile.zone).date() == (
        reminder.paused_until
    )
    assert "Start again now" in signed_in.get(reverse("reminders:list")).content.decode()

    assert signed_in.post(reverse("reminders:resume", args=[reminder.pk])).status_code == 302
    reminder.refresh_from_db()
    assert reminder.paused_until is None
    assert reminder.next_due_at - timezone.now() <= timedelta(days=1)

    assert signed_in.get(reverse("reminders:delete", args=[reminder.pk])).status_code == 200
    assert signed_in.post(reverse("reminders:delete", args=[reminder.pk])).status_code == 302
    assert not Reminder.objects.exists()


def test_wrong_methods(signed_in, person):
    signed_in.post(reverse("reminders:create"), form_data())
    reminder = Reminder.objects.get()
    assert signed_in.get(reverse("reminders:resume", args=[reminder.pk])).status_code == 405
    assert signed_in.get(reverse("reminders:quiet_hours")).status_code == 405
    assert signed_in.get(reverse("reminders:push_subscribe")).status_code == 405
    assert signed_in.post(reverse("reminders:list")).status_code == 405


def test_quiet_hours(signed_in, person):
    url = reverse("reminders:quiet_hours")
    response = signed_in.post(url, {"start": "22:00", "end": ""})
    assert response.status_code == 400
    assert "Give both times" in response.content.decode()
    response = signed_in.post(url, {"start": "22:00", "end": "22:00"})
    assert response.status_code == 400
    assert signed_in.post(url, {"start": "late", "end": "07:00"}).status_code == 400
    assert not QuietHours.objects.exists()

    signed_in.post(reverse("reminders:create"), form_data(local_time="23:00"))
    assert Reminder.objects.get().next_due_at is not None
    assert signed_in.post(url, {"start": "22:00", "end": "07:00"}).status_code == 302
    assert QuietHours.objects.get(owner=person).start == time(22, 0)
    assert Reminder.objects.get().next_due_at is None
    page = signed_in.get(reverse("reminders:list")).content.decode()
    assert "its time is in your quiet hours" in page
    assert signed_in.post(url, {"start": "", "end": ""}).status_code == 302
    assert not QuietHours.objects.exists()
    assert Reminder.objects.get().next_due_at is not None


def subscription_body(endpoint="http://127.0.0.1:9/push/phone") -> dict:
    keys = BrowserKeys()
    return {"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64}}


def post_json(client, name, body):
    return client.post(reverse(name), json.dumps(body), content_type="application/json")


def test_push_subscribe_and_unsubscribe(signed_in, person, other):
    body = subscription_body()
    response = post_json(signed_in, "reminders:push_subscribe", body)
    assert response.status_code == 200 and response.json() == {"devices": 1}
    assert post_json(signed_in, "reminders:push_subscribe", body).json() == {"devices": 1}
    subscription = PushSubscription.objects.get()
    assert subscription.owner == person and subscription.auth == body["keys"]["auth"]
    assert "Push is on in 1 browser." in signed_in.get(reverse("reminders:list")).content.decode()

    # Someone else turns push on in the same browser: it is theirs now.
    signed_in.force_login(other)
    assert post_json(signed_in, "reminders:push_subscribe", body).status_code == 200
    assert PushSubscription.objects.get().owner == other
    signed_in.force_login(person)
    response = post_json(signed_in, "reminders:push_unsubscribe", {"endpoint": body["endpoint"]})
    assert response.json() == {"devices": 0}
    assert PushSubscription.objects.count() == 1  # not theirs to remove

    signed_in.force_login(other)
    response = signed_in.post(reverse("reminders:push_unsubscribe"))  # the no-JS form
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        {"endpoint": "http://127.0.0.1:9/x"},
        {"endpoint": "http://127.0.0.1:9/x", "keys": {"p256dh": "abc", "auth": "abc"}},
        {"endpoint": "", "keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": 5, "keys": "no"},
        {
            "endpoint": "javascript:alert(1)",
            **{k: v for k, v in subscription_body().items() if k == "keys"},
        },
        {**subscription_body(), "endpoint": "http://127.0.0.1:9/" + "x" * 2100},
    ],
)
def test_bad_subscriptions_are_refused_with_a_message(signed_in, body):
    response = post_json(signed_in, "reminders:push_subscribe", body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()
    response = signed_in.post(
        reverse("reminders:push_subscribe"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "raw",
    [
        '{"endpoint":' * 50_000,  # nested past Python's recursion limit
        "[" * 50_000,
        '{"endpoint": "' + "x" * 20_000 + '"}',  # far longer than any subscription
        '{"endpoint": "\\ud800", "keys": {"p256dh": "x", "auth": "y"}}',  # a lone surrogate
        "\xff\xfe",
    ],
    ids=["deep object", "deep array", "oversized", "lone surrogate", "not utf-8"],
)
def test_a_hostile_push_body_is_a_clear_400_and_stores_nothing(signed_in, person, raw):
    subscribed = post_json(signed_in, "reminders:push_subscribe", subscription_body())
    assert subscribed.status_code == 200
    for name in ("reminders:push_subscribe", "reminders:push_unsubscribe"):
        response = signed_in.post(
            reverse(name), raw.encode("utf-8", "surrogateescape"), content_type="application/json"
        )
        assert response.status_code == 400, name
        assert response.json()["error"]
    assert PushSubscription.objects.filter(owner=person).count() == 1  # nothing lost either


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://127.0.0.1/push",
        "https://10.0.0.7/push",
        "https://[::1]/push",
        "https://localhost/push",
        "https://push.internal/x",
        "https://fcm.googleapis.com:8443/fcm/send/abc",
        # Host names no resolver takes (refused while encoding, before any lookup).
        "https://a..b/push",
        "https://" + "a" * 64 + ".example/push",
        "https://./push",
    ],
)
def test_only_public_https_push_services_outside_tests(signed_in, settings, endpoint):
    settings.PUSH_ALLOW_LOCAL_ENDPOINTS = False
    response = post_json(signed_in, "reminders:push_subscribe", subscription_body(endpoint))
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_without_vapid_keys_push_is_off_and_email_still_works(signed_in, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    page = signed_in.get(reverse("reminders:list")).content.decode()
    assert "not set up on this server" in page and "push.js" not in page
    assert post_json(signed_in, "reminders:push_subscribe", subscription_body()).status_code == 409


def test_deleting_the_account_deletes_reminders_and_subscriptions(signed_in, person):
    signed_in.post(reverse("reminders:create"), form_data())
    post_json(signed_in, "reminders:push_subscribe", subscription_body())
    person.delete()
    assert not Reminder.objects.exists() and not PushSubscription.objects.exists()


def test_the_service_worker_is_served_from_the_root(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'addEventListener("push"' in script and 'addEventListener("notificationclick"' in script
    assert "Offline pages (issue 15)" in script
    csp = response["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "unsafe" not in csp
    assert client.post("/sw.js").status_code == 405


def test_next_slot_shown_in_the_persons_own_time(signed_in, person):
    signed_in.post(reverse("reminders:create"), form_data(days=[str(d) for d in range(7)]))
    reminder = Reminder.objects.get()
    local = timezone.localtime(reminder.next_due_at, person.profile.zone)
    today = timezone.localdate(timezone=person.profile.zone)
    assert local.date() in (today, today + timedelta(days=1))
    page = signed_in.get(reverse("reminders:list")).content.decode()
    assert f"{local:%d}".lstrip("0") + local.strftime(" %B, 08:30") in page
