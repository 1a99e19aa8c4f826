"""Reminders from the scheduler's claim to the message: web push to a push service on
127.0.0.1 (the test decrypts what it received with the subscription's keys), email in
Django's test outbox with one-click unsubscribe, and the rules that hold a message back."""

import email.policy
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reminders import services
from reminders.models import PushSubscription, QuietHours, Reminder, ReminderClaim
from routines.models import Routine
from symptoms.models import Episode, PainEntry
from tests.push_service import BrowserKeys

SECRET_NOTE = "private-note-7f3a"


@pytest.fixture
def person(londoner):
    return londoner


def make_reminder(owner, *, at=time(8, 0), now, **fields) -> Reminder:
    fields = {"kind": Reminder.Kind.PAIN, "by_email": True, **fields}
    return services.save_reminder(reminder=Reminder(owner=owner, local_time=at, **fields), now=now)


def subscribe(owner, push_service, name="phone") -> BrowserKeys:
    keys = BrowserKeys()
    services.subscribe_push(
        owner=owner, endpoint=push_service.endpoint(name), p256dh=keys.p256dh, auth=keys.auth_b64
    )
    return keys


def log_pain(owner, day: date, *, pain=7, note=SECRET_NOTE) -> None:
    episode = Episode.objects.create(owner=owner, onset_date=day)
    PainEntry.objects.create(
        owner=owner,
        episode=episode,
        recorded_at=timezone.now(),
        local_date=day,
        pain=pain,
        note=note,
        saddle_numbness=True,
    )


@pytest.fixture
def schedule_at(django_capture_on_commit_callbacks):
    """A scheduler run at a given moment, with its enqueueing (after commit) done."""

    def run(now: datetime) -> services.Run:
        with django_capture_on_commit_callbacks(execute=True):
            return services.schedule_due(now)

    return run


@pytest.fixture
def work_at(run_tasks, monkeypatch):
    """Run the queued tasks as a worker would at a given moment."""

    def run(now: datetime) -> None:
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: now)
            run_tasks()

    return run


# 10 June 2026, 08:00 in London is 07:00 UTC.
DUE = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)
BEFORE = DUE - timedelta(hours=2)


def test_a_push_reaches_the_push_service_encrypted_and_says_only_what_it_should(
    person, push_service, vapid_keys, schedule_at, work_at
):
    keys = subscribe(person, push_service)
    log_pain(person, date(2026, 6, 9))  # yesterday: today's reminder still goes out
    reminder = make_reminder(person, now=BEFORE, by_email=False, by_push=True)
    assert reminder.next_due_at == DUE

    run = schedule_at(DUE + timedelta(seconds=20))
    assert (run.due, run.claimed) == (1, 1)
    # The queue holds the claim's id and nothing else.
    claim = ReminderClaim.objects.get()
    assert DBTaskResult.objects.get().args_kwargs == {"args": [[claim.pk]], "kwargs": {}}
    work_at(DUE + timedelta(seconds=25))

    assert len(push_service.received) == 1
    received = push_service.received[0]
    assert received.path == "/push/phone"
    assert received.headers["content-encoding"] == "aes128gcm"
    assert SECRET_NOTE.encode() not in received.body and b"log your pain" not in received.body
    # The VAPID header names our public key and is signed for this push service.
    assert f"k={vapid_keys.public}" in received.headers["authorization"]
    payload = json.loads(keys.decrypt(received.body))
    assert payload == {
        "title": "SpasmCare",
        "body": "Time to log your pain",
        "url": "/",
        "tag": f"reminder-{reminder.pk}",
    }
    claim = ReminderClaim.objects.get()
    assert (claim.status, claim.local_date, claim.local_time) == (
        "sent",
        date(2026, 6, 10),
        time(8),
    )
    reminder.refresh_from_db()
    assert reminder.next_due_at == DUE + timedelta(days=1)


