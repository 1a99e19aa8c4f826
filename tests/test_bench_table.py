"""scripts/bench.py's arithmetic: the paired ratio and which targets its table calls met."""

import importlib.util
import io
import math
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "bench", Path(__file__).resolve().parent.parent / "scripts" / "bench.py"
)
bench = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench)


def test_the_paired_ratio_compares_each_repeat_with_its_own_baseline():
    # The machine slowed in the second repeat and sped up in the third: each repeat's
    # page is still 0.6 of the ceiling measured beside it.
    pages, ceilings = [60.0, 30.0, 240.0], [100.0, 50.0, 400.0]
    assert bench.paired_ratio(pages, ceilings) == pytest.approx(0.6)
    assert bench.ratio(60.0, 100.0) == pytest.approx(0.6)
    # The ceiling's third repeat fell in a slow spell: its median (100) comes from the
    # slow repeat, so the ratio of medians reads 1.2; repeat by repeat the page is 0.6.
    assert bench.paired_ratio([60.0, 120.0, 300.0], [100.0, 200.0, 100.0]) == pytest.approx(0.6)
    assert bench.ratio(120.0, 100.0) == pytest.approx(1.2)


def test_a_repeat_without_a_reading_is_left_out():
    assert bench.paired_ratio([50.0, float("nan")], [100.0, 100.0]) == pytest.approx(0.5)
    assert math.isnan(bench.paired_ratio([50.0], [0.0]))  # a baseline with no reading
    assert math.isnan(bench.paired_ratio([], []))


def row(ratio: float, errors: int = 0, target: float | None = 0.6) -> "bench.Row":
    return bench.Row(
        "sqlite", 16, "/symptoms/ signed in", 100.0, 10.0, 20.0, 0.05,
        bench.CEILING_PAGE, ratio, ratio + 0.01, target, errors, "",
    )  # fmt: skip


def test_a_target_is_met_only_at_or_above_it_and_without_errors():
    assert row(0.6).met and row(0.75).met
    assert not row(0.59).met
    assert not row(0.9, errors=1).met
    assert not row(float("nan")).met
    assert not row(1.0, target=None).met  # a baseline has no target


def test_the_table_prints_both_ratios_and_the_summary_names_what_is_missed(capsys):
    out = io.StringIO()
    bench.print_table([row(0.62), row(0.41)], file=out)
    lines = out.getvalue().splitlines()
    assert "| ratio | paired |" in lines[0]
    assert "| 0.62 | 0.63 | ceiling page |" in lines[2] and "| yes |" in lines[2]
    assert "| 0.41 | 0.42 | ceiling page |" in lines[3] and "| NO |" in lines[3]
    bench.summary([row(0.62), row(0.41)])
    said = capsys.readouterr().out
    assert "Targets met: 1 of 2" in said
    assert "NOT met: sqlite c=16 /symptoms/ signed in: 0.41 (paired 0.42; target 0.60)" in said
