"""Sign-up and password reset say nothing about which addresses have accounts (issue 13).

Found by the audit: sign-up said "An account already uses this email address", the
reset form did measurably more work for a known address, and it sent unlimited mail.
Now both answer the same and do the same work either way; the owner of a known
address gets an email instead; mail to one address is limited per hour.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import services
from tests.symptom_factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Brave-otter-swims-77"  # noqa: S105


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, username: str, email: str):
    return client.post(
        reverse("accounts:signup"),
        {
            "username": username,
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "time_zone": "Europe/London",
        },
    )


def answer(client, response) -> tuple:
    """What a visitor sees of a sign-up: status, where it leads, the messages shown."""
    return (
        response.status_code,
        response["Location"],
        client.get(response["Location"]).status_code,
        [str(message) for message in get_messages(response.wsgi_request)],
    )


def test_sign_up_answers_the_same_for_a_known_and_a_new_email(client, run_tasks):
    make_user("kim")  # kim@example.com
    known = sign_up(client, "sam", "KIM@example.com")
    known_answer = answer(client, known)
    client.logout()
    new = sign_up(client, "ari", "ari@example.org")
    new_answer = answer(client, new)
    assert known_answer == new_answer
    assert known.status_code == 302
    assert "already" not in str(known_answer).lower()
    # Both accounts exist, signed in; neither has an email until it is confirmed.
    assert User.objects.get(username="sam").email == ""
    assert User.objects.get(username="ari").email == ""
    assert User.objects.filter(email__iexact="kim@example.com").count() == 1
    assert mail.outbox == []  # the request only enqueues
    run_tasks()
    by_address = {message.to[0].lower(): message for message in mail.outbox}
    assert len(mail.outbox) == 2
    told = by_address["kim@example.com"]
    assert "already have an account" in told.body
    assert "/accounts/confirm-email/" not in told.body
    assert "/accounts/confirm-email/" in by_address["ari@example.org"].body


def test_the_account_page_looks_the_same_for_a_known_and_a_new_email(client, run_tasks):
    make_user("kim")
    pages = []
    for username, email in (("qqknownqq", "kim@example.com"), ("qqfreshqq", "zed@example.org")):
        sign_up(client, username, email)
        run_tasks()
        html = client.get(reverse("accounts:account")).content.decode()
        pages.append(html.replace(username, "NAME").replace(email, "EMAIL"))
        client.logout()
    # Per-request tokens, and the device's opaque key for the person (offline outbox).
    strip = re.compile(
        r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|data-offline-owner="[^"]+"'
    )
    assert strip.sub("", pages[0]) == strip.sub("", pages[1])
    assert "waiting for confirmation" in pages[0]


def confirmation_link(email: str) -> str:
    bodies = [m.body for m in mail.outbox if m.to == [email]]
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", bodies[-1])
    assert link, bodies
    return link.group(1)


def test_following_the_link_confirms_the_address(client, run_tasks):
    sign_up(client, "ari", "ari@example.org")
    run_tasks()
    link = confirmation_link("ari@example.org")
    client.logout()  # works signed out too: the token is the permission
    assert client.get(link).status_code == 200
    assert User.objects.get(username="ari").email == ""  # a GET changes nothing
    response = client.post(link)
    assert response.status_code == 200
    assert "is confirmed" in response.content.decode()
    ari = User.objects.get(username="ari")
    assert ari.email == "ari@example.org"
    assert ari.profile.pending_email == ""
    assert client.post(link).status_code == 400  # used once


def test_a_changed_link_or_an_address_taken_meanwhile_confirms_nothing(client, run_tasks):
    sign_up(client, "ari", "ari@example.org")
    run_tasks()
    link = confirmation_link("ari@example.org")
    assert client.post(link[:-3] + "xx/").status_code == 400
    make_user("ari2").__class__.objects.filter(username="ari2").update(email="ARI@example.org")
    assert client.post(link).status_code == 400
    assert User.objects.get(username="ari").email == ""


def test_a_link_made_for_another_address_does_not_confirm_this_one(client):
    sign_up(client, "ari", "ari@example.org")
    ari = User.objects.get(username="ari")
    token = services.email_token(ari, "someone-else@example.org")
    assert client.post(reverse("accounts:confirm_email", args=[token])).status_code == 400


def test_password_reset_does_the_same_work_for_a_known_and_an_unknown_address(client):
    make_user("kim")
    seen = []
    for email in ("kim@example.com", "nobody@example.com"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        page = client.get(response["Location"])
        seen.append((response.status_code, response["Location"], page.content, len(queries)))
    assert seen[0] == seen[1]
    # One task each, holding ids only: the worker sends to the known address alone.
    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.task_path for t in tasks] == ["accounts.tasks.send_password_reset"] * 2
    assert "@" not in str([t.args_kwargs for t in tasks])


def test_reset_mail_is_limited_per_address(client, run_tasks, settings):
    make_user("kim")
    make_user("lee")
    for _ in range(settings.ACCOUNT_MAIL_PER_HOUR + 3):
        response = client.post(reverse("accounts:password_reset"), {"email": "kim@example.com"})
        assert response["Location"] == reverse("accounts:password_reset_done")
    client.post(reverse("accounts:password_reset"), {"email": "LEE@example.com"})
    run_tasks()
    sent = [m.to[0] for m in mail.outbox]
    assert sent.count("kim@example.com") == settings.ACCOUNT_MAIL_PER_HOUR
    assert sent.count("lee@example.com") == 1
    # The counter's key holds a keyed hash, never the address.
    keys = list(cache._cache.keys())
    assert any("account-mail:" in key for key in keys), keys
    assert not any("kim" in key or "example" in key for key in keys), keys


def test_sign_up_mail_is_limited_per_address_too(client, run_tasks, settings):
    make_user("kim")
    for n in range(settings.ACCOUNT_MAIL_PER_HOUR + 2):
        assert sign_up(client, f"try{n}", "kim@example.com").status_code == 302
        client.logout()
    run_tasks()
    assert len(mail.outbox) == settings.ACCOUNT_MAIL_PER_HOUR
