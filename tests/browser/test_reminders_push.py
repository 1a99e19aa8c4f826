"""Push reminders in Chromium: the service worker shows a pushed reminder, and the
reminders page turns push on and off. No test reaches the internet: Chromium's own push
service is not used; the push is delivered through the DevTools protocol
(ServiceWorker.deliverPushMessage), and subscribing is stood in for in the page."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from django.utils import timezone

from reminders import services
from reminders.models import PushSubscription, Reminder
from tests.browser import data
from tests.push_service import BrowserKeys

NOTIFICATIONS = """() => navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((shown) => shown.map((n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data})))"""


class PushedWorker:
    """The page's service worker as DevTools sees it: its registration, and whether a
    version of it is activated (a push delivered before that can be dropped)."""

    def __init__(self, page, scope: str):
        self.page = page
        self.scope = scope
        self.registrations: list[dict] = []
        self.versions: list[dict] = []
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: self.registrations.extend(event["registrations"]),
        )
        self.cdp.on(
            "ServiceWorker.workerVersionUpdated",
            lambda event: self.versions.extend(event["versions"]),
        )
        self.cdp.send("ServiceWorker.enable")

    def _wait(self, found, what: str):
        deadline = time.monotonic() + 15
        while not (result := found()):
            assert time.monotonic() < deadline, f"no {what} reported"
            self.page.wait_for_timeout(100)
        return result

    def _live_registrations(self) -> list[str]:
        return [
            r["registrationId"]
            for r in self.registrations
            if r["scopeURL"] == self.scope and not r["isDeleted"]
        ]

    def registration_id(self) -> str:
        registration_id = self._wait(self._live_registrations, "service worker registration")[0]
        self._wait(
            lambda: [
                v
                for v in self.versions
                if v["registrationId"] == registration_id and v["status"] == "activated"
            ],
            "activated service worker",
        )
        return registration_id

    def push(self, data: str) -> list[dict]:
        """Deliver `data` as Chromium's push service would and return the notifications
        shown. DevTools can drop a delivery while the worker is starting, so it is sent
        again every two seconds until one shows (each reminder has a tag, so a repeat
        replaces the notification rather than adding one)."""
        message = {
            "origin": self.scope.rstrip("/"),
            "registrationId": self.registration_id(),
            "data": data,
        }
        deadline = time.monotonic() + 20
        while True:
            self.cdp.send("ServiceWorker.deliverPushMessage", message)
            resend_at = time.monotonic() + 2
            while time.monotonic() < resend_at:
                if shown := self.page.evaluate(NOTIFICATIONS):
                    return shown
                self.page.wait_for_timeout(100)
            assert time.monotonic() < deadline, "no notification shown"


def open_with_service_worker(new_page, person, site) -> PushedWorker:
    page = new_page("desktop", user=person, service_workers="allow")
    page.context.grant_permissions(["notifications"], origin=site)
    worker = PushedWorker(page, scope=site.rstrip("/") + "/")
    page.goto("/accounts/reminders/")
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)") == worker.scope
    return worker


def test_a_reminder_sent_by_the_worker_shows_as_a_notification(
    new_page, person, site, push_service, run_tasks, django_capture_on_commit_callbacks
):
    # The server side, for real: a session reminder due now, the scheduler, a worker, and
    # the encrypted push arriving at a push service on 127.0.0.1.
    keys = BrowserKeys()
    services.subscribe_push(
        owner=person,
        endpoint=push_service.endpoint("chromium"),
        p256dh=keys.p256dh,
        auth=keys.auth_b64,
    )
    routine = data.make_routine(person, name="Morning loosen-up")
    reminder = data.make_reminder(
        person, kind="session", routine=routine, by_push=True, by_email=False
    )
    Reminder.objects.filter(pk=reminder.pk).update(
        next_due_at=timezone.now() - timedelta(seconds=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.schedule_due().claimed == 1
    run_tasks()
    assert len(push_service.received) == 1
    payload = keys.decrypt(push_service.received[0].body).decode()

    # The browser side: deliver that payload to our service worker as Chromium's push
    # service would, and the notification appears with the session's name.
    shown = open_with_service_worker(new_page, person, site).push(payload)
    assert shown == [
        {
            "title": "SpasmCare",
            "body": "Time for your stretch session: Morning loosen-up",
            "tag": f"reminder-{reminder.pk}",
            "data": {"url": f"/routines/{routine.pk}/play/"},
        }
    ]


def test_a_push_that_is_not_ours_shows_nothing_of_another_site(new_page, person, site):
    worker = open_with_service_worker(new_page, person, site)
    message = {
        "title": "SpasmCare",
        "body": "Time to log your pain",
        "url": "https://evil.example/",
    }
    shown = worker.push(json.dumps(message))
    assert shown[0]["body"] == "Time to log your pain"
    assert shown[0]["data"] == {"url": "/"}  # never a link off the site


# Chromium cannot reach its push service here, so the page's PushManager is stood in for:
# subscribe() hands back a subscription for the local push service with real keys.
FAKE_PUSH_MANAGER = """
(() => {
  const subscription = %(subscription)s;
  let current = null;
  window.__subscribeOptions = null;
  PushManager.prototype.subscribe = function (options) {
    window.__subscribeOptions = {
      userVisibleOnly: options.userVisibleOnly,
      key: Array.from(new Uint8Array(options.applicationServerKey)),
    };
    current = {
      endpoint: subscription.endpoint,
      toJSON: () => subscription,
      unsubscribe: () => { current = null; return Promise.resolve(true); },
    };
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
})();
"""


def test_turning_push_on_and_off_in_this_browser(new_page, person, site, push_service, vapid_keys):
    from reminders.push import b64url_decode

    keys = BrowserKeys()
    subscription = {
        "endpoint": push_service.endpoint("this-browser"),
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth_b64},
    }
    page = new_page("phone", user=person, service_workers="allow")
    page.context.grant_permissions(["notifications"], origin=site)
    page.add_init_script(FAKE_PUSH_MANAGER % {"subscription": json.dumps(subscription)})
    page.goto("/accounts/reminders/")
    status = page.locator("[data-push-status]")
    page.get_by_text("Push is off in this browser.").wait_for()
    page.get_by_role("button", name="Turn on push in this browser").click()
    page.get_by_text("Push is on in this browser.", exact=False).wait_for()
    assert status.get_attribute("role") == "status"
    options = page.evaluate("window.__subscribeOptions")
    assert options["userVisibleOnly"] is True
    assert bytes(options["key"]) == b64url_decode(vapid_keys.public)
    stored = PushSubscription.objects.get(owner=person)
    assert (stored.endpoint, stored.p256dh, stored.auth) == (
        subscription["endpoint"],
        keys.p256dh,
        keys.auth_b64,
    )
    assert page.get_by_role("button", name="Turn off push in this browser").is_visible()
    assert not page.get_by_role("button", name="Turn on push in this browser").is_visible()

    page.get_by_role("button", name="Turn off push in this browser").click()
    page.get_by_text("Push is off in this browser.").wait_for()
    assert not PushSubscription.objects.filter(owner=person).exists()


def test_email_reminders_without_javascript(new_page, person):
    page = new_page("phone", js=False, user=person)
    page.goto("/accounts/reminders/")
    assert page.get_by_text("Turning push on needs JavaScript.").is_visible()
    assert not page.get_by_role("button", name="Turn on push in this browser").is_visible()
    page.get_by_role("link", name="Add a reminder").click()
    page.get_by_label("Log my pain").check()
    page.get_by_label("Time").fill("07:45")
    page.get_by_label("Saturday").uncheck()
    page.get_by_label("Sunday").uncheck()
    page.get_by_label("Email").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save reminder").click()
    assert page.get_by_text("Your reminder is saved.").is_visible()
    assert page.get_by_text("07:45, Monday to Friday").is_visible()
    reminder = Reminder.objects.get(owner=person)
    assert (reminder.by_email, reminder.by_push, reminder.weekdays) == (True, False, 0b0011111)
