"""The stretch list and the stretch pages: content, order, 404s and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from routines.models import Stretch
from tests.page_text import normalise, page_text

SLUGS = [
    "knee-to-chest",
    "double-knee-to-chest",
    "pelvic-tilt",
    "cat-camel",
    "childs-pose",
    "piriformis",
    "seated-spinal-twist",
]


def make_stretch(slug: str, order: int) -> Stretch:
    return Stretch.objects.create(
        slug=slug,
        name=f"Extra {slug}",
        order=order,
        purpose="An extra stretch for the query test.",
        position=Stretch.Position.SITTING,
        starting_position="Sitting.",
        steps="Sit.\nBreathe.",
        cautions="Stop if it hurts.",
        start_illustration="img/stretches/knee-to-chest-start.svg",
        start_alt="Extra start",
        hold_illustration="img/stretches/knee-to-chest-hold.svg",
        hold_alt="Extra hold",
    )


def assert_both_drawings(html: str, stretch: Stretch) -> None:
    """The start and the hold drawing, in that order, each with its alt text and caption."""
    start = html.index(
        f'<img src="/static/{stretch.start_illustration}" alt="{escape(stretch.start_alt)}"'
    )
    hold = html.index(
        f'<img src="/static/{stretch.hold_illustration}" alt="{escape(stretch.hold_alt)}"'
    )
    assert start < html.index("Start position</figcaption>", start) < hold
    assert hold < html.index("Hold position</figcaption>", hold)


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.mark.django_db
def test_list_shows_every_stretch_as_a_card(client, content):
    response = client.get("/stretches/")
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert h1_count(html) == 1
    assert "<title>Stretches for lower back spasm · SpasmCare</title>" in html
    assert html.count('class="sc-card stretch-card"') == 7
    for stretch in Stretch.objects.all():
        assert f'href="/stretches/{stretch.slug}/"' in html
        assert normalise(stretch.name) in text
        assert normalise(stretch.purpose) in text
        assert_both_drawings(html, stretch)
    for label in ("lying on your back", "kneeling", "on all fours", "sitting"):
        assert f"position: {label}" in text
    assert text.count("hold: 20–30 seconds") == 7
    assert text.count("repeat: 2–3 times on each side") == 3
    # In the guide's order.
    positions = [text.index(normalise(s.name)) for s in Stretch.objects.all()]
    assert positions == sorted(positions)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_stretch_page_gives_the_full_instructions_in_order(client, content, slug):
    stretch = Stretch.objects.get(slug=slug)
    response = client.get(f"/stretches/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert h1_count(html) == 1
    assert f'<h1 id="stretch-heading">{escape(stretch.name)}</h1>' in html
    assert f"<title>{escape(stretch.name)}: step-by-step instructions · SpasmCare</title>" in html
    assert normalise(stretch.purpose) in text
    assert normalise(stretch.starting_position) in text

    steps = re.search(r'<ol class="steps">(.*?)</ol>', html, re.S).group(1)
    rendered_steps = [page_text(li) for li in re.findall(r"<li>(.*?)</li>", steps, re.S)]
    assert rendered_steps == [normalise(step) for step in stretch.step_list]
    assert len(rendered_steps) >= 3

    assert "hold: 20–30 seconds" in text
    assert "hold for 20–30 seconds" in text
    for caution in stretch.caution_list:
        assert normalise(caution) in text
    if stretch.per_side:
        assert normalise(stretch.side_note) in text
        assert "2–3 times on each side" in text
    else:
        assert "both sides:" not in text
    assert 'href="/guide/when-to-seek-care/"' in html
    assert_both_drawings(html, stretch)
    assert f'src="/static/img/stretches/{slug}-start.svg"' in html
    assert 'media="print"' in html


@pytest.mark.django_db
def test_stretch_pages_link_to_previous_and_next(client, content):
    for index, slug in enumerate(SLUGS):
        html = client.get(f"/stretches/{slug}/").content.decode()
        assert f"stretch {index + 1} of 7" in page_text(html)
        previous = re.search(r'<a href="/stretches/([\w-]+)/" rel="prev">', html)
        following = re.search(r'<a href="/stretches/([\w-]+)/" rel="next">', html)
        assert (previous.group(1) if previous else None) == (SLUGS[index - 1] if index else None)
        expected_next = SLUGS[index + 1] if index + 1 < len(SLUGS) else None
        assert (following.group(1) if following else None) == expected_next


@pytest.mark.django_db
def test_an_admin_edit_shows_on_the_page(client, content):
    Stretch.objects.filter(slug="pelvic-tilt").update(steps="First new step\nSecond new step")
    html = client.get("/stretches/pelvic-tilt/").content.decode()
    assert "<li>First new step</li><li>Second new step</li>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/stretches/no-such-stretch/", "/stretches/knee-to-chest/x/"])
def test_unknown_stretch_gives_the_friendly_404(client, content, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert h1_count(html) == 1
    assert 'href="/stretches/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/stretches/", "/stretches/knee-to-chest/"])
def test_pages_refuse_post(client, content, url):
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/stretches/", "/stretches/knee-to-chest/"])
def test_query_count_is_small_and_does_not_grow_with_the_stretches(client, content, url):
    before = _query_count(client, url)
    for number in range(20):
        make_stretch(f"extra-{number}", order=100 + number)
    after = _query_count(client, url)
    assert before <= 2
    assert after == before
    if url == "/stretches/":
        assert client.get(url).content.decode().count('class="sc-card stretch-card"') == 27
