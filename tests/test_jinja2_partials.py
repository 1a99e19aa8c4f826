"""The log's entries, drawn by a Jinja2 partial ({% jinja2_include %}): escaped as the
Django templates escape, with the same links and pages."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.symptom_factories import make_daily_entries, make_entry, make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def entry_items(html: str) -> list[str]:
    return re.findall(r'<li class="entry sc-card">(.*?)</li>', html, re.S)


def test_a_note_is_escaped_and_keeps_its_line_breaks(signed_in, person):
    episode = make_episode(owner=person, onset=date(2025, 1, 1))
    make_entry(episode=episode, on=date(2025, 1, 2), note="<script>alert(1)</script>\nthen & so")
    html = signed_in.get(reverse("symptoms:entry_list")).text
    (item,) = entry_items(html)
    assert "<script>alert(1)" not in html
    assert (
        '<dd class="entry__note">&lt;script&gt;alert(1)&lt;/script&gt;<br>then &amp; so</dd>'
        in item
    )


def test_each_entry_links_to_its_own_edit_and_delete_pages(signed_in, person):
    episode = make_episode(owner=person, onset=date(2025, 1, 1))
    entries = [make_entry(episode=episode, on=date(2025, 1, day)) for day in (2, 3)]
    html = signed_in.get(reverse("symptoms:entry_list")).text
    for entry in entries:
        assert f'href="{reverse("symptoms:entry_edit", args=[entry.pk])}"' in html
        assert f'href="{reverse("symptoms:entry_delete", args=[entry.pk])}"' in html
    assert len(entry_items(html)) == 2


def test_pages_of_entries_link_to_newer_and_older_ones(signed_in, person):
    episode = make_episode(owner=person, onset=date(2025, 1, 1))
    make_daily_entries(episode=episode, days=45)
    first = signed_in.get(reverse("symptoms:entry_list")).text
    second = signed_in.get(reverse("symptoms:entry_list") + "?page=2").text
    assert len(entry_items(first)) == len(entry_items(second)) == 20
    assert "Page 1 of 3" in first and 'href="?page=2">Older entries' in first
    assert "Newer entries" not in first
    assert 'href="?page=1">Newer entries' in second and 'href="?page=3">Older' in second
    # The same partial draws an episode's own page.
    page = signed_in.get(reverse("symptoms:episode_detail", args=[episode.pk])).text
    assert len(entry_items(page)) == 20 and "Page 1 of 3" in page


def test_no_entries_says_how_to_start(signed_in):
    html = signed_in.get(reverse("symptoms:entry_list")).text
    assert "No entries yet." in html and "entry-list" not in html


def test_the_partial_sees_only_the_values_it_is_given():
    template = Template(
        '{% load jinja2_partials %}{% jinja2_include "symptoms/entries.html" entries=none %}'
    )
    request = RequestFactory().get("/")
    html = template.render(Context({"request": request, "page": "not passed", "none": []}))
    assert "No entries yet." in html and "not passed" not in html
