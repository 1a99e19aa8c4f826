"""Export in the browser, import the downloaded file into a fresh account, nothing lost."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from routines.models import Practice
from symptoms.models import Episode, PainEntry
from tests.browser.conftest import make_person
from tests.browser.test_report_print import three_months


def counts(user) -> tuple[int, int, int]:
    return (
        Episode.objects.filter(owner=user).count(),
        PainEntry.objects.filter(owner=user).count(),
        Practice.objects.filter(owner=user).count(),
    )


def without_volatile(data: dict) -> dict:
    data = dict(data)
    data.pop("exported_at")
    return data


def test_export_then_import_into_a_fresh_account(new_page, person, tmp_path):
    three_months(person)
    page = new_page("desktop", user=person)
    page.goto("/accounts/export/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download all my data (JSON)").click()
    download = info.value
    assert download.suggested_filename.startswith("spasmcare-data-")
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    for name in ("Download pain entries (CSV)", "Download practices (CSV)"):
        with page.expect_download() as csv_info:
            page.get_by_role("link", name=name).click()
        assert csv_info.value.suggested_filename.endswith(".csv")

    fresh = make_person("fresh")
    page = new_page("phone", js=False, user=fresh)
    page.goto("/accounts/import/")
    page.get_by_label("SpasmCare export file (.json)").set_input_files(str(exported))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Import finished. Added:")).to_be_visible()
    assert counts(fresh) == counts(person) == (1, 90, 45)

    # The same file again adds nothing.
    page.get_by_label("SpasmCare export file (.json)").set_input_files(str(exported))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Everything in this file was already here")).to_be_visible()
    assert counts(fresh) == (1, 90, 45)

    # And the fresh account's own export holds the same data.
    from transfer.export import export_data

    first = json.loads(exported.read_text(encoding="utf-8"))
    again = export_data(get_user_model().objects.get(username="fresh"))
    assert without_volatile(again) == without_volatile(first)


def test_a_bad_file_shows_the_problem_next_to_the_field(new_page, person, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"format": "spasmcare-export", "format_version": 99}', encoding="utf-8")
    page = new_page("phone", user=person)
    page.goto("/accounts/import/")
    page.get_by_label("SpasmCare export file (.json)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    error = page.locator(".invalid-feedback")
    expect(error).to_contain_text("format version 99")
    assert "Nothing was changed" in error.inner_text()
    assert counts(person) == (0, 0, 0)


def test_a_file_over_5_mb_is_refused_before_it_is_sent(new_page, person, tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    page = new_page("phone", user=person)
    page.goto("/accounts/import/")
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)
    page.get_by_label("SpasmCare export file (.json)").set_input_files(str(big))
    page.get_by_role("button", name="Import").click()
    alert = page.get_by_role("alert").filter(has_text="larger than 5 MB")
    expect(alert).to_be_visible()
    assert "Nothing was sent." in alert.inner_text()
    assert posts == []
    field = page.get_by_label("SpasmCare export file (.json)")
    assert field.get_attribute("aria-invalid") == "true"
    assert counts(person) == (0, 0, 0)


def test_without_javascript_the_server_says_the_same_with_413(new_page, person, tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    page = new_page("phone", js=False, user=person)
    page.goto("/accounts/import/")
    page.get_by_label("SpasmCare export file (.json)").set_input_files(str(big))
    with page.expect_response("**/accounts/import/") as info:
        page.get_by_role("button", name="Import").click()
    assert info.value.status == 413
    error = page.locator(".invalid-feedback")
    assert "larger than 5 MB" in error.inner_text()
    assert "Nothing was changed" in error.inner_text()
