"""Progress, summary, export and import in headless Chromium; the summary printed to PDF.

A person with three months of daily entries, warning signs and practices: the summary
must print to one or two pages on A4 and on Letter, without the navigation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from routines.models import Practice, Routine
from symptoms.models import Episode, FlagAcknowledgement, PainEntry
from tests.browser.checks import (
    assert_axe_clean,
    h1_count,
    horizontal_overflow,
    overflowing_elements,
    screenshot,
)
from tests.browser.conftest import VIEWPORTS

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def three_months(person) -> None:
    today = timezone.localdate()
    onset = today - timedelta(days=89)
    episode = Episode.objects.create(owner=person, onset_date=onset)
    entries = []
    for n in range(90):
        on = onset + timedelta(days=n)
        entries.append(
            PainEntry(
                owner=person,
                episode=episode,
                # 9:00 each day, or now for today before 9:00 (never in the future: an
                # import refuses that).
                recorded_at=min(datetime.combine(on, time(9), tzinfo=UTC), timezone.now()),
                local_date=on,
                pain=max(1, 8 - n // 12),
                locations=["lower_back_centre"],
                triggers=["posture", "lifting"] if n % 3 == 0 else ["posture"],
                reliefs=["heat", "stretching"] if n % 2 == 0 else ["rest"],
                leg_symptoms="one" if n in (10, 11) else "none",
                bladder_bowel=True if n == 20 else None,
                after_fall=n == 0,
                note=(
                    f"Day {n}: stiff in the morning, easier after a walk and a warm shower. "
                    "Sitting at work for long stretches makes it worse."
                )
                if n % 4 == 0
                else "",
            )
        )
    PainEntry.objects.bulk_create(entries)
    FlagAcknowledgement.objects.create(
        owner=person, episode=episode, code="leg_one", seen_at=timezone.now()
    )
    routines = [Routine.objects.create(owner=person, name=name) for name in ("Morning", "Desk")]
    Practice.objects.bulk_create(
        [
            Practice(
                owner=person,
                routine=routines[n % 2],
                routine_name=routines[n % 2].name,
                started_at=timezone.now() - timedelta(days=n * 2, hours=1),
                pain_before=6,
                pain_after=3 if n % 2 == 0 else 5,
                steps_completed=4,
                steps_total=4,
            )
            for n in range(45)
        ]
    )


def pdf_pages(pdf: bytes) -> int:
    return len(PAGE_OBJECT.findall(pdf))


@pytest.fixture
def three_month_person(person):
    three_months(person)
    return person


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_summary_prints_to_one_or_two_pages_without_navigation(new_page, three_month_person, paper):
    page = new_page("desktop", user=three_month_person)
    response = page.goto("/symptoms/report/")
    assert response.status == 200
    # The chart's accessible name comes from its <title>.
    assert page.get_by_role("img", name=re.compile(r"^Worst pain each day")).count() == 1
    assert page.get_by_text("Loss of bladder or bowel control").count() >= 1
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".report-controls").is_visible()
    assert page.locator(".pain-chart__svg").is_visible()
    screenshot(page, f"report-print-{paper}")
    pdf = page.pdf(format=paper, print_background=False)
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert 1 <= pages <= 2, f"{paper}: {pages} pages"


@pytest.mark.parametrize(
    "path",
    ["/symptoms/progress/", "/symptoms/progress/?days=90", "/symptoms/report/", "/accounts/export/"]
    + ["/accounts/import/"],
)
@pytest.mark.parametrize("viewport", ["phone", "desktop", "zoom400"])
def test_pages_are_accessible_and_fit(new_page, three_month_person, path, viewport):
    page = new_page(viewport, user=three_month_person)
    response = page.goto(path)
    assert response.status == 200
    assert h1_count(page) == 1
    width = VIEWPORTS[viewport]["width"]
    assert not horizontal_overflow(page, width), overflowing_elements(page, width)
    if viewport != "zoom400":
        name = path.strip("/").replace("/", "-").replace("?", "-")
        screenshot(page, f"{name}-{viewport}")
        assert_axe_clean(page, f"{path} {viewport}")


def test_progress_works_without_javascript(new_page, three_month_person):
    page = new_page("phone", js=False, user=three_month_person)
    page.goto("/symptoms/progress/")
    assert page.locator("circle.pain-point").count() == 30
    page.get_by_label("14 days").check()
    page.get_by_role("button", name="Show").click()
    # The new page may still be loading when the address has changed: wait for it.
    expect(page).to_have_url(re.compile(r"[?&]days=14\b"))
    expect(page.locator("circle.pain-point")).to_have_count(14)
    expect(page.get_by_text("You logged your pain on 14 of the last 14 days.")).to_be_visible()
