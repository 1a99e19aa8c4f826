"""The red-flag checker as a table of cases. Pure: no database, no Django."""

from datetime import UTC, date, datetime, timedelta

import pytest

from safety.red_flags import Acknowledgement, check_answers, check_episode, split_flags
from safety.rules import CODES, ENTRY_RULES, RETIRED, RULES, Urgency, rules_in_order
from safety.signs import ASKED, SIGNS, Signs

ONSET = date(2026, 3, 1)


def day(n: int) -> date:
    """The date n days after onset."""
    return ONSET + timedelta(days=n)


def at(n: int, hour: int = 9) -> datetime:
    """A moment on day n, in UTC."""
    return datetime.combine(day(n), datetime.min.time(), tzinfo=UTC).replace(hour=hour)


def entry(n: int, pain: int = 3, hour: int = 9, **answers) -> Signs:
    """An entry on day n, saved when it was recorded."""
    return Signs(day(n), pain, at=at(n, hour), saved_at=at(n, hour), key=(n, hour), **answers)


def codes(flags) -> list[str]:
    return [f.code for f in flags]


def check(*entries: Signs, acks=()) -> list[str]:
    return codes(check_episode(onset=ONSET, resolved_on=None, entries=entries, acknowledged=acks))


# One entry's answers, each rule and its boundaries.
ONE_ENTRY_CASES = [
    ("no signs", {}, 5, []),
    ("nothing answered", {}, None, []),
    ("bladder or bowel", {"bladder_bowel": True}, 3, ["bladder_bowel"]),
    ("saddle numbness", {"saddle_numbness": True}, 3, ["saddle_numbness"]),
    ("both legs", {"leg_symptoms": "both"}, 3, ["legs_both"]),
    ("one leg", {"leg_symptoms": "one"}, 3, ["leg_one"]),
    ("no leg symptoms", {"leg_symptoms": "none"}, 3, []),
    ("serious accident", {"serious_accident": True}, 2, ["serious_accident"]),
    (
        "serious accident with severe pain",
        {"serious_accident": True},
        8,
        ["serious_accident", "fall_severe_pain"],
    ),
    ("chest pain", {"chest_pain": True}, 2, ["chest_pain"]),
    ("pain 7 after a fall", {"after_fall": True}, 7, ["fall_severe_pain"]),
    ("pain 10 after a fall", {"after_fall": True}, 10, ["fall_severe_pain"]),
    ("pain 6 after a fall", {"after_fall": True}, 6, []),
    ("pain 7 without a fall", {"after_fall": False}, 7, []),
    ("pain 10, fall not answered", {}, 10, []),
    ("fever", {"fever": True}, 2, ["fever"]),
    ("weight loss", {"weight_loss": True}, 2, ["weight_loss"]),
    ("lump or change of shape", {"lump_or_shape": True}, 2, ["lump_or_shape"]),
    ("no better with rest or worse at night", {"rest_night": True}, 2, ["rest_night"]),
    ("worse when coughing or sneezing", {"cough_sneeze": True}, 2, ["cough_sneeze"]),
    ("between the shoulder blades", {"upper_back": True}, 2, ["upper_back"]),
    (
        "an old fever-or-weight-loss yes keeps its meaning",
        {"fever_or_weight_loss": True},
        2,
        ["fever_weight_loss"],
    ),
    ("answered no to everything", {s.code: s.no for s in ASKED}, 9, []),
]


@pytest.mark.parametrize(
    ("answers", "pain", "expected"),
    [c[1:] for c in ONE_ENTRY_CASES],
    ids=[c[0] for c in ONE_ENTRY_CASES],
)
def test_one_entry(answers, pain, expected):
    assert check(Signs(day(0), pain, **answers)) == expected
    assert codes(check_answers(Signs(day(0), pain, **answers))) == expected


def test_every_entry_rule_has_a_case_above():
    """A new rule without a case in the table fails here."""
    covered = {code for *_, expected in ONE_ENTRY_CASES for code in expected}
    assert {rule.code for rule in ENTRY_RULES} <= covered


