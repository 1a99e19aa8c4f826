"""Summary for a doctor: episode or date range, every warning sign, own data only."""

import re
import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from progress import report_pdf
from safety.rules import RULES
from symptoms.models import FlagAcknowledgement
from tests.routine_factories import make_practice, make_routine
from tests.symptom_factories import make_daily_entries, make_entry, make_episode, make_user

pytestmark = pytest.mark.django_db

URL = "/symptoms/report/"


def day(n: int):
    return timezone.localdate() - timedelta(days=n)


def long_day(d) -> str:
    return f"{d.day} {d:%b %Y}"


def episode_with_signs(user):
    """An open episode 30 days old in which every kind of warning sign was reported."""
    episode = make_episode(owner=user, onset=day(30))
    make_entry(episode=episode, on=day(30), pain=8, after_fall=True, note="Slipped on ice")
    make_entry(episode=episode, on=day(25), pain=6, leg_symptoms="one", triggers=["lifting"])
    make_entry(episode=episode, on=day(20), pain=5, saddle_numbness=True, reliefs=["heat"])
    make_entry(episode=episode, on=day(12), pain=4, bladder_bowel=True, reliefs=["heat", "ice"])
    make_entry(episode=episode, on=day(10), pain=5, fever_or_weight_loss=True)
    make_entry(episode=episode, on=day(8), pain=3, leg_symptoms="both", note="Both legs tingle")
    make_entry(episode=episode, on=day(1), pain=2, leg_symptoms="none", note="Much better")
    FlagAcknowledgement.objects.create(
        owner=user, episode=episode, code="fall_severe_pain", seen_at=timezone.now()
    )
    routine = make_routine(owner=user, name="Gentle evening")
    make_practice(owner=user, routine=routine, days_ago=3, pain_before=6, pain_after=3)
    make_practice(owner=user, routine=routine, days_ago=2, pain_before=4, pain_after=4)
    return episode


def test_url_name():
    assert reverse("progress:report") == URL


def test_report_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_report_wrong_method(client):
    client.force_login(make_user())
    assert client.post(URL).status_code == 405


def test_report_holds_every_reported_warning_sign_with_dates_and_seen_status(client):
    user = make_user()
    episode = episode_with_signs(user)
    client.force_login(user)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    html = page[page.index('<main id="main"') :]  # the banner above it names a sign too
    expected = {
        RULES["fall_severe_pain"].title: day(30),
        RULES["saddle_numbness"].title: day(20),
        RULES["bladder_bowel"].title: day(12),
        RULES["fever_weight_loss"].title: day(10),
        RULES["legs_both"].title: day(8),
        RULES["pain_over_two_weeks"].title: day(12),  # first entry with pain after day 14
    }
    for title, first in expected.items():
        assert title in html, title
        row = html[html.index(title) :].split("</tr>")[0]
        assert long_day(first) in row, (title, row)
    # One leg is covered by the more urgent "both legs" flag.
    assert RULES["leg_one"].title not in html
    fall_row = html[html.index("Severe pain after a fall") :].split("</tr>")[0]
    assert "Yes, noted" in fall_row
    bladder_row = html[html.index(RULES["bladder_bowel"].title) :].split("</tr>")[0]
    assert "Not yet" in bladder_row and "Immediate" in bladder_row
    # The facts, the sessions and the notes.
    assert f"{episode.onset_date:%-d %B %Y}; 30 days ago" in html
    assert "2 out of 10" in html  # pain now
    assert "8 out of 10" in html and f"on {long_day(day(30))}" in html  # worst
    assert "4.7 out of 10" in html and "over 7 entries" in html  # average 33/7
    assert "Gentle evening" in html
    assert "fell by 1.5 points on average" in html
    for note in ("Slipped on ice", "Both legs tingle", "Much better"):
        assert note in html
    assert "Heavy lifting or repeated bending: 1 of 7 entries" in html
    assert "Heat: 2 of 7 entries" in html
    assert html.count('class="pain-point"') == 7
    assert "report-print.css" in page


