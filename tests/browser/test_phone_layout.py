"""Phones first: what a 360 px screen shows of the history, the chart and disclosures.

- The practice history is one card per session: every fact (when, session, stretches
  done, pain before and after, change, note) is on screen, none in a scroll box.
- The progress chart's text is drawn at least 12 px tall on the screen (the SVG scales
  its text with the chart, so this is measured in the browser: font size in SVG units
  times the SVG's screen scale, and the text's box).
- The per-session table's row heading is not squeezed.
- Every disclosure (<details>) shows a marker.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import data

# How a 360 px screen lays out the HTML (test_page_html checks it on both databases).
pytestmark = pytest.mark.any_database

RENDERED_TEXT = """() => [...document.querySelectorAll('.pain-chart__svg text')].map(t => {
  const scale = t.ownerSVGElement.getScreenCTM().a;
  const size = parseFloat(getComputedStyle(t).fontSize) * scale;
  const box = t.getBoundingClientRect();
  return {text: t.textContent, size: size, height: box.height, right: box.right,
          left: box.left};
})"""


def with_history(person, days: int = 20) -> None:
    """A pain entry a day and a session every other day, so the chart is full."""
    from routines import services as routine_services
    from routines.models import Practice
    from symptoms import services
    from symptoms.models import PainEntry

    routine = data.make_routine(person, name="Morning stretches for a stiff back")
    now = timezone.now()
    for n in range(days):
        services.save_entry(
            owner=person,
            entry=PainEntry(recorded_at=now - timedelta(days=n), pain=(n % 7) + 2, **data.NO_SIGNS),
        )
    for n in range(0, days, 2):
        practice = data.start_practice(person, routine, pain_before=6)
        routine_services.finish_practice(
            practice=practice, pain_after=3, note="Looser after the cat-camel.", steps_completed=1
        )
        Practice.objects.filter(pk=practice.pk).update(started_at=now - timedelta(days=n))


def test_history_cards_show_every_fact_at_360(new_page, person):
    with_history(person, days=4)
    page = new_page("phone", user=person)
    page.goto("/routines/history/")
    cards = page.locator(".practice-card")
    expect(cards).to_have_count(2)
    card = cards.first
    for fact in ("Stretches done", "Pain before → after", "Change", "Note"):
        expect(card.get_by_text(fact, exact=True)).to_be_in_viewport()
    expect(card).to_contain_text("6 → 3")
    expect(card).to_contain_text("-3: meaningful improvement")
    expect(card).to_contain_text("Looser after the cat-camel.")
    # Nothing scrolls sideways: every card fits the screen.
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator(".table-responsive").count() == 0


def test_chart_text_is_at_least_12px_on_phones_and_the_session_heading_has_room(new_page, person):
    with_history(person)
    for width in (360, 320, 480, 1280):
        page = new_page("phone" if width < 768 else "desktop", user=person)
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/symptoms/progress/")
        page.locator(".pain-chart").first.screenshot(path=f"/tmp/issue14-chart-{width}.png")
        # Shown text only: on a phone every other date is left out.
        texts = [t for t in page.evaluate(RENDERED_TEXT) if t["height"] > 0]
        assert len(texts) >= 8, texts  # axis labels, dates, the axis title
        smallest = min(texts, key=lambda t: t["size"])
        print(f"{width} px: smallest chart text {smallest['size']:.1f} px ({smallest['text']})")
        assert smallest["size"] >= 12, (width, smallest)
        assert min(t["height"] for t in texts) >= 12, width
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.pain-chart__svg text')]
              .map(t => t.getBoundingClientRect()).filter(b => b.height > 0)
              .map(b => [b.left, b.top, b.right, b.bottom])"""
        )
        for i, a in enumerate(boxes):  # no two labels overlap
            for b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (width, a, b)
        svg = page.locator(".pain-chart__svg").first.bounding_box()
        for t in texts:  # no label is cut off at the chart's edges
            assert svg["x"] - 1 <= t["left"] and t["right"] <= svg["x"] + svg["width"] + 1, t
        if width == 360:
            heading = page.locator(".effects-table tbody th").first
            expect(heading).to_have_text("Morning stretches for a stiff back")
            assert heading.bounding_box()["width"] > 250


def test_disclosures_show_a_marker(new_page, person):
    with_history(person, days=3)
    page = new_page("phone", user=person)
    page.goto("/symptoms/report/")
    # The header's Menu (a disclosure too) has its own marker: the page's own ones.
    summary = page.locator("details:not(.site-menu) > summary").first
    expect(summary).to_be_visible()
    marker = page.evaluate(
        """() => {
          const s = document.querySelector('details:not(.site-menu) > summary');
          const m = getComputedStyle(s, '::before');
          return {content: m.content, width: parseFloat(m.width), border: m.borderRightWidth,
                  transform: m.transform};
        }"""
    )
    page.screenshot(path="/tmp/issue14-report-360.png")
    assert marker["content"] == '""' and marker["width"] > 5, marker
    assert marker["border"] != "0px"
    closed = marker["transform"]
    summary.click()
    opened = page.evaluate(
        "getComputedStyle(document.querySelector('details:not(.site-menu) > summary'),"
        " '::before').transform"
    )
    assert opened != closed  # the chevron turns when the disclosure opens