EPISODE_CASES = [
    ("pain on day 14 after onset", [entry(14)], []),
    ("pain on day 15 after onset", [entry(15)], ["pain_over_two_weeks"]),
    ("no pain 15 days after onset", [entry(15, pain=0)], []),
    ("pain 1 at 20 days after onset", [entry(3, 5), entry(20, 1)], ["pain_over_two_weeks"]),
    (
        "a sign reported earlier in the open episode stays listed",
        [entry(0, 6, saddle_numbness=True), entry(2, 2, saddle_numbness=False), entry(4, 1)],
        ["saddle_numbness"],
    ),
    (
        "both legs supersedes one leg",
        [entry(0, 4, leg_symptoms="one"), entry(1, 4, leg_symptoms="both")],
        ["legs_both"],
    ),
    (
        "a fall carries forward: severe pain the next day",
        [entry(0, 2, after_fall=True), entry(1, 8)],
        ["fall_severe_pain"],
    ),
    (
        "a fall carries forward, but pain 6 is not severe",
        [entry(0, 2, after_fall=True), entry(1, 6)],
        [],
    ),
    (
        "severe pain before the fall was reported does not count",
        [entry(0, 8), entry(1, 2, after_fall=True)],
        [],
    ),
    (
        "a serious accident carries forward too",
        [entry(0, 2, serious_accident=True), entry(3, 7)],
        ["serious_accident", "fall_severe_pain"],
    ),
    (
        "pain getting worse: the last three each 2 points above the first",
        [entry(0, 3), entry(1, 5), entry(2, 6), entry(3, 5)],
        ["pain_getting_worse"],
    ),
    (
        "not worse: one of the last three only 1 point above",
        [entry(0, 3), entry(1, 5), entry(2, 4), entry(3, 5)],
        [],
    ),
    ("not worse with only three entries", [entry(0, 3), entry(1, 6), entry(2, 7)], []),
    (
        "worse counts entries, not days (two on one day)",
        [entry(0, 2), entry(1, 4, hour=8), entry(1, 4, hour=20), entry(2, 9)],
        ["pain_getting_worse"],
    ),
    (
        "several flags, most urgent first",
        [
            entry(16, 8, after_fall=True, leg_symptoms="one"),
            entry(17, 3, bladder_bowel=True, fever=True),
        ],
        ["bladder_bowel", "leg_one", "fall_severe_pain", "fever", "pain_over_two_weeks"],
    ),
]


@pytest.mark.parametrize(
    ("entries", "expected"), [c[1:] for c in EPISODE_CASES], ids=[c[0] for c in EPISODE_CASES]
)
def test_episode(entries, expected):
    assert check(*entries) == expected


def test_entry_order_given_does_not_matter():
    entries = [entry(3, 5), entry(0, 3), entry(2, 6), entry(1, 5)]
    assert check(*entries) == ["pain_getting_worse"]


def test_every_code_has_its_urgency_and_source():
    assert set(CODES) == set(RULES)
    expected = {
        "immediate": {
            "bladder_bowel",
            "saddle_numbness",
            "legs_both",
            "serious_accident",
            "chest_pain",
        },
        "urgent": {
            "leg_one",
            "fall_severe_pain",
            "fever",
            "weight_loss",
            "lump_or_shape",
            "rest_night",
            "cough_sneeze",
            "upper_back",
            "fever_weight_loss",
        },
        "non_urgent": {"pain_over_two_weeks", "pain_getting_worse"},
    }
    for urgency, members in expected.items():
        assert {r.code for r in RULES.values() if r.urgency == urgency} == members
    # The source guide's own four signs say so; the rest are NHS guidance.
    document = {"bladder_bowel", "legs_both", "leg_one", "fall_severe_pain", "pain_over_two_weeks"}
    for rule in RULES.values():
        assert rule.source == ("document" if rule.code in document else "nhs"), rule.code
        assert rule.title and rule.what and rule.source_line


def test_every_rule_reads_only_declared_signs():
    declared = {sign.code for sign in SIGNS}
    for rule in ENTRY_RULES:
        for condition in rule.when:
            assert condition.sign in declared, rule.code


def test_retired_rules_are_not_offered_but_still_raised():
    assert {"fever_weight_loss"} == RETIRED
    assert "fever_weight_loss" not in {r.code for r in rules_in_order()}
    assert [r.code for r in rules_in_order(retired=True)].count("fever_weight_loss") == 1
    ranks = [r.urgency.rank for r in rules_in_order()]
    assert ranks == sorted(ranks)


