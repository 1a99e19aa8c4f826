"""The red-flag checker as a table of cases. Pure: no database."""

from datetime import date, timedelta

import pytest

from safety.red_flags import (
    CODES,
    Signs,
    Urgency,
    check_answers,
    check_episode,
    split_flags,
)

ONSET = date(2026, 3, 1)


def day(n: int) -> date:
    """The date n days after onset."""
    return ONSET + timedelta(days=n)


def codes(flags) -> list[str]:
    return [f.code for f in flags]


CASES = [
    # (name, entries, expected codes in order)
    ("no signs", [Signs(on=day(0), pain=5, leg_symptoms="none")], []),
    ("nothing answered", [Signs(on=day(0))], []),
    ("bladder or bowel", [Signs(on=day(0), pain=3, bladder_bowel=True)], ["bladder_bowel"]),
    ("saddle numbness", [Signs(on=day(0), pain=3, saddle_numbness=True)], ["saddle_numbness"]),
    ("both legs", [Signs(on=day(0), pain=3, leg_symptoms="both")], ["legs_both"]),
    ("one leg", [Signs(on=day(0), pain=3, leg_symptoms="one")], ["leg_one"]),
    ("no leg symptoms", [Signs(on=day(0), pain=3, leg_symptoms="none")], []),
    (
        "pain 7 after a fall",
        [Signs(on=day(0), pain=7, after_fall=True)],
        ["fall_severe_pain"],
    ),
    ("pain 6 after a fall", [Signs(on=day(0), pain=6, after_fall=True)], []),
    ("pain 7 without a fall", [Signs(on=day(0), pain=7, after_fall=False)], []),
    ("pain 10, fall not answered", [Signs(on=day(0), pain=10)], []),
    (
        "fall and severe pain in different entries",
        [Signs(on=day(0), pain=2, after_fall=True), Signs(on=day(1), pain=8, after_fall=False)],
        [],
    ),
    (
        "fever or weight loss",
        [Signs(on=day(0), pain=2, fever_or_weight_loss=True)],
        ["fever_weight_loss"],
    ),
    (
        "answered no to everything",
        [
            Signs(
                on=day(0),
                pain=9,
                leg_symptoms="none",
                saddle_numbness=False,
                bladder_bowel=False,
                after_fall=False,
                fever_or_weight_loss=False,
            )
        ],
        [],
    ),
    ("pain 14 days after onset", [Signs(on=day(14), pain=3)], []),
    ("pain 15 days after onset", [Signs(on=day(15), pain=3)], ["pain_over_two_weeks"]),
    ("no pain 15 days after onset", [Signs(on=day(15), pain=0)], []),
    (
        "pain 1 at 20 days after onset",
        [Signs(on=day(3), pain=5), Signs(on=day(20), pain=1)],
        ["pain_over_two_weeks"],
    ),
    (
        "several flags, most urgent first",
        [
            Signs(on=day(16), pain=8, after_fall=True, leg_symptoms="one"),
            Signs(on=day(17), pain=3, bladder_bowel=True, fever_or_weight_loss=True),
        ],
        [
            "bladder_bowel",
            "leg_one",
            "fall_severe_pain",
            "fever_weight_loss",
            "pain_over_two_weeks",
        ],
    ),
    (
        "a sign reported earlier in the open episode stays listed",
        [
            Signs(on=day(0), pain=6, saddle_numbness=True),
            Signs(on=day(2), pain=2, saddle_numbness=False),
            Signs(on=day(4), pain=1),
        ],
        ["saddle_numbness"],
    ),
    (
        "both legs supersedes one leg",
        [
            Signs(on=day(0), pain=4, leg_symptoms="one"),
            Signs(on=day(1), pain=4, leg_symptoms="both"),
        ],
        ["legs_both"],
    ),
]