def test_a_resolved_episode_still_lists_its_warning_signs(client):
    user = make_user()
    old = make_episode(owner=user, onset=day(100), resolved_on=day(80))
    make_entry(episode=old, on=day(95), pain=5, bladder_bowel=True)
    client.force_login(user)
    html = client.get(URL, {"episode": old.pk}).content.decode()
    assert "Loss of bladder or bowel control" in html
    assert long_day(day(95)) in html
    assert "resolved" in html
    assert "Last pain score" in html and "Pain now" not in html


def test_default_is_the_open_episode_then_the_latest(client):
    user = make_user()
    old = make_episode(owner=user, onset=day(200), resolved_on=day(190))
    make_entry(episode=old, on=day(199), pain=9, note="Old episode note")
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Old episode note" in html  # no open episode: the latest
    current = make_episode(owner=user, onset=day(5))
    make_entry(episode=current, on=day(4), pain=3, note="Current note")
    html = client.get(URL).content.decode()
    assert "Current note" in html and "Old episode note" not in html
    html = client.get(URL, {"episode": old.pk}).content.decode()
    assert "Old episode note" in html and "Current note" not in html


def test_date_range_report(client):
    user = make_user()
    episode = make_episode(owner=user, onset=day(60))
    make_entry(episode=episode, on=day(50), pain=6, note="Inside the range")
    make_entry(episode=episode, on=day(5), pain=2, note="Outside the range")
    client.force_login(user)
    html = client.get(
        URL, {"start": day(55).isoformat(), "end": day(40).isoformat()}
    ).content.decode()
    assert "Inside the range" in html and "Outside the range" not in html
    assert "1 of 16 days" in html


@pytest.mark.parametrize(
    ("params", "field_error"),
    [
        ({"start": "2026-01-10"}, "Enter the last day of the range."),
        ({"end": "2026-01-10"}, "Enter the first day of the range."),
        ({"start": "2026-01-10", "end": "2026-01-01"}, "on or after the first day"),
        ({"start": "yesterday", "end": "2026-01-01"}, "Enter a valid date"),
        ({"start": "2000-01-01", "end": "2026-01-01"}, "at most five years"),
        ({"episode": "abc"}, "Select a valid choice"),
    ],
)
def test_bad_report_choices_are_a_400_with_a_field_error(client, params, field_error):
    client.force_login(make_user())
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error in html
    assert "invalid-feedback" in html