def test_resolved_episode_raises_nothing_unless_its_history_is_asked_for():
    entries = [entry(0, 9, bladder_bowel=True), entry(20, 5)]
    assert check_episode(onset=ONSET, resolved_on=day(21), entries=entries) == []
    history = check_episode(onset=ONSET, resolved_on=day(21), entries=entries, as_if_open=True)
    assert codes(history) == ["bladder_bowel", "pain_over_two_weeks"]


def test_sign_reported_several_times_keeps_first_and_last_date_and_count():
    flags = check_episode(
        onset=ONSET,
        resolved_on=None,
        entries=[
            entry(5, leg_symptoms="one"),
            entry(2, leg_symptoms="one"),
            entry(7, leg_symptoms="none"),
        ],
    )
    [flag] = flags
    assert (flag.first_reported, flag.last_reported, flag.times_reported) == (day(2), day(5), 2)
    assert "3 March 2026" in flag.seen and "6 March 2026" in flag.seen
    assert flag.keys == {(2, 9), (5, 9)}


def test_long_pain_reports_the_first_day_over_two_weeks():
    [flag] = check_episode(onset=ONSET, resolved_on=None, entries=[entry(20, 2), entry(16, 4)])
    assert flag.first_reported == day(16)
    assert "16 days later" in flag.seen


def test_worsening_names_the_scores():
    [flag] = check_episode(
        onset=ONSET,
        resolved_on=None,
        entries=[entry(0, 2), entry(1, 4), entry(2, 5), entry(3, 6)],
    )
    assert flag.code == "pain_getting_worse" and flag.urgency == Urgency.NON_URGENT
    assert "pain of 2 out of 10" in flag.seen and "4, 5 and 6" in flag.seen
    assert flag.keys == {(1, 9), (2, 9), (3, 9)}


# --- acknowledgements -------------------------------------------------------------------


def test_an_acknowledgement_covers_the_reports_made_before_it():
    entries = [entry(0, 8, after_fall=True, saddle_numbness=True)]
    acks = [Acknowledgement("saddle_numbness", at(0, 12))]
    flags = check_episode(onset=ONSET, resolved_on=None, entries=entries, acknowledged=acks)
    assert [(f.code, f.acknowledged) for f in flags] == [
        ("saddle_numbness", True),
        ("fall_severe_pain", False),
    ]
    assert flags[0].acknowledged_at == at(0, 12)
    active, seen = split_flags(flags)
    assert codes(active) == ["fall_severe_pain"]
    assert codes(seen) == ["saddle_numbness"]


def test_a_new_report_after_an_acknowledgement_is_a_new_warning():
    """Even loss of bladder control: reported again after seeing a doctor, it is active."""
    first = entry(0, 4, bladder_bowel=True)
    ack = Acknowledgement("bladder_bowel", at(0, 12))
    again = entry(1, 4, bladder_bowel=True)
    [flag] = check_episode(
        onset=ONSET, resolved_on=None, entries=[first, again], acknowledged=[ack]
    )
    assert flag.is_active and flag.reported_again
    assert flag.again_text == "You reported this again after seeing a doctor."
    assert flag.keys == {(0, 9), (1, 9)}


def test_an_entry_saved_after_the_acknowledgement_counts_even_if_dated_earlier():
    """A catch-up entry dated before the acknowledgement but saved after it is a new report."""
    backdated = Signs(day(0), 4, at=at(0, 8), saved_at=at(0, 13), key="late", bladder_bowel=True)
    ack = Acknowledgement("bladder_bowel", at(0, 12))
    [flag] = check_episode(onset=ONSET, resolved_on=None, entries=[backdated], acknowledged=[ack])
    assert flag.is_active and flag.reported_again


def test_severe_pain_carried_forward_after_an_acknowledgement_is_a_new_warning():
    entries = [entry(0, 8, after_fall=True)]
    ack = Acknowledgement("fall_severe_pain", at(0, 12))
    assert check(*entries, acks=[ack]) == ["fall_severe_pain"]
    [flag] = check_episode(onset=ONSET, resolved_on=None, entries=entries, acknowledged=[ack])
    assert flag.acknowledged
    [later] = check_episode(
        onset=ONSET, resolved_on=None, entries=[*entries, entry(2, 9)], acknowledged=[ack]
    )
    assert later.is_active and later.reported_again


