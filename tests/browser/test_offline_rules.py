"""The phone's warning check agrees with the server's on every answer there is.

Every combination of the checklist (each yes/no sign ticked or not, each multiple-choice
sign at each of its answers, "None of these" alone) with every pain score 0-10 is
evaluated in Chromium by static/js/offline.js from the data the page carries
(safety/device_rules.py), and by safety.red_flags.check_answers() in Python; the codes
raised, most urgent first, must be the same for each one.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from safety.forms import NONE_OF_THESE, answers_from, sign_options
from safety.red_flags import check_answers
from safety.rules import Urgency
from safety.signs import ASKED, Signs

# Pure rules on both sides (the page is only where the script runs): once per CI run.
pytestmark = pytest.mark.any_database

EVALUATE = """(cases) => {
  const rules = JSON.parse(document.getElementById("device-rules").textContent);
  return cases.map(([ticked, pain]) =>
    window.SpasmOffline.evaluate(rules, ticked, pain).map((rule) => rule.code));
}"""


def every_checklist() -> list[list[str]]:
    """Every set of ticked options a person can send: per sign, "not ticked" or one of
    its options (ticking two answers of one sign reads as the most serious one, which
    answers_from() and the device both do; one option each covers every answer)."""
    per_sign = [[None, *[value for value, _ in sign_options(sign)]] for sign in ASKED]
    checklists = []
    for chosen in itertools.product(*per_sign):
        ticked = [value for value in chosen if value is not None]
        checklists.append(ticked or [NONE_OF_THESE])
    return checklists


def server_codes(ticked: list[str], pain: int) -> list[str]:
    signs = Signs(date(2026, 12, 2), pain, **answers_from(ticked))
    flags = check_answers(signs)
    return [f.code for f in flags if f.urgency in (Urgency.IMMEDIATE, Urgency.URGENT)]


def test_the_device_and_the_server_agree_on_every_answer(page):
    checklists = every_checklist()
    assert len(checklists) == 3 * 2**11  # leg answers x the eleven yes/no signs
    cases = [(ticked, pain) for ticked in checklists for pain in range(11)]
    page.goto("/check/")
    page.wait_for_function("() => window.SpasmOffline")
    device: list[list[str]] = []
    batch = 8000
    for start in range(0, len(cases), batch):
        device += page.evaluate(EVALUATE, cases[start : start + batch])
    assert len(device) == len(cases)
    server = [server_codes(ticked, pain) for ticked, pain in cases]
    disagreements = [
        (case, mine, theirs)
        for case, mine, theirs in zip(cases, device, server, strict=True)
        if mine != theirs
    ]
    assert disagreements == [], disagreements[:5]
    # The test can fail: it saw every care level, and flags raised together.
    raised = {code for codes in device for code in codes}
    assert {"bladder_bowel", "legs_both", "leg_one", "fall_severe_pain"} <= raised
    assert "leg_one" not in {c for codes in device if "legs_both" in codes for c in codes}
    assert max(len(codes) for codes in device) >= 10
