"""Share links: make one, open it signed out, count, limit, expire, revoke; a token is
random, stored only as a hash and compared in constant time; nothing personal leaks;
another person can neither see nor change my links."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from progress import report_pdf
from sharing import ratelimit, services
from sharing.agents import coarse_agent, is_link_preview
from sharing.models import ShareLink, ShareOpening
from tests.symptom_factories import make_entry, make_episode, make_user
from tests.test_report import day, episode_with_signs, long_day

pytestmark = pytest.mark.django_db

LINKS = "/symptoms/report/share/"
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
needs_weasyprint = pytest.mark.skipif(not report_pdf.available(), reason="WeasyPrint not usable")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The limits count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner():
    user = make_user("owner-username-4d2a")
    user.email = "owner-4d2a@example.com"
    user.first_name, user.last_name = "Olivia", "Ownersurname"
    user.save()
    episode_with_signs(user)
    return user


def make_link(client, user, **fields) -> str:
    """Make a link through the page, as a person would; returns the token shown once."""
    client.force_login(user)
    data = {"days": "7", **fields}
    response = client.post(LINKS, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == LINKS + "#new-link"
    page = client.get(LINKS).content.decode()
    match = re.search(r'value="http://testserver/s/([A-Za-z0-9_-]+)/"', page)
    assert match, "the new link is shown after it is made"
    client.logout()
    return match.group(1)


def shared_url(token: str) -> str:
    return f"/s/{token}/"


def open_link(client, token: str, agent: str = FIREFOX_ANDROID, path: str = ""):
    return client.get(shared_url(token) + path, HTTP_USER_AGENT=agent)


def assert_private_headers(response) -> None:
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"


def assert_unavailable(response) -> None:
    assert response.status_code == 404
    assert "This link is not available" in response.content.decode()
    assert_private_headers(response)


# Making a link


def test_url_names():
    assert reverse("sharing:links") == LINKS
    assert reverse("sharing:shared", args=["t"]) == "/s/t/"


def test_the_summary_page_leads_to_sharing_with_its_period(client, owner):
    client.force_login(owner)
    html = client.get("/symptoms/report/", {"start": day(10), "end": day(2)}).content.decode()
    assert f'href="{LINKS}?start={day(10)}&amp;end={day(2)}"' in html
    form = client.get(LINKS, {"start": day(10), "end": day(2)}).content.decode()
    assert f'value="{day(10)}"' in form and f'value="{day(2)}"' in form


def test_a_new_link_is_shown_once_and_only_its_hash_is_kept(client, owner):
    token = make_link(client, owner)
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    link = ShareLink.objects.get(owner=owner)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = json.dumps(list(ShareLink.objects.values()), default=str)
    assert token not in stored
    client.force_login(owner)
    again = client.get(LINKS).content.decode()
    assert token not in again and "Your new link" not in again
    # The session held it only until it was shown.
    assert token not in json.dumps(dict(client.session), default=str)
    assert services.TOKEN_BYTES * 8 >= 128


def test_tokens_are_random_and_distinct(client, owner):
    tokens = {make_link(client, owner) for _ in range(5)}
    assert len(tokens) == 5
    assert ShareLink.objects.filter(owner=owner).count() == 5


def test_the_newest_link_is_listed_first(client, owner):
    make_link(client, owner, display_name="older-link")
    make_link(client, owner, display_name="newer-link")
    client.force_login(owner)
    page = client.get(LINKS).content.decode()
    assert page.index("newer-link") < page.index("older-link")


def test_defaults_and_choices_are_stored(client, owner):
    before = timezone.now()
    make_link(client, owner)
    link = ShareLink.objects.get(owner=owner)
    # Nothing chosen: the open episode, from onset to today; 7 days; no limit.
    assert (link.start_date, link.end_date) == (day(30), day(0))
    assert link.episode is not None
    assert before + timedelta(days=7) <= link.expires_at <= timezone.now() + timedelta(days=7)
    assert link.max_openings is None and not link.allow_fhir and link.display_name == ""
    make_link(
        client,
        owner,
        start=day(20),
        end=day(5),
        days="30",
        max_openings="3",
        display_name="Liv",
        allow_fhir="on",
    )
    latest = ShareLink.objects.filter(owner=owner).first()
    assert (latest.start_date, latest.end_date, latest.episode) == (day(20), day(5), None)
    assert latest.expires_at - latest.created_at == timedelta(days=30)
    assert (latest.max_openings, latest.display_name, latest.allow_fhir) == (3, "Liv", True)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"days": "0"}, "days", "from 1 to 30"),
        ({"days": "31"}, "days", "from 1 to 30"),
        ({"days": "seven"}, "days", "from 1 to 30"),
        ({"days": ""}, "days", "from 1 to 30"),
        ({"days": "7", "max_openings": "0"}, "max_openings", "from 1 to 100"),
        ({"days": "7", "max_openings": "many"}, "max_openings", "from 1 to 100"),
        ({"days": "7", "start": "2026-03-10", "end": "2026-03-01"}, "end", "on or after"),
        ({"days": "7", "display_name": "x" * 61}, "display_name", "at most 60"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_made(
    client, owner, fields, field, message
):
    client.force_login(owner)
    response = client.post(LINKS, fields)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert f'id="id_{field}"' in response.content.decode()
    assert not ShareLink.objects.exists()


def test_making_links_needs_a_sign_in_and_a_post_with_csrf(client, owner):
    response = client.get(LINKS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(LINKS, {"days": "7"}).status_code == 403
    assert not ShareLink.objects.exists()


# Opening a link


def test_a_signed_out_visitor_sees_the_summary_and_nothing_personal(client, owner):
    token = make_link(client, owner)
    response = open_link(client, token)
    assert response.status_code == 200
    assert_private_headers(response)
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert html.count("<h1") == 1
    # The same summary as the report page: chart, warning signs with dates and seen
    # status, sessions, notes.
    assert 'id="report-chart-title"' in html
    fall_row = html[html.index("Severe pain after a fall") :].split("</tr>")[0]
    assert long_day(day(30)) in fall_row and "Yes, noted" in fall_row
    bladder_row = html[html.index("Loss of bladder") :].split("</tr>")[0]
    assert long_day(day(12)) in bladder_row and "Not yet" in bladder_row
    assert "Gentle evening" in html and "Slipped on ice" in html
    for personal in ("owner-username-4d2a", "owner-4d2a@example.com", "Olivia", "Ownersurname"):
        assert personal not in html
    # Not the person's own tools.
    assert "Choose another episode or dates" not in html and "csrfmiddlewaretoken" not in html


def test_the_chosen_display_name_is_the_only_name_shown(client, owner):
    token = make_link(client, owner, display_name="Liv O.")
    html = open_link(client, token).content.decode()
    assert "Shared by Liv O. through a private" in html
    assert "Liv O." in html[html.index("report__subtitle") :].split("</p>")[0]
    assert "Olivia" not in html and "owner-username-4d2a" not in html


def test_another_persons_data_is_never_on_my_shared_summary(client, owner):
    other = make_user()
    episode = make_episode(owner=other, onset=day(3))
    make_entry(episode=episode, on=day(2), pain=9, note="other-persons-note-91c2")
    token = make_link(client, owner)
    assert "other-persons-note-91c2" not in open_link(client, token).content.decode()


def test_each_opening_is_recorded_with_a_coarse_browser_name(client, owner):
    token = make_link(client, owner)
    open_link(client, token, FIREFOX_ANDROID)
    open_link(client, token, CHROME_WINDOWS)
    link = ShareLink.objects.get(owner=owner)
    assert link.open_count == 2
    openings = list(link.openings.order_by("opened_at").values_list("kind", "agent", "counted"))
    assert openings == [
        ("page", "Firefox on Android", True),
        ("page", "Chrome on Windows", True),
    ]
    # The person sees them on their page; no address or full user agent is kept.
    client.force_login(owner)
    page = client.get(LINKS).content.decode()
    assert "Firefox on Android" in page and "Chrome on Windows" in page
    assert "Opened</dt><dd>2 times" in page
    fields = {f.name for f in ShareOpening._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "address", "user_agent"}
    assert "Gecko/133.0" not in json.dumps(list(ShareOpening.objects.values()), default=str)


@pytest.mark.parametrize(
    "agent, name",
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (CHROME_WINDOWS, "Chrome on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (CHROME_WINDOWS.replace("Safari/537.36", "Safari/537.36 Edg/131.0"), "Edge on Windows"),
        ("", "An unknown browser"),
        ("curl/8.5.0", "An unknown browser"),
    ],
)
def test_coarse_agent(agent, name):
    assert coarse_agent(agent) == name


def test_link_previews_get_nothing_and_do_not_count(client, owner):
    token = make_link(client, owner, max_openings="1")
    for agent in ("Slackbot-LinkExpanding 1.0", "WhatsApp/2.23", "facebookexternalhit/1.1"):
        assert is_link_preview(agent)
        assert_unavailable(open_link(client, token, agent))
    assert not ShareOpening.objects.exists()
    assert open_link(client, token).status_code == 200  # the one opening is still there


def test_only_get_opens_a_link(client, owner):
    token = make_link(client, owner)
    assert client.head(shared_url(token)).status_code == 405
    assert client.post(shared_url(token)).status_code in (403, 405)
    assert ShareLink.objects.get(owner=owner).open_count == 0


# Limits, expiry, revocation, wrong tokens


def test_a_limit_on_openings_is_kept(client, owner):
    token = make_link(client, owner, max_openings="2")
    assert open_link(client, token).status_code == 200
    assert open_link(client, token).status_code == 200
    assert_unavailable(open_link(client, token))
    link = ShareLink.objects.get(owner=owner)
    assert link.open_count == 2 and link.openings.count() == 2
    client.force_login(owner)
    assert "Opened as often as allowed" in client.get(LINKS).content.decode()


def test_the_last_opening_cannot_be_taken_twice(owner):
    """The count and the limit are checked in one UPDATE."""
    link, _ = services.create_link(
        owner=owner,
        span=_span(),
        days=1,
        max_openings=1,
        display_name="",
        allow_fhir=False,
        now=timezone.now(),
    )
    stale = ShareLink.objects.get(pk=link.pk)  # loaded by a second request at the same time
    now = timezone.now()
    assert services.record_opening(link, kind="page", agent="x", counted=True, now=now)
    assert not services.record_opening(stale, kind="page", agent="x", counted=True, now=now)
    assert ShareLink.objects.get(pk=link.pk).open_count == 1


def test_an_expired_link_is_not_available(client, owner):
    token = make_link(client, owner, days="1")
    assert open_link(client, token).status_code == 200
    ShareLink.objects.filter(owner=owner).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_unavailable(open_link(client, token))
    client.force_login(owner)
    page = client.get(LINKS).content.decode()
    assert "(Expired)" in page and "Switch off this link" not in page


def test_a_revoked_link_stops_at_once(client, owner):
    token = make_link(client, owner)
    assert open_link(client, token).status_code == 200
    link = ShareLink.objects.get(owner=owner)
    client.force_login(owner)
    response = client.post(reverse("sharing:revoke", args=[link.pk]), follow=True)
    assert "The link is switched off" in response.content.decode()
    assert "(Switched off)" in response.content.decode()
    client.logout()
    assert_unavailable(open_link(client, token))
    assert_unavailable(open_link(client, token, path="pdf/"))
    link.refresh_from_db()
    first = link.revoked_at
    assert first is not None
    client.force_login(owner)
    client.post(reverse("sharing:revoke", args=[link.pk]))  # again: nothing changes
    link.refresh_from_db()
    assert link.revoked_at == first


def test_wrong_malformed_and_old_tokens_are_not_found(client, owner):
    token = make_link(client, owner)
    other = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (other, "x" * 43, "short", "a" * 400, "%00" * 43):
        assert_unavailable(client.get(f"/s/{wrong}/"))
    # An old token: the link's owner deleted their account.
    owner.delete()
    assert_unavailable(open_link(client, token))


def test_tokens_are_looked_up_by_hash_and_compared_in_constant_time(client, owner, monkeypatch):
    token = make_link(client, owner)
    compared = []
    real = services.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(services.hmac, "compare_digest", spy)
    with CaptureQueriesContext(connection) as queries:
        assert open_link(client, token).status_code == 200
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert compared == [(digest, digest)]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert digest in sql and token not in sql


# Downloads


@needs_weasyprint
def test_the_pdf_download_belongs_to_the_opening_it_came_from(client, owner):
    token = make_link(client, owner, max_openings="1")
    html = open_link(client, token).content.decode()
    links = re.findall(r'href="(/s/[^"]+/pdf/\?[^"]+)"', html)
    assert len(links) == 2  # A4 and Letter
    response = client.get(links[0].replace("&amp;", "&"), HTTP_USER_AGENT=FIREFOX_ANDROID)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_private_headers(response)
    link = ShareLink.objects.get(owner=owner)
    assert link.open_count == 1
    assert list(link.openings.values_list("kind", "counted").order_by("opened_at")) == [
        ("page", True),
        ("pdf", False),
    ]
    # Without the visit stamp a download is an opening of its own: none is left.
    assert_unavailable(open_link(client, token, path="pdf/?paper=a4"))
    assert_unavailable(open_link(client, token, path="pdf/?paper=a4&visit=forged:stamp"))


def test_the_fhir_file_only_when_the_person_allowed_it(client, owner):
    plain = make_link(client, owner)
    assert_unavailable(open_link(client, plain, path="spasmcare-fhir.json"))
    assert "FHIR" not in open_link(client, plain).content.decode()
    token = make_link(client, owner, allow_fhir="on", display_name="Liv", start=day(13), end=day(0))
    html = open_link(client, token).content.decode()
    url = re.search(r'href="(/s/[^"]+/spasmcare-fhir\.json\?visit=[^"]+)"', html).group(1)
    response = client.get(url.replace("&amp;", "&"), HTTP_USER_AGENT=FIREFOX_ANDROID)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert_private_headers(response)
    bundle = Bundle.model_validate_json(response.content)
    data = json.loads(response.content)
    patient = next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    assert patient["name"] == [{"text": "Liv"}]
    # Only the link's period: day 12 to today has 4 of the 7 entries (days 12, 10, 8, 1).
    scores = [
        e.resource
        for e in bundle.entry
        if e.resource.get_resource_type() == "Observation"
        and e.resource.code.coding[0].code == "72514-3"
        and not e.resource.partOf
    ]
    assert sorted(int(o.valueQuantity.value) for o in scores) == [2, 3, 4, 5]
    assert "owner-username-4d2a" not in response.content.decode()


# Rate limits


def test_too_many_requests_for_one_link(client, owner, monkeypatch):
    monkeypatch.setattr(ratelimit, "PER_LINK", (3, 60))
    token = make_link(client, owner)
    for _ in range(3):
        assert open_link(client, token).status_code == 200
    response = open_link(client, token)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/plain")
    assert "Too many requests" in response.content.decode()
    assert_private_headers(response)
    assert ShareLink.objects.get(owner=owner).open_count == 3


def test_too_many_requests_from_one_address(client, owner, monkeypatch):
    monkeypatch.setattr(ratelimit, "PER_ADDRESS", (4, 60))
    token = make_link(client, owner)
    for n in range(3):
        assert client.get(f"/s/{'x' * 42}{n}/").status_code == 404  # guessing
    assert open_link(client, token).status_code == 200
    assert open_link(client, token).status_code == 429
    # Another address is not held back.
    assert client.get(shared_url(token), REMOTE_ADDR="192.0.2.7").status_code == 200


# Another person


def test_another_person_can_neither_see_nor_revoke_my_links(client, owner):
    token = make_link(client, owner, display_name="marker-name-55e1")
    link = ShareLink.objects.get(owner=owner)
    intruder = make_user()
    client.force_login(intruder)
    page = client.get(LINKS).content.decode()
    assert "marker-name-55e1" not in page and "You have not made a link yet." in page
    response = client.post(reverse("sharing:revoke", args=[link.pk]))
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert open_link(client, token).status_code == 200


def test_revoke_needs_post_and_a_sign_in(client, owner):
    make_link(client, owner)
    link = ShareLink.objects.get(owner=owner)
    url = reverse("sharing:revoke", args=[link.pk])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(owner)
    assert client.get(url).status_code == 405
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_links_page_takes_a_fixed_number_of_queries(client, owner):
    token = make_link(client, owner)
    client.force_login(owner)
    client.get(LINKS)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LINKS).status_code == 200
        return len(queries)

    few = count()
    for _ in range(3):
        make_link(client, owner)
        client.force_login(owner)
        client.get(LINKS)
    for _ in range(4):
        open_link(client, token)
    assert count() == few


def test_share_tokens_never_reach_the_log():
    import logging

    from django.conf import settings

    from sharing.log_filters import RedactShareTokens

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/s/abcDEF_-123/pdf/",),
        None,
    )
    assert RedactShareTokens().filter(record)
    assert record.getMessage() == "Not Found: /s/[token]/pdf/"
    assert "share_tokens" in settings.LOGGING["handlers"]["console"]["filters"]


def _span():
    from progress.summary import Span

    return Span(None, day(5), day(0))