def test_undo_is_the_acknowledgement_gone_the_warning_active_again():
    entries = [entry(0, 4, chest_pain=True)]
    ack = Acknowledgement("chest_pain", at(0, 12))
    [done] = check_episode(onset=ONSET, resolved_on=None, entries=entries, acknowledged=[ack])
    [undone] = check_episode(onset=ONSET, resolved_on=None, entries=entries, acknowledged=[])
    assert done.acknowledged and not undone.acknowledged and not undone.reported_again


def test_acknowledging_both_legs_covers_one_leg_reported_before():
    entries = [entry(0, leg_symptoms="one"), entry(1, leg_symptoms="both")]
    flags = check_episode(
        onset=ONSET,
        resolved_on=None,
        entries=entries,
        acknowledged=[Acknowledgement("legs_both", at(1, 12))],
    )
    assert [(f.code, f.acknowledged) for f in flags] == [("legs_both", True)]


def test_a_booked_appointment_covers_a_non_urgent_flag_for_the_episode():
    entries = [entry(0, 3), entry(16, 4)]
    ack = Acknowledgement("pain_over_two_weeks", at(16, 12))
    [flag] = check_episode(
        onset=ONSET, resolved_on=None, entries=[*entries, entry(18, 5)], acknowledged=[ack]
    )
    assert flag.acknowledged and flag.acknowledgement == "I have booked an appointment"


def test_acknowledging_a_code_not_raised_adds_nothing():
    acks = [Acknowledgement("bladder_bowel", at(0, 12))]
    assert check(entry(0), acks=acks) == []


def test_acknowledgement_wording_follows_the_urgency():
    assert Urgency.IMMEDIATE.acknowledgement.startswith("I have been checked by a doctor")
    assert "emergency department" in Urgency.URGENT.acknowledgement
    assert Urgency.NON_URGENT.acknowledgement == "I have booked an appointment"


# --- check_answers (quick check, safety check) -------------------------------------------


@pytest.mark.parametrize(
    ("days_of_pain", "pain", "expected"),
    [
        (14, 4, []),
        (15, 4, ["pain_over_two_weeks"]),
        (30, 0, []),
        (None, 4, []),
        (15, None, ["pain_over_two_weeks"]),
    ],
)
def test_check_answers_days_of_pain(days_of_pain, pain, expected):
    flags = check_answers(Signs(ONSET, pain), days_of_pain=days_of_pain)
    assert codes(flags) == expected


def test_check_answers_orders_several_flags():
    signs = Signs(ONSET, 7, after_fall=True, leg_symptoms="both", bladder_bowel=True)
    flags = check_answers(signs, days_of_pain=20)
    assert codes(flags) == ["bladder_bowel", "legs_both", "fall_severe_pain", "pain_over_two_weeks"]


def test_a_thousand_entries_give_the_same_flags_as_counting_by_hand():
    """A long episode: first and last dates and counts come out as counted here."""
    entries = [
        Signs(
            day(i % 400),
            i % 11,
            at=at(i % 400),
            key=i,
            leg_symptoms="one" if i % 97 == 0 else "none",
            after_fall=False,
            bladder_bowel=False,
        )
        for i in range(1000)
    ]
    flags = {f.code: f for f in check_episode(onset=ONSET, resolved_on=None, entries=entries)}
    ordered = sorted(entries, key=lambda e: (e.on, e.key))
    worse = all(e.pain >= ordered[0].pain + 2 for e in ordered[-3:])
    assert worse  # pain 0 first; the last three are 6, 3 and 7
    assert set(flags) == {"leg_one", "pain_over_two_weeks", "pain_getting_worse"}
    leg = [e.on for e in entries if e["leg_symptoms"] == "one"]
    long_pain = [e.on for e in entries if (e.on - ONSET).days > 14 and e.pain >= 1]
    assert flags["leg_one"].first_reported == min(leg)
    assert flags["leg_one"].last_reported == max(leg)
    assert flags["leg_one"].times_reported == len(leg)
    assert flags["pain_over_two_weeks"].first_reported == min(long_pain)


def test_the_checker_imports_nothing_from_django():
    import subprocess
    import sys

    code = (
        "import sys; import safety.red_flags, safety.rules, safety.signs, safety.regions; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