def test_a_session_reminder_names_the_session_and_opens_its_player(
    person, push_service, schedule_at, work_at
):
    routine = Routine.objects.create(owner=person, name="Evening unwind")
    keys = subscribe(person, push_service)
    make_reminder(person, now=BEFORE, kind="session", routine=routine, by_push=True)
    schedule_at(DUE)
    work_at(DUE)
    payload = json.loads(keys.decrypt(push_service.received[0].body))
    assert payload["body"] == "Time for your stretch session: Evening unwind"
    assert payload["url"] == reverse("routines:play_start", args=[routine.pk])
    assert mail.outbox[0].subject == "Time for your stretch session: Evening unwind"


def test_a_subscription_the_push_service_reports_gone_is_deleted(
    person, push_service, schedule_at, work_at
):
    subscribe(person, push_service, "old-laptop")
    keys = subscribe(person, push_service, "phone")
    push_service.status_for["/push/old-laptop"] = 410
    make_reminder(person, now=BEFORE, by_email=False, by_push=True)
    schedule_at(DUE)
    work_at(DUE)
    assert sorted(r.path for r in push_service.received) == ["/push/old-laptop", "/push/phone"]
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        push_service.endpoint("phone")
    ]
    assert json.loads(keys.decrypt(push_service.received[-1].body))["tag"].startswith("reminder-")
    assert ReminderClaim.objects.get().status == "sent"


def test_a_push_service_error_other_than_gone_keeps_the_subscription(
    person, push_service, schedule_at, work_at
):
    subscribe(person, push_service)
    push_service.status_for["/push/phone"] = 500
    make_reminder(person, now=BEFORE, by_email=False, by_push=True)
    schedule_at(DUE)
    work_at(DUE)
    assert PushSubscription.objects.count() == 1
    assert ReminderClaim.objects.get().status == "failed"


