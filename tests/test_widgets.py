"""The Jinja2-drawn choice widgets (safety/widgets.py): one input and one label per
choice, the label after its input, checked answers kept."""

import re
import zoneinfo

import pytest

from symptoms.forms import PainEntryForm
from symptoms.models import Location, Trigger

UTC = zoneinfo.ZoneInfo("UTC")


def rows(html: str) -> list[str]:
    return re.findall(r'<div class="[^"]*">\s*(<input[^>]*><label[^>]*>.*?</label>)\s*</div>', html)


@pytest.mark.parametrize(
    ("field", "count"), [("pain", 11), ("triggers", len(Trigger)), ("locations", len(Location))]
)
def test_each_choice_is_one_input_then_its_own_label(field, count):
    html = str(PainEntryForm(zone=UTC)[field])
    assert html.count("<input") == count
    assert html.count("<label") == count
    assert len(rows(html)) == count
    for row in rows(html):
        input_id = re.search(r'id="([^"]+)"', row).group(1)
        assert '<label class="' in row and f'for="{input_id}"' in row


def test_the_pain_tiles_carry_the_number_and_its_word():
    html = str(PainEntryForm(zone=UTC)["pain"])
    assert 'class="pain-tile pain-tile--nopain"' in html
    assert (
        '<span class="pain-tile__number">7</span> <span class="pain-tile__word">severe</span>'
        in html
    )


def test_a_posted_answer_stays_ticked():
    form = PainEntryForm({"pain": "4", "triggers": ["posture"]}, zone=UTC)
    form.is_valid()
    assert re.search(r'value="4"[^>]* checked', str(form["pain"]))
    assert re.search(r'value="posture"[^>]* checked', str(form["triggers"]))
    assert not re.search(r'value="lifting"[^>]* checked', str(form["triggers"]))


def test_a_ticked_warning_sign_stays_ticked_and_each_box_has_its_label():
    form = PainEntryForm({"pain": "4", "warning_signs": ["bladder_bowel"]}, zone=UTC)
    form.is_valid()
    boxes = list(form["warning_signs"])
    assert len(boxes) > 10
    for box in boxes:
        tag = str(box.tag())
        assert tag.startswith('<input type="checkbox" name="warning_signs"')
        assert f'id="{box.id_for_label}"' in tag
        assert ("checked" in tag) == (box.data["value"] == "bladder_bowel")


@pytest.mark.parametrize("name", ["trigger_other", "relief_other", "recorded_at", "note"])
def test_a_text_field_has_its_label_help_and_error_linked_to_the_input(name):
    form = PainEntryForm({name: "<b>" + "x" * 3000}, zone=UTC)
    assert not form.is_valid()
    html = form[name].as_field_group()
    field_input = re.search(r"<(input|textarea)[^>]*>", html).group(0)
    assert f'<label for="id_{name}" class="form-label">' in html
    assert 'class="form-control is-invalid"' in field_input
    assert 'aria-invalid="true"' in field_input
    described = re.search(r'aria-describedby="([^"]+)"', field_input).group(1).split()
    assert f"id_{name}_error" in described
    assert f'<div id="id_{name}_error" class="invalid-feedback">' in html
    if form[name].help_text:
        assert f"id_{name}_helptext" in described
        assert f'<div id="id_{name}_helptext" class="form-text">' in html
    assert "<b>" not in html  # what was typed comes back escaped
    assert "&lt;b&gt;" in html


def test_a_valid_text_field_shows_no_error():
    form = PainEntryForm({"note": "stiff"}, zone=UTC)
    html = form["note"].as_field_group()
    assert "is-invalid" not in html and "invalid-feedback" not in html
    assert 'aria-describedby="id_note_helptext"' in html


def checklist(form, **options) -> str:
    from django.template import Context, Template

    tag = Template("{% load safety %}{% warning_questions form compact=compact %}")
    return tag.render(Context({"form": form, "compact": False, **options}))


def test_the_warning_checklist_writes_every_box_once_with_its_label_after_it():
    form = PainEntryForm({"pain": "4", "warning_signs": ["bladder_bowel"]}, zone=UTC)
    form.is_valid()
    html = checklist(form)
    boxes = list(form["warning_signs"])
    assert len(rows(html)) == len(boxes) == html.count('type="checkbox"')
    in_page_order = sorted(boxes, key=lambda box: html.index(f'id="{box.id_for_label}"'))
    for box, row in zip(in_page_order, rows(html), strict=True):
        assert f'id="{box.id_for_label}"' in row and f'for="{box.id_for_label}"' in row
        assert ("checked" in row) == (box.data["value"] == "bladder_bowel")
        assert f">{box.choice_label}</label>" in row
    # "None of these" comes first, outside the list; a ticked sign opens the list.
    assert html.index('value="none"') < html.index("<details")
    assert '<details class="warning-signs__list" open>' in html


def test_an_unanswered_checklist_shows_its_error_linked_and_opens_the_list():
    form = PainEntryForm({"pain": "4"}, zone=UTC)
    assert not form.is_valid()
    html = checklist(form, compact=True)
    assert 'class="warning-signs warning-signs--compact warning-signs--invalid"' in html
    assert 'aria-describedby="id_warning_signs_intro id_warning_signs_error"' in html
    assert '<p class="warning-signs__error" id="id_warning_signs_error">' in html
    assert '<details class="warning-signs__list" open>' in html
    assert "checked" not in html
