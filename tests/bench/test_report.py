"""bench/report.py: medians, noise, the comparison with an earlier report, the JSON (made-up figures,
no real benchmark)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from report import ENVIRONMENT, Figure, combine, compare, load_json, read_figures, table, write_json  # noqa: E402


def runs(name: str, values: list[float], unit: str = "ms", **fields) -> list[list[Figure]]:
    """One bench's figure as ``len(values)`` separate runs emitted it."""
    return [[Figure(name, value, unit, **fields)] for value in values]


def test_a_figure_is_the_median_of_its_runs_and_its_noise_their_spread():
    [figure] = combine(runs("scan p95", [12.0, 10.0, 30.0], anchor=None))
    assert figure.value == 12.0
    assert figure.runs == (12.0, 10.0, 30.0)
    assert figure.spread == 20.0


def test_the_anchor_is_the_median_of_the_anchors_measured_in_the_same_runs():
    measured = [[Figure("labels", v, "s", anchor=a, anchor_name="gLabels")] for v, a in ((0.5, 4.0), (0.6, 5.0),
                                                                                          (0.4, 9.0))]
    [figure] = combine(measured)
    assert (figure.value, figure.anchor) == (0.5, 5.0)
    assert figure.ratio == pytest.approx(0.1)


def test_a_figure_worse_by_more_than_the_noise_is_flagged_and_one_within_is_not():
    old = combine(runs("lookup p99", [1.0, 1.1, 1.2]) + runs("parse", [100.0, 110.0, 105.0], direction="higher"))
    within = combine(runs("lookup p99", [1.2, 1.3, 1.25]) + runs("parse", [98.0, 96.0, 97.0], direction="higher"))
    beyond = combine(runs("lookup p99", [1.5, 1.6, 1.55]) + runs("parse", [80.0, 82.0, 81.0], direction="higher"))
    assert [change.worse for change in compare(old, within)] == [False, False]
    changes = compare(old, beyond)
    assert [change.worse for change in changes] == [True, True]
    assert changes[0].noise == pytest.approx(0.2)  # the spread of the old runs (1.0 to 1.2)


def test_better_is_never_flagged_whichever_way_is_better():
    old = combine(runs("time", [10.0, 10.0, 10.0]) + runs("rate", [10.0, 10.0, 10.0], direction="higher"))
    new = combine(runs("time", [1.0, 1.0, 1.0]) + runs("rate", [100.0, 100.0, 100.0], direction="higher"))
    assert not any(change.worse for change in compare(old, new))


def test_with_fewer_than_three_runs_a_tenth_of_the_old_value_counts_as_noise():
    old = combine(runs("startup", [100.0]))
    assert not compare(old, combine(runs("startup", [109.0])))[0].worse
    assert compare(old, combine(runs("startup", [111.0])))[0].worse


def test_figures_only_in_one_report_are_not_compared():
    assert compare(combine(runs("gone", [1.0])), combine(runs("new", [5.0]))) == []


def test_ok_or_missed_against_the_value_or_the_ratio():
    assert Figure("p95", 29.0, "ms", target=30).verdict == "OK"
    assert Figure("p95", 31.0, "ms", target=30).verdict == "MISSED"
    assert Figure("rate", 190.0, "/s", target=200, direction="higher").verdict == "MISSED"
    assert Figure("labels", 0.4, "s", target=0.1, target_of="ratio", anchor=5.0).verdict == "OK"
    assert Figure("labels", 0.6, "s", target=0.1, target_of="ratio", anchor=5.0).verdict == "MISSED"
    assert Figure("labels", 0.6, "s", target=0.1, target_of="ratio").verdict == ""  # no anchor here: no verdict
    assert Figure("encoded", 3.0, "ms").verdict == ""


def test_the_report_survives_a_json_round_trip(tmp_path):
    figures = combine(runs("labels", [0.5, 0.7, 0.6], anchor=6.0, anchor_name="gLabels 3 batch", mode="process",
                           target=0.1, target_of="ratio", bench="labels")
                      + runs("ページ重さ", [120.0, 121.0, 119.0], unit="KB"))
    path = tmp_path / "report.json"
    write_json(path, figures, commit="abc1234", quick=False)
    assert load_json(path) == figures
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["commit"] == "abc1234"
    assert saved["figures"][0]["verdict"] == "OK" and saved["figures"][0]["spread"] == pytest.approx(0.2)


def test_a_bench_emits_to_the_file_named_by_the_environment_and_prints_as_before(tmp_path):
    lines = tmp_path / "figures.jsonl"
    code = ("from report import Figure, emit; print('human line'); "
            "emit(Figure('a', 1.5, 'ms', target=2)); emit(Figure('b', 3.0, '/s', direction='higher'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin", ENVIRONMENT: str(lines)})
    assert done.stdout == "human line\n"
    assert [(f.name, f.value) for f in read_figures(lines)] == [("a", 1.5), ("b", 3.0)]
    silent = subprocess.run([sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, check=True,
                            env={"PATH": "/usr/bin:/bin"})
    assert silent.stdout == "human line\n"


def test_the_table_shows_each_figure_and_flags_the_worse_ones():
    old = combine(runs("scan p95", [10.0, 10.5, 11.0]) + runs("steady", [5.0, 5.0, 5.0]))
    new = combine(runs("scan p95", [20.0, 21.0, 22.0], target=30) + runs("steady", [5.0, 5.1, 5.0]))
    text = table(new, compare(old, new))
    [scan] = [line for line in text.splitlines() if line.startswith("scan p95")]
    [steady] = [line for line in text.splitlines() if line.startswith("steady")]
    assert "OK" in scan and "WORSE (was 10.5" in scan
    assert "WORSE" not in steady


def test_a_figure_refuses_an_unknown_direction_or_mode():
    with pytest.raises(ValueError):
        Figure("x", 1.0, "ms", direction="up")
    with pytest.raises(ValueError):
        Figure("x", 1.0, "ms", mode="cold")
