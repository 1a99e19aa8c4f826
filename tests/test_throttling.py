"""Password guessing is throttled wherever a password is checked (issue 13).

Found by the audit: failed log-ins with a new username each time were never throttled
(the lock-out was per username and address only), and wrong passwords on account
deletion and password change were never counted at all.
"""

import uuid

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from tests.symptom_factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
HANDLERS = ["spasmcare.auth.DatabaseHandler", "spasmcare.auth.CacheHandler"]


@pytest.fixture(params=HANDLERS, ids=["database", "cache"])
def handler(request, settings):
    """Each test runs with both of axes' stores (the cache one is used with Redis)."""
    settings.AXES_HANDLER = request.param
    AxesProxyHandler.get_implementation(force=True)
    cache.clear()
    yield request.param
    cache.clear()
    settings.AXES_HANDLER = HANDLERS[0]
    AxesProxyHandler.get_implementation(force=True)


def log_in(client, username: str, password: str, address: str = "203.0.113.9"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_with_new_usernames(client, count: int, address: str = "203.0.113.9") -> None:
    for _ in range(count):
        log_in(client, f"guess-{uuid.uuid4().hex[:8]}", "wrong-guess", address)


def test_one_address_trying_many_usernames_is_locked_out(client, settings, handler):
    make_user("lee")
    fail_with_new_usernames(client, settings.AXES_IP_FAILURE_LIMIT)
    response = log_in(client, "lee", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert log_in(client, "lee", PASSWORD, address="198.51.100.7").status_code == 302


def test_an_address_shared_by_a_few_people_mistyping_is_not_locked(client, settings, handler):
    """The per-address limit is higher than the per-person one: a household or an
    office behind one address can mistype a few times each."""
    make_user("lee")
    assert settings.AXES_IP_FAILURE_LIMIT > 2 * settings.AXES_FAILURE_LIMIT
    fail_with_new_usernames(client, settings.AXES_IP_FAILURE_LIMIT - 1)
    assert log_in(client, "lee", PASSWORD).status_code == 302


def test_a_valid_log_in_does_not_clear_the_count_of_the_address(client, settings, handler):
    """Otherwise one real account would let an address guess without end."""
    make_user("lee")
    make_user("mo")
    half = settings.AXES_IP_FAILURE_LIMIT // 2
    fail_with_new_usernames(client, half)
    assert log_in(client, "mo", PASSWORD).status_code == 302
    client.logout()
    fail_with_new_usernames(client, settings.AXES_IP_FAILURE_LIMIT - half)
    assert log_in(client, "lee", PASSWORD).status_code == 429


def test_a_valid_log_in_still_clears_the_persons_own_failures(client, settings, handler):
    make_user("lee")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "lee", "wrong")
    assert log_in(client, "lee", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "lee", "wrong")
    assert log_in(client, "lee", PASSWORD).status_code == 302


DELETE = ("accounts:delete_account", lambda wrong: {"password": wrong})
CHANGE = (
    "accounts:password_change",
    lambda wrong: {
        "old_password": wrong,
        "new_password1": "Brave-otter-swims-77",
        "new_password2": "Brave-otter-swims-77",
    },
)


@pytest.mark.parametrize("page", [DELETE, CHANGE], ids=["delete", "password-change"])
def test_wrong_passwords_on_account_pages_count_as_failed_log_ins(client, settings, handler, page):
    name, body = page
    user = make_user("lee")
    client.force_login(user)
    url = reverse(name)
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, body("not-my-password"), REMOTE_ADDR="203.0.113.9")
        assert response.status_code in (200, 400), attempt
    locked = client.post(url, body("not-my-password"), REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # Locked: even the right password is not checked, and nothing changes.
    again = client.post(url, body(PASSWORD), REMOTE_ADDR="203.0.113.9")
    assert again.status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert get_user_model().objects.filter(pk=user.pk).exists()
    # The log-in form is locked for this person and address too.
    client.logout()
    assert log_in(client, "lee", PASSWORD).status_code == 429


def test_the_right_password_on_the_delete_page_still_works_below_the_limit(client, settings):
    user = make_user("lee")
    client.force_login(user)
    url = reverse("accounts:delete_account")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"password": "not-it"})
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_deleting_an_account_deletes_its_axes_records(client):
    user = make_user("lee")
    other = make_user("mo")
    for who in ("lee", "mo"):
        log_in(client, who, "wrong")
        assert log_in(client, who, PASSWORD).status_code == 302
        client.logout()
    log_in(client, "lee", "wrong")
    # The failure log is off by default (AXES_ENABLE_ACCESS_FAILURE_LOG); a deployment
    # may switch it on, so its rows go too.
    for username in ("lee", "mo"):
        AccessFailureLog.objects.create(
            username=username, ip_address="203.0.113.9", user_agent="test", locked_out=False
        )
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert model.objects.filter(username="lee").exists(), model
    client.force_login(user)
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username="lee").exists(), model
    assert AccessLog.objects.filter(username=other.username).exists()
    assert AccessFailureLog.objects.filter(username="mo").exists()