def test_future_end_is_refused(client):
    client.force_login(make_user())
    tomorrow = timezone.localdate() + timedelta(days=2)
    response = client.get(URL, {"start": day(3).isoformat(), "end": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


def test_another_persons_episode_cannot_be_chosen_and_their_data_never_shows(client):
    other = make_user()
    theirs = episode_with_signs(other)
    make_entry(episode=theirs, on=day(0), pain=9, note="Their private note")
    me = make_user()
    mine = make_episode(owner=me, onset=day(3))
    make_entry(episode=mine, on=day(2), pain=1, note="My note")
    client.force_login(me)
    response = client.get(URL, {"episode": theirs.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    for text in ("Their private note", "Slipped on ice", "Gentle evening", "Loss of bladder"):
        assert text not in html
    html = client.get(URL).content.decode()
    assert "My note" in html
    assert "Their private note" not in html and "Loss of bladder" not in html
    html = client.get(URL, {"start": day(40).isoformat(), "end": day(0).isoformat()}).content
    assert b"Their private note" not in html and b"Gentle evening" not in html


def test_report_without_any_data(client):
    client.force_login(make_user())
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No warning signs were reported in this period." in html
    assert "No stretch sessions were played in this period." in html


def test_long_episode_chart_shows_the_last_90_days_and_notes_are_capped(client):
    user = make_user()
    episode = make_episode(owner=user, onset=day(399))
    make_daily_entries(episode=episode, days=400)
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "(last 90 days)" in html
    assert html.count('class="pain-point"') == 90
    assert "The latest 8 of 400 notes." in html
    assert "Numbness, tingling or weakness in one leg" in html  # day 40 of 400


def test_report_queries_do_not_grow_with_data(client):
    user = make_user()
    episode = episode_with_signs(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    for n in range(40):
        make_entry(episode=episode, on=day(n % 30), hour=13, pain=n % 10, note=f"n{n}")
        make_practice(owner=user, routine=None, routine_name=f"Old {n % 5}", days_ago=n % 30)
    with CaptureQueriesContext(connection) as big:
        assert client.get(URL).status_code == 200
    assert len(big) == len(small)
    # +3: the warning banner on every signed-in page (one query; two more to check the
    # open episode when it reports a sign, as this one does).
    assert len(big) <= 19


def pdf_streams(pdf: bytes) -> list[bytes]:
    """A PDF's compressed streams, opened. A stream whose data ends in a CR byte loses it
    to the pattern's line end, so each is opened as far as it goes (a decompressor
    object: zlib.decompress refuses a truncated stream)."""
    return [
        _opened(blob)
        for blob in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
        if blob.startswith(b"x")  # a zlib header
    ]


def _opened(blob: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(blob)
    except zlib.error:  # not zlib data after all (an image, say)
        return b""


def pdf_page_count(pdf: bytes) -> int:
    """Pages in a PDF, looking inside compressed object streams too."""
    body = pdf + b"".join(pdf_streams(pdf))
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", body))


needs_weasyprint = pytest.mark.skipif(not report_pdf.available(), reason="WeasyPrint not usable")


@needs_weasyprint
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_download_is_one_or_two_pages(client, paper):
    user = make_user()
    episode_with_signs(user)
    three_months = make_episode(owner=user, onset=day(200), resolved_on=day(110))
    make_daily_entries(episode=three_months, days=91)
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Download PDF, A4 paper" in html and "paper=letter" in html
    for params in ({"paper": paper}, {"paper": paper, "episode": three_months.pk}):
        response = client.get(reverse("progress:report_pdf"), params)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith(
            'attachment; filename="spasmcare-summary-'
        )
        assert response.content.startswith(b"%PDF")
        assert 1 <= pdf_page_count(response.content) <= 2


def pdf_drawing(pdf: bytes) -> bytes:
    """The PDF's drawing operators, compressed streams opened."""
    return b"".join(pdf_streams(pdf))


# The logo's warm glow (#ffa447) as a PDF fill colour; its dark-theme blue (#9fcbe8).
LOGO_GLOW = b"1 0.643137 0.278431 rg"
LOGO_DARK = b"0.623529 0.796078 0.909804 rg"


@needs_weasyprint
def test_pdf_has_the_logo_in_its_light_colours(client):
    user = make_user()
    episode_with_signs(user)
    client.force_login(user)
    assert '<img class="report__logo" src="/static/img/logo.svg" alt="SpasmCare"' in (
        client.get(URL).content.decode()
    )
    drawing = pdf_drawing(client.get(reverse("progress:report_pdf"), {"paper": "a4"}).content)
    assert LOGO_GLOW in drawing
    assert LOGO_DARK not in drawing


@needs_weasyprint
def test_pdf_refuses_bad_choices_and_other_peoples_episodes(client):
    other = make_user()
    theirs = episode_with_signs(other)
    client.force_login(make_user())
    response = client.get(reverse("progress:report_pdf"), {"paper": "a0"})
    assert response.status_code == 400
    assert "Choose A4 or US Letter paper." in response.content.decode()
    response = client.get(reverse("progress:report_pdf"), {"episode": theirs.pk})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Slipped on ice" not in response.content.decode()


def test_pdf_needs_login(client):
    response = client.get(reverse("progress:report_pdf"))
    assert response.status_code == 302
