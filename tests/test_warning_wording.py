"""One source for every wording: each page that shows warning signs takes each sign's
title and care level from the rule table (safety/rules.py), and a rule that a page
does not show fails here. Also: the region setting, and what DEFAULT_REGION may be."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from progress import report_pdf
from safety.rules import ENTRY_RULES, RETIRED, RULES, Urgency
from safety.signs import SIGNS_BY_CODE
from tests.symptom_factories import make_entry, make_episode, make_user

pytestmark = pytest.mark.django_db


def answers_raising(rule) -> dict:
    """Model-field answers that raise an entry rule."""
    values = {}
    for condition in rule.when:
        values[condition.sign] = condition.answers[0]
    return values


@pytest.fixture
def every_flag(client):
    """A person whose open episode raises every rule there is."""
    person = make_user()
    client.force_login(person)
    today = timezone.localdate()
    episode = make_episode(owner=person, onset=today - timedelta(days=30))
    make_entry(episode=episode, on=today - timedelta(days=30), pain=2)
    for n, rule in enumerate(ENTRY_RULES):
        pain = max(rule.min_pain or 0, 2)
        make_entry(
            episode=episode, on=today - timedelta(days=29 - n), pain=pain, **answers_raising(rule)
        )
    for n in range(3):  # pain getting worse, and more than two weeks after onset
        make_entry(episode=episode, on=today - timedelta(days=2 - n), pain=6)
    return person, episode


def titles() -> list[str]:
    """Every rule's title, but those covered by a more urgent one raised with them (both
    legs covers one leg: that one is shown alone in tests/test_red_flags.py)."""
    covered = {code for rule in RULES.values() for code in rule.covers}
    return [rule.title for rule in RULES.values() if rule.code not in covered]


def test_the_log_lists_every_rule(client, every_flag):
    html = client.get(reverse("symptoms:entry_list")).content.decode()
    for title in titles():
        assert title in html, title


def test_the_alert_page_shows_every_active_rule(client, every_flag):
    _, episode = every_flag
    entry = episode.entries.order_by("-local_date").first()
    html = client.get(reverse("symptoms:entry_saved", args=[entry.pk])).content.decode()
    for title in titles():
        assert title in html, title


def test_the_summary_and_its_pdf_list_every_rule(client, every_flag, monkeypatch):
    html = client.get(reverse("progress:report")).content.decode()
    for title in titles():
        assert title in html, title
    printed = {}

    def capture(html: str, *, paper: str) -> bytes:
        printed["html"] = html
        return b"%PDF-1.7 captured"

    monkeypatch.setattr(report_pdf, "render_pdf", capture)
    monkeypatch.setattr(report_pdf, "available", lambda: True)
    response = client.get(reverse("progress:report_pdf") + "?paper=a4")
    assert response.status_code == 200
    for title in titles():
        assert title in printed["html"], title


def test_the_guide_lists_every_rule_with_its_care_level(client, content):
    html = client.get("/guide/when-to-seek-care/").content.decode()
    for rule in RULES.values():
        assert rule.title in html, rule.code
        item = html[html.index(f'id="{rule.code}"') :].split("</li>")[0]
        assert f"flag--{rule.urgency}" in item
        assert rule.urgency.heading in item


def test_retired_and_asked_signs_split_cleanly():
    for rule in ENTRY_RULES:
        asked = all(SIGNS_BY_CODE[c.sign].asked for c in rule.when)
        assert asked is (rule.code not in RETIRED), rule.code


@pytest.mark.parametrize(
    ("region", "tel", "words"),
    [
        ("GB", "tel:111", "NHS 111"),
        ("CA", "tel:811", "811"),
        ("NZ", "tel:0800611116", "Healthline"),
        ("US", None, "your doctor or an urgent care center"),
    ],
)
def test_a_person_chooses_their_region_and_warnings_follow_it(client, region, tel, words):
    person = make_user()
    client.force_login(person)
    response = client.post(
        reverse("accounts:account"), {"time_zone": "Europe/London", "region": region}
    )
    assert response.status_code == 302
    person.profile.refresh_from_db()
    assert person.profile.region == region
    episode = make_episode(owner=person, onset=timezone.localdate())
    make_entry(episode=episode, on=timezone.localdate(), fever=True)
    html = client.get(reverse("symptoms:entry_list")).content.decode()
    assert words in html
    if tel:
        assert f'href="{tel}"' in html
    else:
        assert 'class="btn care__call care__call--urgent"' not in html  # no made-up number
    assert RULES["fever"].urgency == Urgency.URGENT


def test_an_unknown_region_is_a_field_error(client):
    client.force_login(make_user())
    response = client.post(reverse("accounts:account"), {"time_zone": "UTC", "region": "XX"})
    assert response.status_code == 400
    assert "region" in response.context["form"].errors


def test_default_region_must_be_a_known_region(settings):
    settings.DEFAULT_REGION = "XX"
    with pytest.raises(SystemCheckError, match="DEFAULT_REGION"):
        call_command("check")
    settings.DEFAULT_REGION = "IE"
    call_command("check")
    assert make_user().profile.region == "IE"
