"""{% pk_url %} gives the same URL as {% url %}, with one reverse() per name."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from symptoms.templatetags import pk_urls

NAMES = ["symptoms:entry_edit", "symptoms:entry_delete", "symptoms:episode_detail"]


def rendered(name: str, pk) -> str:
    return Template("{% load pk_urls %}{% pk_url name pk %}").render(
        Context({"name": name, "pk": pk})
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 42, 1_000_003])
def test_the_same_url_as_reverse(name, pk):
    assert rendered(name, pk) == reverse(name, args=[pk])


def test_under_a_script_prefix_too():
    try:
        set_script_prefix("/care/")
        assert rendered("symptoms:entry_edit", 5) == "/care/symptoms/5/edit/"
        assert rendered("symptoms:entry_edit", 5) == reverse("symptoms:entry_edit", args=[5])
    finally:
        set_script_prefix("/")
    assert rendered("symptoms:entry_edit", 5) == "/symptoms/5/edit/"


def test_one_reverse_per_name(monkeypatch):
    pk_urls._around_pk.cache_clear()
    calls = []
    monkeypatch.setattr(pk_urls, "reverse", lambda *a, **k: calls.append(a) or reverse(*a, **k))
    urls = [rendered("symptoms:entry_edit", pk) for pk in range(1, 21)]
    assert len(calls) == 1
    assert urls[4] == "/symptoms/5/edit/"
    pk_urls._around_pk.cache_clear()


def test_only_numbers_go_in():
    with pytest.raises(ValueError):
        pk_urls.pk_url("symptoms:entry_edit", "5/../../accounts")
    with pytest.raises((ValueError, NoReverseMatch)):
        pk_urls.pk_url("symptoms:entry_list", 5)  # takes no argument
