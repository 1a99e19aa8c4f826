"""Accounts: sign up, log in and out, passwords, time zone, throttling, deleting."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.models import Profile
from routines.models import Practice, Routine, RoutineStep
from symptoms import episode_flags
from symptoms import services as symptom_services
from symptoms.models import Episode, FlagAcknowledgement, PainEntry
from tests.routine_factories import make_practice, make_routine, make_stretch
from tests.symptom_factories import PASSWORD, make_entry, make_episode, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Brave-otter-swims-77"  # noqa: S105


def signup_data(**overrides) -> dict:
    data = {
        "username": "sam",
        "email": "sam@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "time_zone": "Europe/Berlin",
    }
    data.update(overrides)
    return data


# --- sign up -------------------------------------------------------------------------


def test_signup_page(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'name="time_zone"' in html
    assert "js/timezone.js" in html


def test_signup_creates_a_profile_with_the_browser_zone_and_signs_in(client, settings):
    # Tests put a fast hasher first; production's first (the one used) is Argon2.
    settings.PASSWORD_HASHERS = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(username="sam")
    assert user.profile.time_zone == "Europe/Berlin"
    assert user.password.startswith("argon2")
    assert client.get(reverse("symptoms:entry_list")).status_code == 200  # signed in


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", "x" * 300])
def test_signup_without_a_known_zone_uses_utc(client, zone):
    client.post(reverse("accounts:signup"), signup_data(time_zone=zone))
    assert User.objects.get(username="sam").profile.time_zone == "UTC"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password2": "something-else-123"}, "password2"),
        ({"email": "not-an-email"}, "email"),
        ({"username": ""}, "username"),
        ({"password1": "123", "password2": "123"}, "password2"),
    ],
)
def test_signup_bad_input_is_a_field_error(client, change, field):
    response = client.post(reverse("accounts:signup"), signup_data(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_with_a_used_email_does_not_take_the_address(client):
    """No error that would tell the address has an account (tests/test_enumeration.py):
    the new account gets no email, and the owner of the address is told."""
    make_user("kim")
    response = client.post(reverse("accounts:signup"), signup_data(email="KIM@example.com"))
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="kim@example.com").count() == 1
    assert User.objects.get(username="sam").email == ""


def test_signup_wrong_method(client):
    assert client.put(reverse("accounts:signup")).status_code == 405


# --- log in, log out ---------------------------------------------------------------------


def test_log_in_and_out(client):
    make_user("lee")
    response = client.post(reverse("accounts:login"), {"username": "lee", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("accounts:logout")).status_code == 405  # logging out is a POST
    assert client.post(reverse("accounts:logout")).status_code == 302
    response = client.get(reverse("symptoms:entry_list"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_wrong_password_is_a_form_error(client):
    make_user("lee")
    response = client.post(reverse("accounts:login"), {"username": "lee", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failures_are_throttled_with_a_clear_message(client, settings):
    make_user("lee")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "lee", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "lee", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts to log in" in html
    assert f"Please wait {settings.AXES_COOLOFF_TIME * 60:.0f} minutes" in html
    assert reverse("accounts:password_reset") in html
    assert "_auth_user_id" not in client.session


# --- passwords ---------------------------------------------------------------------------


def test_change_password(client):
    user = make_user()
    client.force_login(user)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_password_by_email(client, run_tasks):
    user = make_user("rae")
    response = client.post(reverse("accounts:password_reset"), {"email": "rae@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []  # the request only enqueues; a worker sends it
    run_tasks()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.get(link.group(1), follow=True)
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, run_tasks):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True
    )
    assert "Check your email" in response.content.decode()
    run_tasks()
    assert mail.outbox == []


# --- account page and time zone ----------------------------------------------------------


def test_account_page_needs_login(client):
    response = client.get(reverse("accounts:account"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_account_page_creates_a_missing_profile(client):
    user = User.objects.create(username="old")  # e.g. made by createsuperuser
    client.force_login(user)
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 200
    assert Profile.objects.get(user=user).time_zone == "UTC"


def test_change_time_zone(client):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:account"), {"time_zone": "Asia/Tokyo", "region": "GB"})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).time_zone == "Asia/Tokyo"
    assert symptom_services.zone_of(User.objects.get(pk=user.pk)).key == "Asia/Tokyo"


def test_unknown_time_zone_is_a_field_error(client):
    user = make_user(time_zone="Europe/Paris")
    client.force_login(user)
    response = client.post(
        reverse("accounts:account"), {"time_zone": "Mars/Olympus", "region": "GB"}
    )
    assert response.status_code == 400
    assert "time_zone" in response.context["form"].errors
    assert Profile.objects.get(user=user).time_zone == "Europe/Paris"


def test_account_wrong_method(client):
    client.force_login(make_user())
    assert client.delete(reverse("accounts:account")).status_code == 405


# --- deleting an account -----------------------------------------------------------------


def fill(user) -> None:
    episode = make_episode(owner=user, onset=date(2025, 1, 1))
    make_entry(episode=episode, leg_symptoms="one")
    episode_flags.acknowledge_flag(episode=episode, code="leg_one")
    make_entry(
        episode=make_episode(owner=user, onset=date(2024, 1, 1), resolved_on=date(2024, 1, 9))
    )
    routine = make_routine(owner=user, steps=[make_stretch()])
    make_practice(owner=user, routine=routine)


def owned(user) -> tuple[int, ...]:
    return (
        Episode.objects.filter(owner=user).count(),
        PainEntry.objects.filter(owner=user).count(),
        FlagAcknowledgement.objects.filter(owner=user).count(),
        Routine.objects.filter(owner=user).count(),
        RoutineStep.objects.filter(routine__owner=user).count(),
        Practice.objects.filter(owner=user).count(),
        Profile.objects.filter(user=user).count(),
    )


def test_delete_account_asks_for_confirmation_first(client):
    user = make_user()
    fill(user)
    client.force_login(user)
    response = client.get(reverse("accounts:delete_account"))
    assert response.status_code == 200
    assert "cannot be undone" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_account_with_a_wrong_password_deletes_nothing(client):
    user = make_user()
    fill(user)
    client.force_login(user)
    response = client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert owned(user) == (2, 2, 1, 1, 1, 1, 1)


def test_delete_account_removes_everything_and_only_mine(client):
    user = make_user()
    other = make_user()
    fill(user)
    fill(other)
    client.force_login(user)
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert owned(user) == (0, 0, 0, 0, 0, 0, 0)
    assert owned(other) == (2, 2, 1, 1, 1, 1, 1)
    # Signed out afterwards.
    assert client.get(reverse("symptoms:entry_list")).status_code == 302


def test_delete_account_wrong_method_and_signed_out(client):
    user = make_user()
    assert (
        client.post(reverse("accounts:delete_account"), {"password": PASSWORD}).status_code == 302
    )
    assert User.objects.filter(pk=user.pk).exists()
    client.force_login(user)
    assert client.put(reverse("accounts:delete_account")).status_code == 405
