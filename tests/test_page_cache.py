"""Whole-page cache for signed-out content pages (routines/page_cache.py)."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.csp import LazyNonce

from routines.models import Stretch
from routines.page_cache import LOCAL_SECONDS, is_storable_response, page_key


def make_stretch(slug: str = "knee-to-chest", name: str = "Knee to chest", order: int = 1):
    return Stretch.objects.create(
        slug=slug,
        name=name,
        order=order,
        purpose="Eases tight lower back muscles.",
        position=Stretch.Position.LYING,
        starting_position="Lie on your back.",
        steps="Bring one knee up.\nHold.\nLower it.",
        start_illustration="img/stretches/knee-to-chest-start.svg",
        start_alt="A person lying on their back, knees bent.",
        hold_illustration="img/stretches/knee-to-chest-hold.svg",
        hold_alt="A person lying on their back hugging one knee.",
    )


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


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
def test_pages_are_kept_in_djangos_cache_shared_by_every_worker(client, page_cache):
    """The stored page lives in the default cache (Redis in production), so another
    worker serves it without rendering it (a worker with an empty memory here)."""
    make_stretch()
    first = client.get("/stretches/")
    Stretch.objects.filter(slug="knee-to-chest").update(name="Not yet visible")
    assert cache.get(page_key("/stretches/")) is not None
    caches["pages"].clear()  # another worker
    assert client.get("/stretches/").content == first.content
    cache.delete(page_key("/stretches/"))
    caches["pages"].clear()
    assert "Not yet visible" in client.get("/stretches/").content.decode()


@pytest.mark.django_db
def test_a_process_serves_a_page_from_its_own_memory_for_a_short_while(
    client, page_cache, monkeypatch
):
    """Reading Redis cost 0.2 ms of a 0.9 ms request: a process keeps the pages it
    serves for LOCAL_SECONDS. A content change made through another process (deleting
    the shared copy) shows once they are up."""
    make_stretch()
    first = client.get("/stretches/").content
    shared_reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a: shared_reads.append(key) or real_get(key, *a))
    assert client.get("/stretches/").content == first
    assert shared_reads == []  # served from this process's memory

    Stretch.objects.filter(slug="knee-to-chest").update(name="Changed elsewhere")
    cache.delete(page_key("/stretches/"))  # as clear_page_cache() in another process
    assert client.get("/stretches/").content == first  # within LOCAL_SECONDS
    later = time.time() + LOCAL_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert "Changed elsewhere" in client.get("/stretches/").content.decode()


@pytest.mark.django_db
def test_a_content_change_in_this_process_shows_at_once(client, page_cache):
    make_stretch()
    client.get("/stretches/")
    stretch = Stretch.objects.get(slug="knee-to-chest")
    stretch.name = "Knee hug"
    stretch.save()  # the signal clears both copies
    assert "Knee hug" in client.get("/stretches/").content.decode()


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