@pytest.mark.parametrize(("entries", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_open_episode_rules(entries, expected):
    flags = check_episode(onset=ONSET, resolved_on=None, entries=entries)
    assert codes(flags) == expected


URGENCY = {
    "bladder_bowel": Urgency.IMMEDIATE,
    "saddle_numbness": Urgency.IMMEDIATE,
    "legs_both": Urgency.IMMEDIATE,
    "leg_one": Urgency.URGENT,
    "fall_severe_pain": Urgency.URGENT,
    "fever_weight_loss": Urgency.URGENT,
    "pain_over_two_weeks": Urgency.NON_URGENT,
}


def test_every_code_has_its_urgency_and_source():
    assert set(CODES) == set(URGENCY)
    everything = [
        Signs(
            on=day(16),
            pain=8,
            after_fall=True,
            leg_symptoms="one",
            bladder_bowel=True,
            saddle_numbness=True,
            fever_or_weight_loss=True,
        ),
        Signs(on=day(17), pain=8, leg_symptoms="both"),
    ]
    flags = check_episode(onset=ONSET, resolved_on=None, entries=everything)
    # one leg is covered by both legs
    assert {f.code: f.urgency for f in flags} == {
        c: u for c, u in URGENCY.items() if c != "leg_one"
    }
    ranks = [f.urgency.rank for f in flags]
    assert ranks == sorted(ranks)
    sources = {f.code: f.source for f in flags}
    assert sources["saddle_numbness"] == "nhs"
    assert sources["fever_weight_loss"] == "nhs"
    assert sources["bladder_bowel"] == "document"
    assert sources["pain_over_two_weeks"] == "document"
    for flag in flags:
        assert flag.title and flag.seen and flag.action
        assert flag.acknowledged is False


def test_immediate_flag_says_get_emergency_care_now():
    [flag] = check_episode(
        onset=ONSET, resolved_on=None, entries=[Signs(on=day(0), bladder_bowel=True)]
    )
    assert flag.urgency is Urgency.IMMEDIATE
    assert flag.action.startswith("Get emergency care now")
    assert "999" in flag.action
    assert flag.urgency.heading == "Get emergency care now"


def test_resolved_episode_raises_nothing():
    entries = [Signs(on=day(0), pain=9, bladder_bowel=True), Signs(on=day(20), pain=5)]
    assert check_episode(onset=ONSET, resolved_on=day(21), entries=entries) == []


def test_new_episode_after_a_resolved_one_starts_clean():
    old = [Signs(on=day(0), pain=9, leg_symptoms="both")]
    assert check_episode(onset=ONSET, resolved_on=day(5), entries=old) == []
    # The new episode only sees its own entries, counted from its own onset.
    new_onset = day(30)
    new = [Signs(on=new_onset, pain=4), Signs(on=new_onset + timedelta(days=14), pain=3)]
    assert check_episode(onset=new_onset, resolved_on=None, entries=new) == []
    new.append(Signs(on=new_onset + timedelta(days=15), pain=3))
    assert codes(check_episode(onset=new_onset, resolved_on=None, entries=new)) == [
        "pain_over_two_weeks"
    ]


def test_sign_reported_earlier_keeps_first_date_and_count():
    entries = [
        Signs(on=day(5), pain=4, leg_symptoms="one"),
        Signs(on=day(2), pain=4, leg_symptoms="one"),
        Signs(on=day(7), pain=4, leg_symptoms="none"),
    ]
    [flag] = check_episode(onset=ONSET, resolved_on=None, entries=entries)
    assert flag.first_reported == day(2)
    assert flag.last_reported == day(5)
    assert flag.times_reported == 2
    assert "3 March 2026" in flag.seen
    assert "6 March 2026" in flag.seen


def test_long_pain_reports_the_first_day_over_two_weeks():
    entries = [Signs(on=day(20), pain=2), Signs(on=day(16), pain=4)]
    [flag] = check_episode(onset=ONSET, resolved_on=None, entries=entries)
    assert flag.first_reported == day(16)
    assert "16 days later" in flag.seen


def test_acknowledged_flag_is_kept_but_marked_seen():
    entries = [Signs(on=day(0), pain=8, after_fall=True, saddle_numbness=True)]
    flags = check_episode(
        onset=ONSET, resolved_on=None, entries=entries, acknowledged={"saddle_numbness"}
    )
    assert codes(flags) == ["saddle_numbness", "fall_severe_pain"]
    assert [f.acknowledged for f in flags] == [True, False]
    active, seen = split_flags(flags)
    assert codes(active) == ["fall_severe_pain"]
    assert codes(seen) == ["saddle_numbness"]


def test_acknowledging_a_code_not_raised_adds_nothing():
    flags = check_episode(
        onset=ONSET,
        resolved_on=None,
        entries=[Signs(on=day(0), pain=3)],
        acknowledged={"bladder_bowel"},
    )
    assert flags == []


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
    flags = check_answers(Signs(on=ONSET, pain=pain), days_of_pain=days_of_pain)
    assert codes(flags) == expected


def test_check_answers_orders_several_flags():
    signs = Signs(on=ONSET, pain=7, after_fall=True, leg_symptoms="both", bladder_bowel=True)
    flags = check_answers(signs, days_of_pain=20)
    assert codes(flags) == ["bladder_bowel", "legs_both", "fall_severe_pain", "pain_over_two_weeks"]


def test_check_answers_pain_6_vs_7_after_fall():
    assert check_answers(Signs(on=ONSET, pain=6, after_fall=True)) == []
    assert codes(check_answers(Signs(on=ONSET, pain=7, after_fall=True))) == ["fall_severe_pain"]


def test_a_thousand_entries_give_the_same_flags_as_counting_by_hand():
    """A long episode: first and last dates and counts come out as counted here."""
    entries = [
        Signs(
            on=day(i % 400),
            pain=i % 11,
            leg_symptoms="one" if i % 97 == 0 else "none",
            after_fall=i % 50 == 0,
            bladder_bowel=False,
        )
        for i in range(1000)
    ]
    flags = {f.code: f for f in check_episode(onset=ONSET, resolved_on=None, entries=entries)}
    assert list(flags) == ["leg_one", "fall_severe_pain", "pain_over_two_weeks"]
    leg = [e.on for e in entries if e["leg_symptoms"] == "one"]
    fall = [e.on for e in entries if e["after_fall"] and e.pain >= 7]
    long_pain = [e.on for e in entries if (e.on - ONSET).days > 14 and e.pain >= 1]
    for code, days in (("leg_one", leg), ("fall_severe_pain", fall)):
        assert flags[code].first_reported == min(days)
        assert flags[code].last_reported == max(days)
        assert flags[code].times_reported == len(days)
    assert flags["pain_over_two_weeks"].first_reported == min(long_pain)
