"""The warning-sign rules one entry decides on its own, as data for the device.

Offline, a pain entry or a session's safety check is checked on the phone
(static/js/offline.js) with this data, so the alert appears at once. Everything here is
built from the one declaration (``safety.signs.SIGNS``, ``safety.rules.RULES``) and
the checklist (``safety.forms``): nothing is copied by hand. When the entry reaches the
server, the server's checker is the one that counts.

tests/browser/test_offline_rules.py runs the device's evaluation over every combination
of answers and pain and compares it with ``check_answers``.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from safety.dates import long_day
from safety.forms import NONE_OF_THESE, sign_options
from safety.pain import SEVERE_PAIN
from safety.regions import regions
from safety.rules import ENTRY_RULES, INJURY_SIGNS, RULES, Urgency, rules_in_order
from safety.signs import ASKED

# Month names as long_day() writes them (no locale), for the "You reported ... on" text.
MONTHS = tuple(long_day(date(2000, m, 1)).split(" ")[1] for m in range(1, 13))


def _care(region) -> dict:
    care = {}
    for level in (Urgency.IMMEDIATE, Urgency.URGENT):
        care[level.value] = {
            "advice": region.advice(level),
            "calls": [{"label": line.label, "tel": line.tel} for line in region.calls(level)],
        }
    return {"name": region.name, "care": care}


@cache
def device_rules() -> dict:
    """The data static/js/offline.js evaluates (JSON-ready)."""
    order = {rule.code: index for index, rule in enumerate(rules_in_order(retired=True))}
    rules = []
    for rule in ENTRY_RULES:
        if rule.urgency not in (Urgency.IMMEDIATE, Urgency.URGENT):
            continue
        rules.append(
            {
                "code": rule.code,
                "urgency": rule.urgency.value,
                "label": rule.urgency.label,
                "heading": rule.urgency.heading,
                "title": rule.title,
                "what": rule.what,
                "source": rule.source,
                "order": order[rule.code],
                "when": [{"sign": c.sign, "answers": list(c.answers)} for c in rule.when],
                "minPain": rule.min_pain,
                "covers": list(rule.covers),
            }
        )
    carried = RULES["fall_severe_pain"]
    return {
        "rules": rules,
        # A fall or serious accident in the same entry with severe pain raises this rule.
        "carry": {"rule": carried.code, "signs": list(INJURY_SIGNS), "minPain": SEVERE_PAIN},
        "none": NONE_OF_THESE,
        # The checklist: each ticked value is one sign's answer; the rest answer "no".
        "signs": [
            {
                "code": sign.code,
                "no": sign.no,
                "options": [
                    {"value": value, "answer": True if sign.is_yes_no else value.partition(":")[2]}
                    for value, _ in sign_options(sign)
                ],
            }
            for sign in ASKED
        ],
        "months": list(MONTHS),
        "regions": {code: _care(region) for code, region in regions().items()},
    }