def test_an_email_reminder_has_one_click_unsubscribe_that_works_signed_out(
    person, client, settings, schedule_at, work_at
):
    settings.SITE_URL = "https://spasmcare.example.org"
    log_pain(person, date(2026, 6, 9))
    reminder = make_reminder(person, now=BEFORE)
    schedule_at(DUE)
    assert mail.outbox == []  # the scheduler only enqueues
    work_at(DUE)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert message.subject == "Time to log your pain"
    assert re.search(r"https://spasmcare.example.org/\s", message.body)  # Today
    for secret in (SECRET_NOTE, "7", "numb", "saddle", "warning"):
        assert secret not in message.subject + re.sub(r"https?://\S+", "", message.body)
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(https://spasmcare\.example\.org/\S+)>", header).group(1)
    assert url in message.body
    # As the SMTP backend writes it: the header stays a plain <URL> on one line.
    wire = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"\r\nList-Unsubscribe: <{url}>\r\n" in wire
    assert "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in wire
    path = urlsplit(url).path

    # Signed out: opening the link only asks; nothing changes on GET.
    page = client.get(path)
    assert page.status_code == 200 and "Stop these emails" in page.content.decode()
    reminder.refresh_from_db()
    assert reminder.by_email

    # A mail program's one-click POST (RFC 8058), without cookies or a CSRF token.
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200
    reminder.refresh_from_db()
    assert not reminder.by_email and reminder.next_due_at is None


def test_a_forged_or_foreign_unsubscribe_link_changes_nothing(person, client):
    from reminders.sending import unsubscribe_token

    reminder = make_reminder(person, now=BEFORE)
    token = unsubscribe_token(reminder)
    for bad in (token[:-2] + "xx", "nonsense", token.replace(":", ".")):
        response = client.post(reverse("reminders:unsubscribe", args=[bad]))
        assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.by_email
    reminder.delete()
    assert client.get(reverse("reminders:unsubscribe", args=[token])).status_code == 404


def test_the_pain_reminder_is_skipped_on_a_day_already_logged(
    person, push_service, schedule_at, work_at
):
    subscribe(person, push_service)
    make_reminder(person, now=BEFORE, by_push=True)
    log_pain(person, date(2026, 6, 10))
    schedule_at(DUE)
    work_at(DUE)
    assert mail.outbox == [] and push_service.received == []
    claim = ReminderClaim.objects.get()
    assert (claim.status, claim.outcome) == ("skipped", "pain already logged that day")


def test_a_missed_minute_is_caught_up_within_the_hour_and_not_later(person, schedule_at, work_at):
    late = make_reminder(person, now=BEFORE)
    schedule_at(DUE + timedelta(minutes=59))
    work_at(DUE + timedelta(minutes=59, seconds=30))
    assert len(mail.outbox) == 1

    # Scheduler down for longer than an hour: the slot is dropped, the next one planned.
    later = make_reminder(person, at=time(9, 0), now=BEFORE)
    run = schedule_at(DUE + timedelta(hours=2, minutes=1))
    assert (run.due, run.claimed, run.missed) == (1, 0, 1)
    later.refresh_from_db()
    assert later.next_due_at == DUE + timedelta(days=1, hours=1)
    late.refresh_from_db()
    assert late.next_due_at == DUE + timedelta(days=1)


def test_a_claim_a_worker_reaches_too_late_is_not_sent(person, schedule_at, work_at):
    make_reminder(person, now=BEFORE)
    schedule_at(DUE)
    work_at(DUE + timedelta(hours=3))
    assert mail.outbox == []
    assert ReminderClaim.objects.get().outcome == "too late"


def test_nothing_goes_out_in_the_quiet_hours(person, schedule_at, work_at):
    reminder = make_reminder(person, now=BEFORE)
    schedule_at(DUE)  # claimed at 08:00 ...
    services.set_quiet_hours(owner=person, start=time(8, 0), end=time(9, 0))
    work_at(DUE + timedelta(minutes=5))  # ... and picked up inside the quiet hours
    assert mail.outbox == []
    assert ReminderClaim.objects.get().outcome == "quiet hours"
    reminder.refresh_from_db()
    assert reminder.next_due_at is None  # 08:00 is always inside them now
    QuietHours.objects.all().delete()


def test_a_repeated_task_or_a_second_scheduler_never_sends_twice(person, schedule_at, work_at):
    from reminders.sending import send_claim
    from reminders.tasks import send_reminders

    make_reminder(person, now=BEFORE)
    first = schedule_at(DUE)
    # A second scheduler at the same moment finds the reminder already planned forward;
    # one that read the row before (simulated: the slot put back) cannot claim it again.
    Reminder.objects.update(next_due_at=DUE, next_local_date=date(2026, 6, 10))
    second = schedule_at(DUE + timedelta(seconds=1))
    assert (first.claimed, second.claimed) == (1, 0)
    claim = ReminderClaim.objects.get()
    send_reminders.enqueue([claim.pk])  # a duplicate task for the same claim
    work_at(DUE)
    assert send_claim(claim.pk) == "already handled"
    assert len(mail.outbox) == 1


def test_a_change_of_time_zone_moves_the_next_slot(person):
    reminder = make_reminder(person, now=BEFORE)
    assert reminder.next_due_at == DUE
    profile = person.profile
    profile.time_zone = "America/New_York"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: BEFORE)
        profile.save()
    reminder.refresh_from_db()
    assert reminder.next_due_at == datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # 08:00 EDT


def test_password_reset_mail_goes_through_the_queue_with_no_token_in_it(client, person, run_tasks):
    from django_tasks_db.models import DBTaskResult

    response = client.post(reverse("accounts:password_reset"), {"email": "ada@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "accounts.tasks.send_password_reset"
    assert "ada@example.org" not in json.dumps(task.args_kwargs)
    run_tasks()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link and link.group(1).rsplit("/", 2)[-2] not in json.dumps(task.args_kwargs)
    assert client.get(link.group(1), follow=True).status_code == 200
