"""Session timing rules (routines/timing.py): plain unit tests, no database."""

import pytest

from routines import timing
from routines.timing import StepTiming


def test_one_sided_step_is_get_ready_plus_holds_plus_rests_between():
    step = StepTiming(hold_seconds=20, repeats=2)
    # get ready + 2 holds + 1 rest between them
    assert timing.step_seconds(step) == timing.GET_READY_SECONDS + 2 * 20 + timing.REST_SECONDS


def test_per_side_step_counts_both_sides_and_the_switch():
    step = StepTiming(hold_seconds=30, repeats=3, per_side=True)
    expected = (
        timing.GET_READY_SECONDS
        + 2 * 3 * 30  # holds × repeats × sides
        + 2 * timing.REST_SECONDS  # rests between the 3 repeats
        + 3 * timing.SWITCH_SECONDS  # a switch inside each repeat
    )
    assert timing.step_seconds(step) == expected
    assert step.holds == 6


def test_single_hold_has_no_rest():
    assert timing.step_seconds(StepTiming(hold_seconds=10, repeats=1)) == (
        timing.GET_READY_SECONDS + 10
    )


def test_estimate_is_the_sum_of_steps_and_the_plan_agrees():
    steps = [
        StepTiming(hold_seconds=20, repeats=2),
        StepTiming(hold_seconds=25, repeats=3, per_side=True),
        StepTiming(hold_seconds=60, repeats=1),
    ]
    total = timing.estimate_seconds(steps)
    assert total == sum(timing.step_seconds(s) for s in steps)
    assert total == sum(phase.seconds for phase in timing.plan(steps))
    assert timing.estimate_seconds([]) == 0


def test_plan_order_each_repeat_is_side_one_then_side_two():
    phases = timing.plan([StepTiming(hold_seconds=20, repeats=2, per_side=True)])
    assert [(p.kind, p.side) for p in phases] == [
        ("get_ready", 0),
        ("hold", 1),
        ("switch", 2),
        ("hold", 2),
        ("rest", 1),
        ("hold", 1),
        ("switch", 2),
        ("hold", 2),
    ]
    holds = [p for p in phases if p.kind == "hold"]
    assert [(p.side, p.repeat, p.repeats) for p in holds] == [
        (1, 1, 2),
        (2, 1, 2),
        (1, 2, 2),
        (2, 2, 2),
    ]


def test_hold_text_states_the_side_order():
    text = timing.hold_text(StepTiming(hold_seconds=20, repeats=2, per_side=True))
    assert text.endswith(timing.ORDER_TEXT)
    assert timing.ORDER_TEXT not in timing.hold_text(StepTiming(hold_seconds=20, repeats=2))


def test_plan_numbers_steps_in_order():
    phases = timing.plan([StepTiming(20, 1), StepTiming(30, 1)])
    assert [(p.kind, p.step, p.seconds) for p in phases] == [
        ("get_ready", 0, timing.GET_READY_SECONDS),
        ("hold", 0, 20),
        ("get_ready", 1, timing.GET_READY_SECONDS),
        ("hold", 1, 30),
    ]
    assert phases[1].as_dict() == {
        "kind": "hold",
        "seconds": 20,
        "step": 0,
        "repeat": 1,
        "repeats": 1,
        "side": 0,
    }


def test_remaining_seconds_from_a_step():
    steps = [StepTiming(20, 2), StepTiming(30, 1)]
    assert timing.remaining_seconds(steps, from_step=0) == timing.estimate_seconds(steps)
    assert timing.remaining_seconds(steps, from_step=1) == timing.GET_READY_SECONDS + 30
    assert timing.remaining_seconds(steps, from_step=2) == 0


@pytest.mark.parametrize("hold", [10, 60])
def test_hold_bounds_are_inclusive(hold):
    timing.check_hold(hold)


@pytest.mark.parametrize("hold", [0, 9, 61, 600])
def test_hold_outside_bounds_is_refused(hold):
    with pytest.raises(ValueError):
        timing.check_hold(hold)
    with pytest.raises(ValueError):
        timing.step_seconds(StepTiming(hold_seconds=hold, repeats=2))


@pytest.mark.parametrize(("repeats", "ok"), [(0, False), (1, True), (5, True), (6, False)])
def test_repeat_bounds(repeats, ok):
    if ok:
        timing.check_repeats(repeats)
    else:
        with pytest.raises(ValueError):
            timing.check_repeats(repeats)


@pytest.mark.parametrize(
    ("hold", "repeats", "expected"),
    [
        (20, 2, []),
        (30, 3, []),
        (10, 2, ["Shorter than the advised 20–30 second hold."]),
        (45, 2, ["Longer than the advised 20–30 second hold: ease off if it hurts."]),
        (20, 1, ["Fewer than the advised 2–3 repeats."]),
        (
            60,
            5,
            [
                "Longer than the advised 20–30 second hold: ease off if it hurts.",
                "More than the advised 2–3 repeats: stop if you tire or it hurts.",
            ],
        ),
    ],
)
def test_advice_notes_outside_the_guides_advice(hold, repeats, expected):
    assert timing.advice_notes(StepTiming(hold_seconds=hold, repeats=repeats)) == expected


def test_advice_uses_the_stretchs_own_range():
    step = StepTiming(hold_seconds=10, repeats=2, advised_hold=(10, 15))
    assert timing.advice_notes(step) == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 minutes"),
        (45, "under a minute"),
        (60, "1 minute"),
        (89, "1 minute"),
        (330, "6 minutes"),
    ],
)
def test_minutes_text(seconds, text):
    assert timing.minutes_text(seconds) == text


def test_duration_text():
    assert timing.duration_text(0) == "0:00"
    assert timing.duration_text(75) == "1:15"
    assert timing.duration_text(-3) == "0:00"
