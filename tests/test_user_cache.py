"""The signed-in person kept in the shared cache (spasmcare/auth.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from accounts.models import Profile
from spasmcare.auth import CachedModelBackend, user_key


@pytest.fixture
def user_cache(settings):
    settings.USER_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(db):
    user = get_user_model().objects.create_user("pat", password="a-long-pass-phrase-1")
    Profile.objects.create(user=user, time_zone="Europe/Paris")
    return user


def test_signing_in_through_the_form_uses_the_cached_backend(client, person, user_cache):
    response = client.post(
        "/accounts/login/", {"username": "pat", "password": "a-long-pass-phrase-1"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "spasmcare.auth.CachedModelBackend"


def test_a_cached_user_and_profile_cost_no_query(person, user_cache, django_assert_num_queries):
    backend = CachedModelBackend()
    first = backend.get_user(person.pk)
    assert first == person
    with django_assert_num_queries(0):
        again = backend.get_user(person.pk)
        assert again == person
        assert again._profile_cache.time_zone == "Europe/Paris"


def test_saving_the_user_or_profile_drops_the_cached_copy(person, user_cache):
    backend = CachedModelBackend()
    backend.get_user(person.pk)
    person.profile.time_zone = "Asia/Tokyo"
    person.profile.save()
    assert cache.get(user_key(person.pk)) is None
    assert backend.get_user(person.pk)._profile_cache.time_zone == "Asia/Tokyo"
    person.is_active = False
    person.save()
    assert backend.get_user(person.pk) is None


def test_a_password_change_signs_out_other_sessions_at_once(person, user_cache):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post("/accounts/login/", {"username": "pat", "password": "a-long-pass-phrase-1"})
        assert device.get("/symptoms/").status_code == 200
    response = laptop.post(
        "/accounts/password/",
        {
            "old_password": "a-long-pass-phrase-1",
            "new_password1": "another-long-pass-phrase-2",
            "new_password2": "another-long-pass-phrase-2",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/symptoms/").status_code == 200
    assert phone.get("/symptoms/").status_code == 302  # sent to log in


def test_without_a_shared_cache_it_is_plain_model_backend(person, settings):
    settings.USER_CACHE_SECONDS = 0
    cache.clear()
    CachedModelBackend().get_user(person.pk)
    assert cache.get(user_key(person.pk)) is None
