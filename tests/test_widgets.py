"""The Jinja2-drawn choice widgets (safety/widgets.py): one input and one label per
choice, the label after its input, checked answers kept."""

import re
import zoneinfo

import pytest

from symptoms.forms import PainEntryForm
from symptoms.models import Location, Trigger

UTC = zoneinfo.ZoneInfo("UTC")


def rows(html: str) -> list[str]:
    return re.findall(r"<div class=\"[^\"]*\">(<input[^>]*><label[^>]*>.*?</label>)</div>", html)


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
