"""Progress page: findings' numbers, the SVG chart, period choice, own data only."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from progress import insights
from progress.chart import build_chart
from tests.routine_factories import make_practice, make_routine
from tests.symptom_factories import make_entry, make_episode, make_user

pytestmark = pytest.mark.django_db

URL = "/symptoms/progress/"


def test_url_name():
    assert reverse("progress:progress") == URL


# ------------------------------------------------------------------ pure findings


def test_practice_effects_averages_and_meaningful_drops():
    overall, per_routine = insights.practice_effects(
        [
            insights.PracticeGroup("Evening", played=2, rated=1, change_total=0, meaningful=0),
            insights.PracticeGroup("Morning", played=2, rated=2, change_total=-4, meaningful=1),
        ]
    )
    assert (overall.played, overall.rated, overall.meaningful) == (4, 3, 1)
    assert overall.average_change == pytest.approx(-4 / 3)
    assert overall.meaningful_percent == 33
    assert not overall.is_meaningful  # -1.33 is less than a 2-point drop
    assert [e.name for e in per_routine] == ["Evening", "Morning"]  # same plays: by name
    morning = per_routine[1]
    assert morning.average_change == -2.0 and morning.is_meaningful
    assert morning.change_words == "fell by 2 points on average"


def test_practices_are_grouped_per_routine_and_only_rated_ones_count_a_change():
    groups = insights.practice_groups(
        [
            ("Morning", 6, 4),  # fell by 2: meaningful
            ("Morning", 5, 4),  # fell by 1: not
            ("Morning", 5, None),  # not rated after: played, not rated
            ("Evening", 3, 5),  # rose by 2
        ]
    )
    by_name = {g.name: g for g in groups}
    assert by_name["Morning"] == insights.PracticeGroup(
        "Morning", played=3, rated=2, change_total=-3, meaningful=1
    )
    assert by_name["Evening"] == insights.PracticeGroup(
        "Evening", played=1, rated=1, change_total=2, meaningful=0
    )
    assert insights.practice_groups([]) == []


def test_worst_pain_per_day_keeps_the_highest_score_of_each_date():
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    rows = [(monday, 3), (tuesday, 0), (monday, 7), (monday, 5)]
    assert insights.worst_per_day(rows) == {monday: 7, tuesday: 0}
    assert insights.worst_per_day([]) == {}


def test_sessions_are_counted_on_the_local_date_of_the_persons_zone():
    late_utc = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 3 March in Berlin
    early_utc = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    counted = insights.sessions_per_day([late_utc, early_utc], ZoneInfo("Europe/Berlin"))
    assert counted == {date(2026, 3, 2): 1, date(2026, 3, 3): 1}
    counted = insights.sessions_per_day([late_utc, early_utc], ZoneInfo("America/New_York"))
    assert counted == {date(2026, 3, 2): 2}


def test_no_rated_practices_has_no_average():
    overall, _ = insights.practice_effects(
        [insights.PracticeGroup("A", played=3, rated=0, change_total=0, meaningful=0)]
    )
    assert overall.average_change is None
    assert overall.meaningful_percent is None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (-1.0, "fell by 1 point on average"),
        (-1.25, "fell by 1.2 points on average"),
        (0.5, "rose by 0.5 points on average"),
        (0.01, "stayed the same on average"),
        (None, "no pain score after"),
    ],
)
def test_change_words(change, words):
    assert insights.change_words(change) == words


def test_top_counts_rank_by_count_then_list_order_and_count_each_entry_once():
    counts = insights.trigger_counts(
        [["posture", "lifting"], ["lifting", "lifting"], ["twist"], [], ["posture"]], entries=5
    )
    assert [(c.code, c.count, c.percent) for c in counts] == [
        ("lifting", 2, 40),
        ("posture", 2, 40),
        ("twist", 1, 20),
    ]


def test_where_it_hurt_is_a_finding_with_the_body_map_regions_and_old_choices():
    counts = insights.location_counts(
        [["lower_back_left", "buttock_left"], ["lower_back_left"], ["leg"]], entries=3
    )
    assert [(c.label, c.count) for c in counts] == [
        ("Lower back, left side", 2),
        ("Left buttock", 1),
        ("Down a leg (where not noted)", 1),
    ]
    overall, per_routine = insights.practice_effects([])
    found = insights.findings(
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
        daily={date(2026, 11, 2): 4},
        entries=3,
        overall=overall,
        per_routine=per_routine,
        triggers=[],
        reliefs=[],
        locations=counts,
    )
    where = next(f for f in found if f.heading == "Where it hurt")
    assert where.text.startswith("The places you marked most often: lower back, left side (2)")
    assert "Left buttock: 1 of 3 entries (33%)" in where.numbers


# ------------------------------------------------------------------ chart


def test_the_chart_table_counts_its_days_and_says_when_there_is_nothing():
    start = date(2026, 11, 1)
    one = build_chart(start=start, end=start + timedelta(days=6), daily={start: 4}, sessions={})
    html = one.render(table="details")
    assert "<summary>The numbers behind the chart (1 day)</summary>" in html
    assert html.count('<tr><th scope="row">') == 1 and "</details>" in html
    nothing = build_chart(start=start, end=start + timedelta(days=6), daily={}, sessions={})
    assert "(0 days)" in nothing.render(table="details")
    assert "Nothing logged in this period." in nothing.render(table="open")
    assert "<table" not in nothing.render(table="none")
    # Every other date label is minor (hidden on narrow screens), starting with the second.
    labels = re.findall(r'<text x="[\d.]+" y="\d+"( class="pain-chart__x-minor")?>', html)
    assert labels[:3] == ["", ' class="pain-chart__x-minor"', ""]
    # The pain labels sit just left of the plot.
    assert re.search(rf'<text x="{one.left - 8}" y="[\d.]+" dy="5">10</text>', html)


def test_chart_has_one_point_per_day_with_data_and_an_accessible_name():
    start = date(2026, 11, 1)
    chart = build_chart(
        start=start,
        end=start + timedelta(days=13),
        daily={start: 7, start + timedelta(days=1): 5, start + timedelta(days=5): 3},
        sessions={start + timedelta(days=1): 2, start + timedelta(days=20): 1},
        onset=start + timedelta(days=1),
    )
    svg = chart.render(table="open")
    assert svg.count('class="pain-point"') == 3
    assert svg.count('class="session-marker"') == 1  # the session outside the period is left out
    assert re.search(
        r'<svg[^>]*role="img"[^>]*aria-labelledby="pain-chart-title pain-chart-desc"', svg
    )
    assert (
        '<title id="pain-chart-title">Worst pain each day, 1 November 2026 to 14 November 2026'
        "</title>" in svg
    )
    assert "3 of 14 days have a pain score" in svg
    assert "Highest 7 on 1 November 2026" in svg
    assert "marked with a dashed line" in svg
    assert "Onset</text>" in svg
    # A gap in the days breaks the line: two segments.
    assert chart.line.count("M") == 2 and chart.line.count("L") == 1
    assert "style=" not in svg  # CSP: presentation attributes only
    # The same numbers in a table: three days with a score.
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>(\d+|<span[^<]*</span>)</td><td>(\d+)</td></tr>', svg
    )
    assert [(d, p, s) for d, p, s in rows] == [
        ("1 Nov 2026", "7", "0"),
        ("2 Nov 2026", "5", "2"),
        ("6 Nov 2026", "3", "0"),
    ]


def test_chart_points_are_placed_by_pain_and_day():
    start = date(2026, 11, 1)
    chart = build_chart(
        start=start,
        end=start + timedelta(days=1),
        daily={start: 10, start + timedelta(days=1): 0},
        sessions={},
    )
    high, low = chart.points
    assert high.y < low.y  # 10 is drawn above 0
    assert high.x < low.x
    assert chart.onset_x is None
    assert "No sessions were played" in chart.desc


def test_chart_mentions_an_onset_before_the_period_without_drawing_it():
    start = date(2026, 11, 1)
    chart = build_chart(
        start=start, end=start + timedelta(days=13), daily={}, sessions={}, onset=date(2026, 10, 1)
    )
    assert chart.onset_x is None
    assert "started before this period, on 1 October 2026" in chart.desc
    assert "Nothing logged in this period" in chart.render()


# ------------------------------------------------------------------ the page


def hand_made_data(user):
    """Four days logged in the last 30; two sessions, four practices."""
    today = timezone.localdate()
    episode = make_episode(owner=user, onset=today - timedelta(days=10))
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    make_entry(episode=episode, on=day(9), hour=8, pain=7, triggers=["lifting"], reliefs=["heat"])
    make_entry(episode=episode, on=day(9), hour=18, pain=5, triggers=[], reliefs=["rest"])
    make_entry(
        episode=episode,
        on=day(8),
        pain=6,
        triggers=["lifting", "posture"],
        reliefs=["heat", "rest"],
    )
    make_entry(episode=episode, on=day(5), pain=4, triggers=["posture"], reliefs=["stretching"])
    make_entry(episode=episode, on=day(0), hour=0, pain=3, triggers=["lifting"], reliefs=["heat"])
    morning = make_routine(owner=user, name="Morning")
    evening = make_routine(owner=user, name="Evening")
    make_practice(owner=user, routine=morning, days_ago=9, pain_before=7, pain_after=4)
    make_practice(owner=user, routine=morning, days_ago=8, pain_before=6, pain_after=5)
    make_practice(owner=user, routine=evening, days_ago=5, pain_before=5, pain_after=5)
    make_practice(owner=user, routine=evening, days_ago=5, pain_before=5, pain_after=None)
    return episode


def test_progress_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_progress_shows_the_findings_numbers(client):
    user = make_user()
    episode = hand_made_data(user)
    client.force_login(user)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "You logged your pain on 4 of the last 30 days." in html
    assert "5 entries in total" in html
    assert (
        "Across 3 sessions with a pain score before and after, your pain fell by 1.3 points" in html
    )
    assert "1 of 3 sessions (33%) brought pain down by 2 points or more" in html
    assert "4 sessions played in total" in html
    assert "“Morning” helped most: after it your pain fell by 2 points on average" in html
    assert "Evening: stayed the same on average, 0 of 1 meaningful" in html
    # Triggers: lifting in 3 of 5 entries, posture in 2; reliefs: heat 3, rest 2, stretching 1.
    assert "Heavy lifting or repeated bending: 3 of 5 entries (60%)" in html
    assert "Posture (sitting or standing): 2 of 5 entries (40%)" in html
    assert "Heat: 3 of 5 entries (60%)" in html
    assert "Rest: 2 of 5 entries (40%)" in html
    # The chart: four days with a score, three days with a session, the onset marked.
    assert html.count('class="pain-point"') == 4
    assert html.count('class="session-marker"') == 3
    assert "Onset</text>" in html
    assert f"episode started on {episode.onset_date.day} " in html
    # The worst of the two entries on one day is the one charted.
    day9 = timezone.localdate() - timedelta(days=9)
    assert f"{day9.day} {day9:%B %Y}: worst pain 7 out of 10" in html


def test_progress_period_choice(client):
    user = make_user()
    hand_made_data(user)
    client.force_login(user)
    html = client.get(URL, {"days": 14}).content.decode()
    assert "You logged your pain on 4 of the last 14 days." in html
    assert 'value="14" checked' in html
    html = client.get(URL, {"days": 90}).content.decode()
    assert "of the last 90 days" in html


@pytest.mark.parametrize("bad", ["7", "abc", ""])
def test_progress_bad_period_is_a_400_with_a_field_error(client, bad):
    user = make_user()
    client.force_login(user)
    response = client.get(URL, {"days": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose 14, 30 or 90 days" in html
    assert "of the last 30 days" in html


def test_progress_wrong_method(client):
    client.force_login(make_user())
    assert client.post(URL).status_code == 405


def test_progress_empty_log(client):
    client.force_login(make_user())
    html = client.get(URL).content.decode()
    assert "You logged your pain on 0 of the last 30 days." in html
    assert "No sessions were played in this period" in html
    assert 'class="pain-point"' not in html
    assert reverse("symptoms:entry_create") in html


def test_progress_never_shows_another_persons_data(client):
    other = make_user()
    hand_made_data(other)
    make_practice(owner=other, routine=make_routine(owner=other, name="Bob secret"), pain_after=1)
    me = make_user()
    client.force_login(me)
    html = client.get(URL).content.decode()
    assert "0 of the last 30 days" in html
    assert 'class="pain-point"' not in html
    assert 'class="session-marker"' not in html
    assert "Bob secret" not in html and "Morning" not in html


def test_progress_queries_do_not_grow_with_data(client):
    user = make_user()
    hand_made_data(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"days": 90}).status_code == 200
    episode = user.episodes.get()
    for n in range(60):
        make_entry(
            episode=episode, on=timezone.localdate() - timedelta(days=n), hour=12, pain=n % 10
        )
        make_practice(
            owner=user, routine=None, routine_name=f"Old {n % 7}", days_ago=n, pain_after=2
        )
    with CaptureQueriesContext(connection) as big:
        assert client.get(URL, {"days": 90}).status_code == 200
    assert len(big) == len(small)
    assert len(big) <= 12


@pytest.mark.slow
def test_three_years_and_500_practices_keep_queries_fixed_and_export_small(client):
    """The scaling claim in the notes: page queries do not grow, the export stays small."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from transfer import export, uploads

    small = make_user()
    hand_made_data(small)
    client.force_login(small)
    urls = [URL + "?days=90", reverse("progress:report")]
    baseline = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        baseline[url] = len(queries)

    call_command("generate_demo_data", username="three-years", days=1095, practices=500)
    person = get_user_model().objects.get(username="three-years")
    assert person.pain_entries.count() == 1095 and person.practices.count() == 500
    client.force_login(person)
    today = timezone.localdate()
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= baseline[url] + 1  # +1: no open-episode shortcut
    three_years = {"start": (today - timedelta(days=1094)).isoformat(), "end": today.isoformat()}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("progress:report"), three_years)
    assert response.status_code == 200
    assert len(queries) <= 16
    size = len(export.export_json(person))
    assert size < uploads.MAX_IMPORT_BYTES / 4


