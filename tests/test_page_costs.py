"""Signed-in pages do a fixed amount of database work, however much a person has logged.

The pages are rendered on every request (no per-person cache), so the log, progress and
the practice history must not grow with years of entries, hundreds of practices or one
long open episode. Compared here: a person with a month of entries and 20 practices, and
one with three years of daily entries and 500 practices, all in one open episode.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safety.pain import SEVERE_PAIN
from symptoms import episode_flags
from symptoms.models import Episode, PainEntry

PAGES = ["/symptoms/", "/symptoms/progress/", "/routines/history/", "/symptoms/?page=2"]


def person_with(username: str, *, days: int, practices: int, one_episode: bool = False):
    call_command(
        "generate_demo_data",
        "--username",
        username,
        "--days",
        str(days),
        "--practices",
        str(practices),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    person = get_user_model().objects.get(username=username)
    if one_episode:
        # Every entry in the open episode: "the log slows as an open episode grows".
        episode = Episode.objects.get(owner=person, resolved_on__isnull=True)
        entries = PainEntry.objects.filter(owner=person)
        entries.update(episode=episode)
        Episode.objects.filter(owner=person).exclude(pk=episode.pk).delete()
        episode.onset_date = entries.order_by("local_date").first().local_date
        episode.save()
    return person


def queries_for(client, person, url: str) -> list[str]:
    client.force_login(person)
    client.get(url)  # warm up (profile, session)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("one_episode", [False, True], ids=["episodes", "one-long-episode"])
def test_each_page_runs_the_same_queries_for_a_month_and_for_three_years(client, one_episode):
    little = person_with("little", days=30, practices=20)
    much = person_with("much", days=3 * 365, practices=500, one_episode=one_episode)
    assert PainEntry.objects.filter(owner=much).count() == 1095
    for url in PAGES:
        small = queries_for(client, little, url)
        big = queries_for(client, much, url)
        assert 2 <= len(small) <= 12, (url, small)  # session, user with profile, the page's
        # The acknowledgements are read only when the open episode raises a flag (three
        # years do, a month may not): one query at most, whatever the size.
        assert len(acknowledgement_reads(big)) <= 1, (url, big)
        assert len(without_acknowledgements(big)) == len(without_acknowledgements(small)), (
            url,
            small,
            big,
        )


def acknowledgement_reads(queries: list[str]) -> list[str]:
    return [
        sql
        for sql in queries
        if sql.startswith("SELECT") and ' FROM "symptoms_flagacknowledgement"' in sql
    ]


def without_acknowledgements(queries: list[str]) -> list[str]:
    return [sql for sql in queries if sql not in acknowledgement_reads(queries)]


@pytest.mark.django_db
def test_earlier_episodes_are_counted_only_for_the_ten_shown(client):
    much = person_with("much", days=3 * 365, practices=0)
    shown = queries_for(client, much, "/symptoms/")
    counting = [sql for sql in shown if "COUNT(" in sql]
    assert len(counting) == 1
    # The count reads the entries of the open episode and the ten newest resolved ones
    # only (picked by a sub-select with LIMIT 11, which the count is outside of), not
    # those of every episode of three years; the open episode's count is the pager's (no
    # other count of its entries).
    picked = counting[0].split("\nFROM (", 1)
    assert len(picked) == 2, counting[0]
    assert "COUNT(" in picked[0] and "COUNT(" not in picked[1]
    assert "LIMIT 11\n) AS " in picked[1], counting[0]
    html = client.get("/symptoms/").content.decode()
    assert html.count("/symptoms/episodes/") >= 10


@pytest.mark.django_db
def test_the_banner_reads_no_rows_for_a_long_open_episode_of_bad_days_without_a_sign(
    django_user_model,
):
    """Severe pain counts towards a warning only after a fall or accident in the episode,
    so the banner's one query skips a year of bad days instead of reading each one: it
    asks the entries' sign index whether the open episode reports anything."""
    person = django_user_model.objects.create_user(username="ada", password="pw-calm-123")
    start = timezone.localdate() - timedelta(days=400)
    episode = Episode.objects.create(owner=person, onset_date=start)
    PainEntry.objects.bulk_create(
        PainEntry(
            owner=person,
            episode=episode,
            recorded_at=timezone.now() - timedelta(days=400 - n),
            local_date=start + timedelta(days=n),
            pain=SEVERE_PAIN + n % 2,
        )
        for n in range(400)
    )
    with CaptureQueriesContext(connection) as captured:
        assert episode_flags.banner_flags(person) == []
    assert len(captured) == 1
    if connection.vendor == "sqlite":  # the entries are probed by index, never read
        plan = sqlite_plan(captured.captured_queries[0]["sql"])
        assert "USING INDEX entry_episode_signs" in plan, plan
        assert "SCAN symptoms_painentry" not in plan, plan
    # A fall reported once makes the later severe days count (it carries forward): the
    # open episode is then checked as on the log, in a fixed number of queries.
    fall = episode.entries.order_by("local_date").first()
    fall.after_fall = True
    fall.save()
    with CaptureQueriesContext(connection) as captured:
        flags = episode_flags.banner_flags(person)
    assert any(f.code == "fall_severe_pain" for f in flags)
    assert len(captured) == 3


def sqlite_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(row[-1] for row in cursor.fetchall())


def saving(client, person, **answers) -> tuple[int, list[str]]:
    """Post one entry for ``person`` (signed in); the response's status and its queries."""
    client.force_login(person)
    data = {"recorded_at": "", "pain": "3", "warning_signs": "none"} | answers
    client.post("/symptoms/new/", data)  # the episode exists from here on
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/symptoms/new/", data)
    return response.status_code, [q["sql"].strip() for q in captured.captured_queries]


@pytest.mark.django_db
def test_a_pain_entry_post_reads_the_person_once_and_acknowledgements_only_for_a_flag(
    client, django_user_model
):
    """Saving an entry: the session, the person with their profile (one query), the open
    episode, the insert and the episode's flag rows. The person's acknowledgements
    matter only for a flag, so a save that raises none does not read them."""
    person = django_user_model.objects.create_user(username="ada", password="pw-calm-123")
    status, queries = saving(client, person)
    assert status == 302
    reads = [sql.split(" FROM ", 1)[1].split()[0] for sql in queries if sql.startswith("SELECT")]
    assert reads == [
        '"django_session"',
        '"auth_user"',  # with accounts_profile joined
        '"symptoms_episode"',
        '"symptoms_painentry"',  # the flag rows
    ], queries
    assert '"accounts_profile"' in queries[1]
    assert sum(sql.startswith("INSERT") for sql in queries) == 1
    assert acknowledgement_reads(queries) == []

    status, queries = saving(client, person, warning_signs=["leg_symptoms:one"])
    assert status == 302  # to the alert page
    assert len(acknowledgement_reads(queries)) == 1


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_plans_a_query_the_app_repeats_once_per_connection(django_user_model):
    """Prepared statements (settings: DB_PREPARED_STATEMENTS): from its fifth run on this
    connection, the warning-sign check runs without being planned again."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    person = django_user_model.objects.create_user(username="ada", password="pw-calm-123")
    episode = Episode.objects.create(owner=person, onset_date=timezone.localdate())
    for _ in range(6):
        episode_flags.flag_rows(episode)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("UNION" in statement and "symptoms_painentry" in statement for statement in prepared)
