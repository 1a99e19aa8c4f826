"""Share links in the browser: make one from the summary without JavaScript, open it
signed out on a phone (360 px) and a desktop (1280 px), download the PDF and the FHIR
file, switch it off, and see the link refused. Every page is checked like all others
(axe-core, Nu Html Checker, console errors: see conftest.py and checks.py)."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import expect

from sharing import services
from tests.browser import data
from tests.browser.checks import inspect_page, text_stress_failures
from tests.browser.conftest import VIEWPORTS


def make_link_in_the_browser(page) -> str:
    page.goto("/symptoms/report/")
    page.get_by_role("link", name="Share this summary with a doctor through a private link").click()
    assert page.url.endswith("/symptoms/report/share/")
    page.get_by_label("The link works for (days)").fill("3")
    page.get_by_label("Name to show on the summary (optional)").fill("Sam")
    page.get_by_label("Also offer the data as a FHIR file", exact=False).check()
    page.get_by_role("button", name="Make the link").click()
    field = page.get_by_label("Link to your summary")
    url = field.input_value()
    assert "/s/" in url
    return url


def test_share_open_signed_out_download_and_switch_off(new_page, person, tmp_path):
    data.make_share_link(person)  # entries, a warning sign, a practice (and one old link)
    owner = new_page("desktop", js=False, user=person)
    url = make_link_in_the_browser(owner)
    # Without JavaScript the copy button stays hidden; the link can be selected.
    assert not owner.get_by_role("button", name="Copy link").is_visible()
    failures = []

    for viewport in ("phone", "desktop"):
        visitor = new_page(viewport)  # signed out
        response = visitor.goto(url)
        assert response.status == 200
        assert response.headers["x-robots-tag"].startswith("noindex")
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "private, no-store"
        assert visitor.viewport_size == VIEWPORTS[viewport]
        assert visitor.locator('meta[name="robots"]').get_attribute("content").startswith("noindex")
        assert "Shared by Sam" in visitor.locator("main").inner_text()
        assert visitor.get_by_text("Numbness, tingling or weakness in one leg").count() >= 1
        text = visitor.content()
        assert person.username not in text and person.email not in text
        failures += inspect_page(visitor, f"shared-summary {viewport}")
        if viewport == "phone":
            failures += text_stress_failures(visitor, f"shared-summary {viewport}")

    # Downloads from the shared page (the desktop one).
    with visitor.expect_download() as pdf:
        visitor.get_by_role("link", name="Download PDF, A4 paper").click()
    assert pdf.value.suggested_filename.startswith("spasmcare-summary-")
    with visitor.expect_download() as fhir_file:
        visitor.get_by_role(
            "link", name="Download for a health record system (FHIR R4, JSON)"
        ).click()
    saved = tmp_path / fhir_file.value.suggested_filename
    fhir_file.value.save_as(saved)
    bundle = Bundle.model_validate_json(saved.read_bytes())
    assert bundle.type == "collection"
    assert json.loads(saved.read_text())["entry"][0]["resource"]["name"] == [{"text": "Sam"}]
    link = services.find_link(url.rstrip("/").rsplit("/", 1)[-1])
    assert link.open_count == 2  # the phone and the desktop; downloads were part of a visit
    assert list(link.openings.order_by("opened_at").values_list("kind", flat=True)) == [
        "page",
        "page",
        "pdf",
        "fhir",
    ]

    # The person sees the openings and switches the link off.
    owner.reload()
    owner.get_by_text("When it was opened", exact=False).first.click()
    assert owner.get_by_text("opened the summary, Chrome on", exact=False).count() == 2
    owner.get_by_role("button", name="Switch off this link", exact=False).first.click()
    # A form post and a new page: wait for it rather than read the old one.
    expect(owner.get_by_text("The link is switched off.")).to_be_visible()
    expect(owner.get_by_text("(Switched off)")).to_have_count(1)
    checked = new_page("desktop", user=person)  # axe needs JavaScript
    checked.goto("/symptoms/report/share/")
    failures += inspect_page(checked, "share-links-switched-off")

    # At once, the link is refused: at 360 px and 1280 px.
    for viewport in ("phone", "desktop"):
        visitor = new_page(viewport)
        response = visitor.goto(url)
        assert response.status == 404
        assert visitor.get_by_role("heading", name="This link is not available").is_visible()
        assert "Back pain summary" not in visitor.content()
        failures += inspect_page(visitor, f"shared-summary-switched-off {viewport}")
    assert not failures, "\n".join(failures)


def test_copy_button_with_javascript(new_page, person):
    page = new_page("desktop", user=person)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    data.make_entry(person, pain=4, **data.NO_SIGNS)
    make_link_in_the_browser(page)
    button = page.get_by_role("button", name="Copy link")
    assert button.is_visible()
    failures = inspect_page(page, "share-links-new-link")
    button.click()
    status = page.locator("[data-copy-status]")
    status.filter(has_text="Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("Link to your summary").input_value()
    assert not failures, "\n".join(failures)


def test_fhir_download_from_the_export_page(new_page, person, tmp_path):
    data.make_flagged_entry(person, "immediate")
    page = new_page("phone", js=False, user=person)
    page.goto("/accounts/export/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download for a health record system (FHIR, JSON)").click()
    assert info.value.suggested_filename.startswith("spasmcare-fhir-")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    bundle = Bundle.model_validate_json(saved.read_bytes())
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds.count("Patient") == 1 and kinds.count("Observation") == 2  # entry + sign
