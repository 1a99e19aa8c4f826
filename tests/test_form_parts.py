"""The pain entry form's questions are drawn once per process while the form is blank
(symptoms/templatetags/form_parts.py), and each time otherwise."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from symptoms.forms import PainEntryForm
from tests.symptom_factories import make_entry, make_episode

pytestmark = pytest.mark.django_db
PARTS = ["symptoms/_entry_questions.html", "symptoms/_entry_details.html"]
ZONE = timezone.get_default_timezone()


def drawn(form) -> str:
    return render_to_string("symptoms/_entry_form.html", {"form": form, "entry": None})


def ticked(html: str) -> list[str]:
    """The values of the ticked boxes and chosen radio buttons."""
    return re.findall(r'<input[^>]*value="([^"]*)"[^>]*\bchecked\b', html)


def test_a_blank_form_is_drawn_once_and_the_same_as_drawn_afresh(monkeypatch):
    first = drawn(PainEntryForm(zone=ZONE))
    assert len(caches["fragments"]._cache) == len(PARTS)  # one entry a part
    calls = []
    real = render_to_string

    def counting(name, *args, **kwargs):
        calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr("symptoms.templatetags.form_parts.render_to_string", counting)
    again = drawn(PainEntryForm(zone=ZONE))
    assert calls == []  # both parts came from the cache
    assert again == first
    caches["fragments"].clear()
    assert drawn(PainEntryForm(zone=ZONE)) == first  # and they are what drawing gives
    assert sorted(calls) == sorted(PARTS)
    assert ticked(first) == []


def test_a_form_with_data_errors_an_entry_or_preset_answers_is_drawn_each_time(person):
    drawn(PainEntryForm(zone=ZONE))  # the blank parts are in the cache now
    data = QueryDict(mutable=True)
    data.update({"pain": "7", "recorded_at": "soon"})
    data.setlist("locations", ["thigh_left"])
    data.setlist("triggers", ["lifting"])
    bound = PainEntryForm(data, zone=ZONE)
    assert not bound.is_valid() and not bound.is_blank
    html = drawn(bound)
    assert {"7", "thigh_left", "lifting"} <= set(ticked(html))
    assert "Answer the warning-sign questions" in html  # the checklist's own error

    episode = make_episode(owner=person, onset=timezone.localdate() - timedelta(days=1))
    entry = make_entry(episode=episode, pain=2, locations=["calf_right"], reliefs=["heat"])
    edited = PainEntryForm(instance=entry, zone=ZONE)
    assert not edited.is_blank
    assert {"2", "calf_right", "heat"} <= set(ticked(drawn(edited)))

    preset = PainEntryForm(initial={"pain": 5}, zone=ZONE)
    assert not preset.is_blank
    assert "5" in ticked(drawn(preset))
    assert ticked(drawn(PainEntryForm(zone=ZONE))) == []  # the blank one is still blank


def test_today_and_the_new_entry_page_share_the_blank_parts_and_keep_their_own_time(client, person):
    client.force_login(person)
    today = client.get("/").content.decode()
    new = client.get(reverse("symptoms:entry_create")).content.decode()
    for part in PARTS:
        html = caches["fragments"].get(next(k for k in keys() if k.startswith(part)))
        assert html and html in today and html in new
    now = timezone.localtime(timezone.now(), timezone.get_current_timezone())
    assert f'value="{now:%Y-%m-%d}T' in today  # the time is drawn each time, not kept


def keys() -> list[str]:
    return [key.split(":", 2)[2] for key in caches["fragments"]._cache]


FIXED_CHOICES = ["pain", "locations", "triggers", "reliefs", "warning_signs"]


def test_forms_share_constant_choices_but_not_their_fields_or_widgets():
    """Each form has its own fields and widgets (Django copies them per form), but the
    constant choice lists are shared rather than deep-copied (safety.forms.FixedChoices)."""
    first, second = PainEntryForm(zone=ZONE), PainEntryForm(zone=ZONE)
    for name in FIXED_CHOICES:
        one, other = first.fields[name], second.fields[name]
        assert one is not other and one.widget is not other.widget, name
        assert one.choices is other.choices, name
        assert one.widget.attrs is not other.widget.attrs, name


def test_an_edited_entrys_extra_choice_stays_on_its_own_form(person):
    """An entry from before the body map adds its old location to its own edit form;
    a form built afterwards, or beside it, does not offer it."""
    episode = make_episode(owner=person, onset=timezone.localdate())
    entry = make_entry(episode=episode, locations=["buttock"])
    editing = PainEntryForm(instance=entry, zone=ZONE)
    fresh = PainEntryForm(zone=ZONE)
    assert "buttock" in dict(editing.fields["locations"].choices)
    assert "buttock" in dict(editing.fields["locations"].widget.choices)
    for form in (fresh, PainEntryForm(zone=ZONE)):
        assert "buttock" not in dict(form.fields["locations"].choices)
        assert "buttock" not in dict(form.fields["locations"].widget.choices)
    assert "buttock" not in dict(PainEntryForm.base_fields["locations"].choices)