def _effect_findings(groups):
    overall, per_routine = insights.practice_effects(groups)
    return insights.findings(
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
        daily={},
        entries=0,
        overall=overall,
        per_routine=per_routine,
        triggers=[],
        reliefs=[],
        locations=[],
    )


def test_rising_pain_after_sessions_points_to_care_and_names_no_best_session():
    found = _effect_findings(
        [
            insights.PracticeGroup("A", played=2, rated=2, change_total=2, meaningful=0),
            insights.PracticeGroup("B", played=1, rated=1, change_total=1, meaningful=0),
        ]
    )
    text = " ".join(f.text for f in found)
    assert "rose by 1 point on average" in text
    assert "stop and ask a doctor or physiotherapist" in text
    assert "helped most" not in text


def test_the_session_that_helped_most_is_the_biggest_drop():
    found = _effect_findings(
        [
            insights.PracticeGroup("A", played=2, rated=2, change_total=-2, meaningful=0),
            insights.PracticeGroup("B", played=3, rated=3, change_total=-9, meaningful=3),
        ]
    )
    best = next(f for f in found if f.heading == "Which session helped most")
    assert best.text.startswith("“B” helped most: after it your pain fell by 3 points")
    assert "B: fell by 3 points on average, 3 of 3 meaningful" in best.numbers
