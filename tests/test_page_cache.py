"""Whole-page cache for signed-out content pages (spasmcare/cache.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.csp import LazyNonce

from routines.models import Stretch
from spasmcare import cache as page_cache_module
from spasmcare.cache import is_storable_response


def make_stretch(slug: str = "knee-to-chest", name: str = "Knee to chest", order: int = 1):
    return Stretch.objects.create(
        slug=slug,
        name=name,
        order=order,
        purpose="Eases tight lower back muscles.",
        position=Stretch.Position.LYING,
        starting_position="Lie on your back.",
        steps="Bring one knee up.\nHold.\nLower it.",
        illustration="img/favicon.svg",
        illustration_alt="A person lying on their back hugging one knee.",
    )


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    page_cache_module._local.clear()
    yield
    cache.clear()
    page_cache_module._local.clear()


@pytest.mark.django_db
def test_second_signed_out_view_of_the_stretch_list_runs_no_query(
    client, page_cache, django_assert_num_queries
):
    make_stretch()
    first = client.get("/stretches/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get("/stretches/")
    assert second.status_code == 200
    assert second.content == first.content
    assert b"Knee to chest" in second.content


@pytest.mark.django_db
def test_cached_page_still_gets_fresh_security_headers_and_no_nonce(client, page_cache):
    make_stretch()
    client.get("/stretches/knee-to-chest/")
    cached = client.get("/stretches/knee-to-chest/")
    assert "nonce-" not in cached.headers["Content-Security-Policy"]
    assert "script-src 'self'" in cached.headers["Content-Security-Policy"]
    assert cached.headers["X-Frame-Options"] == "DENY"
    assert cached.headers["X-Content-Type-Options"] == "nosniff"
    assert "Cookie" in cached.headers["Vary"]
    assert b"nonce=" not in cached.content
    assert "Set-Cookie" not in cached.headers


@pytest.mark.django_db
def test_signed_in_person_never_gets_the_signed_out_copy(client, page_cache):
    make_stretch()
    client.get("/stretches/")  # cached for signed-out visitors
    user = get_user_model().objects.create_user("sam", password="a-long-pass-phrase-1")
    client.force_login(user)
    response = client.get("/stretches/")
    assert b"Log out" in response.content
    client.logout()
    assert b"Log out" not in client.get("/stretches/").content


@pytest.mark.django_db
def test_query_strings_and_pending_messages_bypass_the_cache(client, page_cache):
    make_stretch()
    client.get("/stretches/")
    Stretch.objects.filter(slug="knee-to-chest").update(name="Renamed quietly")
    assert b"Renamed quietly" in client.get("/stretches/?page=1").content
    client.cookies["messages"] = "something"
    assert b"Renamed quietly" in client.get("/stretches/").content


@pytest.mark.django_db
def test_editing_a_stretch_clears_its_cached_pages(client, page_cache):
    stretch = make_stretch()
    client.get("/stretches/")
    client.get("/stretches/knee-to-chest/")
    stretch.name = "Knee hug"
    stretch.save()
    assert b"Knee hug" in client.get("/stretches/").content
    assert b"Knee hug" in client.get("/stretches/knee-to-chest/").content


@pytest.mark.django_db
def test_renamed_slug_stops_answering_at_the_old_address(client, page_cache):
    stretch = make_stretch()
    assert client.get("/stretches/knee-to-chest/").status_code == 200
    stretch.slug = "knee-hug"
    stretch.save()
    assert client.get("/stretches/knee-to-chest/").status_code == 404
    assert client.get("/stretches/knee-hug/").status_code == 200


@pytest.mark.django_db
def test_deleting_a_stretch_removes_its_cached_page(client, page_cache):
    stretch = make_stretch()
    assert client.get("/stretches/knee-to-chest/").status_code == 200
    stretch.delete()
    assert client.get("/stretches/knee-to-chest/").status_code == 404


def test_a_response_that_used_the_csp_nonce_is_never_stored():
    request = RequestFactory().get("/stretches/")
    request._csp_nonce = LazyNonce()
    response = HttpResponse("<p>page</p>")
    assert is_storable_response(request, response)
    str(request._csp_nonce)  # a template put the nonce in the page
    assert not is_storable_response(request, response)


def test_a_response_holding_a_csrf_token_or_cookie_is_never_stored():
    request = RequestFactory().get("/stretches/")
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not is_storable_response(request, HttpResponse("form"))
    request = RequestFactory().get("/stretches/")
    response = HttpResponse("page")
    response.set_cookie("anything", "1")
    assert not is_storable_response(request, response)
    assert not is_storable_response(RequestFactory().get("/"), HttpResponse(status=404))


@pytest.mark.django_db
def test_pages_are_shared_through_the_cache_not_only_kept_per_worker(client, page_cache):
    """Another worker (empty local copy) is served from the shared cache."""
    make_stretch()
    first = client.get("/stretches/")
    page_cache_module._local.clear()
    Stretch.objects.filter(slug="knee-to-chest").update(name="Not yet visible")
    assert client.get("/stretches/").content == first.content
    assert page_cache_module._local  # and it keeps its own copy again


@pytest.mark.django_db
def test_a_workers_own_copy_expires(client, page_cache, settings, monkeypatch):
    settings.PAGE_CACHE_LOCAL_SECONDS = 5
    make_stretch()
    client.get("/stretches/")
    (key,) = page_cache_module._local
    assert page_cache_module._local_get(key) is not None
    later = page_cache_module.time.monotonic() + 6
    monkeypatch.setattr(page_cache_module.time, "monotonic", lambda: later)
    assert page_cache_module._local_get(key) is None


# --- a signed-in person's own pages ---------------------------------------------------


@pytest.fixture
def personal_cache(settings):
    settings.PERSONAL_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def make_person_with_entry(username: str, note: str):
    from datetime import date

    from django.utils import timezone

    from symptoms.models import Episode, PainEntry

    person = get_user_model().objects.create_user(username, password="a-long-pass-phrase-1")
    episode = Episode.objects.create(owner=person, onset_date=date.today())
    entry = PainEntry.objects.create(
        owner=person,
        episode=episode,
        recorded_at=timezone.now(),
        local_date=timezone.localdate(),
        pain=5,
        note=note,
    )
    return person, entry


def warm(client, url: str) -> None:
    """First view sets the CSRF cookie, the second stores the page."""
    client.get(url)
    client.get(url)


@pytest.fixture
def pats_cached_log(client, personal_cache, db):
    """Pat signed in on `client`, with one entry ("first note"), the log page cached."""
    person, entry = make_person_with_entry("pat", "first note")
    client.force_login(person)
    warm(client, "/symptoms/")
    return entry


@pytest.mark.django_db
def test_a_persons_log_is_served_from_cache_until_they_post(client, pats_cached_log):
    from symptoms.models import PainEntry

    entry = pats_cached_log
    # Changed without a signal or a request: the cached page still shows the old note.
    PainEntry.objects.filter(pk=entry.pk).update(note="changed quietly")
    assert b"first note" in client.get("/symptoms/").content
    # Any POST by the person drops their cached pages.
    client.post("/symptoms/new/", {})
    response = client.get("/symptoms/")
    assert b"changed quietly" in response.content


@pytest.mark.django_db
def test_saving_a_persons_data_elsewhere_drops_their_pages(client, pats_cached_log):
    entry = pats_cached_log
    entry.note = "edited in the admin"
    entry.save()
    assert b"edited in the admin" in client.get("/symptoms/").content


@pytest.mark.django_db
def test_cached_pages_are_per_person_and_per_csrf_cookie(client, personal_cache):
    from django.test import Client

    pat, _ = make_person_with_entry("pat", "pat-note")
    sam, _ = make_person_with_entry("sam", "sam-note")
    client.force_login(pat)
    warm(client, "/symptoms/")
    other = Client()
    other.force_login(sam)
    html = other.get("/symptoms/").content
    assert b"sam-note" in html and b"pat-note" not in html
    # Pat on a second device (another CSRF cookie) gets a page rendered for it.
    second = Client()
    second.force_login(pat)
    second.cookies["csrftoken"] = "x" * 32
    response = second.get("/symptoms/")
    assert response.status_code == 200
    assert b"pat-note" in response.content


@pytest.mark.django_db
def test_a_new_day_renders_the_page_again(client, pats_cached_log, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from symptoms.models import PainEntry

    entry = pats_cached_log
    PainEntry.objects.filter(pk=entry.pk).update(note="seen tomorrow")
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert b"seen tomorrow" in client.get("/symptoms/").content


@pytest.mark.django_db
def test_pending_messages_and_other_query_strings_bypass_the_personal_cache(
    client, pats_cached_log
):
    from symptoms.models import PainEntry

    entry = pats_cached_log
    PainEntry.objects.filter(pk=entry.pk).update(note="fresh")
    assert b"fresh" in client.get("/symptoms/?page=1").content
    client.cookies["messages"] = "pending"
    assert b"fresh" in client.get("/symptoms/").content


def test_the_personal_cache_is_off_without_a_shared_cache():
    """With a per-process cache another worker could show a page from before a write."""
    import subprocess
    import sys

    from tests.test_settings import ROOT, clean_env

    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.PERSONAL_PAGE_CACHE_SECONDS)"
    )
    local = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(SECRET_KEY="x" * 60),
        capture_output=True,
        text=True,
    )
    shared = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(SECRET_KEY="x" * 60, REDIS_URL="redis://127.0.0.1:6379/3"),
        capture_output=True,
        text=True,
    )
    assert local.stdout.split()[-1] == "0", local.stderr
    assert int(shared.stdout.split()[-1]) > 0, shared.stderr


@pytest.mark.django_db
def test_every_real_content_page_is_cacheable(
    client, content, page_cache, django_assert_num_queries
):
    """The real stretch and guide pages use no nonce, no CSRF token and set no cookie."""
    from routines.models import GuidePage

    urls = ["/", "/stretches/", "/guide/"]
    urls += [s.get_absolute_url() for s in Stretch.objects.all()]
    urls += [g.get_absolute_url() for g in GuidePage.objects.all()]
    assert len(urls) > 10
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert b"nonce=" not in first.content, url
        with django_assert_num_queries(0):
            assert client.get(url).content == first.content, url
