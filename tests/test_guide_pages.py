"""The guide index and guide pages: every item shows, warning signs carry their urgency."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from routines.models import GuideItem, GuidePage
from safety.rules import CODES, RETIRED, RULES, rules_in_order
from tests.page_text import normalise, page_text

SLUGS = ["causes", "benefits", "safe-stretching", "home-care", "when-to-seek-care"]
ITEM_COUNTS = {
    "causes": 5,
    "benefits": 4,
    "safe-stretching": 6,
    "home-care": 7,
    "when-to-seek-care": 0,  # its list is the red-flag rules, not items
}


@pytest.mark.django_db
def test_guide_index_lists_the_five_pages(client, content):
    response = client.get("/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    links = re.findall(r'<h2><a href="/guide/([\w-]+)/">', html)
    assert links == SLUGS
    text = page_text(html)
    for page in GuidePage.objects.all():
        assert normalise(page.summary) in text


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_shows_every_item(client, content, slug):
    page = GuidePage.objects.get(slug=slug)
    response = client.get(f"/guide/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert f"<title>{escape(page.title)} · SpasmCare</title>" in html
    assert normalise(page.intro) in text
    if page.outro:
        assert normalise(page.outro) in text
    items = list(page.items.all())
    assert len(items) == ITEM_COUNTS[slug]
    cursor = text.index(normalise(page.intro)) + len(page.intro)
    for item in items:
        # In order: each item after the one before it.
        heading = normalise(item.heading)
        assert heading in text[cursor:], item.heading
        cursor = text.index(heading, cursor)
        assert normalise(item.body) in text[cursor:], item.body
    # Links to the other four pages.
    for other in SLUGS:
        if other != slug:
            assert f'href="/guide/{other}/"' in html


@pytest.mark.django_db
def test_warning_signs_are_the_checkers_rules_with_anchors_urgency_and_what_to_do(client, content):
    html = client.get("/guide/when-to-seek-care/").content.decode()
    anchors = re.findall(r'<li id="([\w-]+)" class="guide-item flag flag--(\w+)">', html)
    rules = rules_in_order(retired=True)
    assert [code for code, _ in anchors] == [rule.code for rule in rules]
    assert sorted(code for code, _ in anchors) == sorted(CODES)  # every rule is shown
    for code, urgency in anchors:
        assert urgency == RULES[code].urgency
    text = page_text(html)
    for rule in rules:
        assert normalise(rule.title) in text
        assert normalise(f"{rule.urgency.label}: {rule.urgency.heading}") in text
        assert normalise(rule.what) in text or normalise(rule.title) in text
    # The signs from NHS guidance say where they come from.
    nhs = [rule for rule in rules if rule.source == "nhs" and rule.code not in RETIRED]
    assert nhs and text.count("from nhs guidance") == len(nhs)


@pytest.mark.django_db
def test_other_guide_items_get_plain_anchors(client, content):
    html = client.get("/guide/causes/").content.decode()
    assert re.findall(r'<li id="([\w-]+)" class="guide-item">', html) == [
        f"item-{n}" for n in range(1, 6)
    ]
    assert "flag--" not in html


@pytest.mark.django_db
def test_unknown_guide_page_gives_the_friendly_404(client, content):
    response = client.get("/guide/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
def test_guide_pages_refuse_post(client, content):
    assert client.post("/guide/").status_code == 405
    assert client.post("/guide/causes/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/guide/", "/guide/home-care/"])
def test_guide_query_count_does_not_grow_with_content(client, content, url):
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(10):
        page = GuidePage.objects.create(
            slug=f"extra-{number}", title=f"Extra {number}", order=50 + number, summary="x"
        )
        GuideItem.objects.create(page=page, order=1, heading="x")
    home_care = GuidePage.objects.get(slug="home-care")
    for number in range(10):
        GuideItem.objects.create(page=home_care, order=50 + number, heading=f"Extra {number}")
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(before) <= 3
    assert len(after) == len(before)
