"""One benchmark report: the figures every bench script emits, their medians over several runs,
the table, its JSON, and the comparison with an earlier JSON.

A bench script calls ``emit(Figure(...))`` beside its human line: when the environment variable
BENCH_FIGURES names a file, the figure is appended to it as one JSON line (bench/run_all.py sets
it); otherwise nothing happens, so a bench run by hand prints exactly what it printed before.

- ``value``: this project's figure; ``anchor``: the same work done by the anchor (gLabels, zint,
  python-barcode alone, a bare SQLite loop…) measured in the same run, or None.
- ``ratio`` = value / anchor (for a time, below 1 means faster than the anchor; for a rate,
  above 1 means more per second than the anchor).
- ``target`` applies to the value, or to the ratio when ``target_of == "ratio"``; ``direction``
  says which way is better ("lower" for times and sizes, "higher" for rates).
- ``mode``: "process" (a whole process, as a person runs the CLI) or "warm" (inside a running
  kiosk or process, as the web app works).
- ``runs``: every run's value; the figure's value is their median and the noise is their spread
  (highest minus lowest).
"""

from __future__ import annotations

import json
import os
import statistics
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

ENVIRONMENT = "BENCH_FIGURES"
# With fewer than three runs on either side there is no spread to speak of: a change under this
# fraction of the old value is taken as noise.
FEW_RUNS_NOISE = 0.10


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None
    direction: str = "lower"  # "lower" or "higher" is better
    anchor: float | None = None
    anchor_name: str | None = None
    mode: str = "warm"  # "process" or "warm"
    target_of: str = "value"  # "value" or "ratio"
    bench: str = ""
    runs: tuple[float, ...] = field(default=())

    def __post_init__(self):
        if self.direction not in ("lower", "higher"):
            raise ValueError(f"direction must be lower or higher, not {self.direction!r}")
        if self.mode not in ("process", "warm"):
            raise ValueError(f"mode must be process or warm, not {self.mode!r}")
        if self.target_of not in ("value", "ratio"):
            raise ValueError(f"target_of must be value or ratio, not {self.target_of!r}")

    @property
    def ratio(self) -> float | None:
        return self.value / self.anchor if self.anchor else None

    @property
    def spread(self) -> float:
        """The noise of this figure: highest run minus lowest (0 for a single run)."""
        return max(self.runs) - min(self.runs) if len(self.runs) > 1 else 0.0

    @property
    def verdict(self) -> str:
        """OK, MISSED, or "" when the figure has no target (or its target is on a missing ratio)."""
        measured = self.ratio if self.target_of == "ratio" else self.value
        if self.target is None or measured is None:
            return ""
        return "OK" if better_or_equal(measured, self.target, self.direction) else "MISSED"

    def to_json(self) -> dict:
        return {**asdict(self), "runs": list(self.runs), "ratio": self.ratio, "spread": self.spread,
                "verdict": self.verdict}

    @classmethod
    def from_json(cls, data: dict) -> Figure:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**{**known, "runs": tuple(known.get("runs", ()))})


def better_or_equal(value: float, target: float, direction: str) -> bool:
    return value <= target if direction == "lower" else value >= target


def emit(figure: Figure) -> Figure:
    """Append ``figure`` to the file named by BENCH_FIGURES, when it is set."""
    path = os.environ.get(ENVIRONMENT)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(figure.to_json(), ensure_ascii=False) + "\n")
    return figure


def read_figures(path: Path) -> list[Figure]:
    """The figures one bench run appended (JSON lines)."""
    if not path.exists():
        return []
    return [Figure.from_json(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]


def combine(runs: list[list[Figure]]) -> list[Figure]:
    """One figure per name over several runs: the median value and anchor, every run's value kept.
    Names keep the order they first appeared in."""
    grouped: dict[str, list[Figure]] = {}
    for figures in runs:
        for figure in figures:
            grouped.setdefault(figure.name, []).append(figure)
    combined = []
    for name, figures in grouped.items():
        values = [f.value for f in figures]
        anchors = [f.anchor for f in figures if f.anchor is not None]
        combined.append(replace(figures[0], value=statistics.median(values), runs=tuple(values),
                                anchor=statistics.median(anchors) if anchors else None))
    return combined


@dataclass(frozen=True)
class Change:
    name: str
    old: float
    new: float
    noise: float
    worse: bool


def noise(old: Figure, new: Figure) -> float:
    """How far a figure may move by chance: the larger spread of the two sets of runs, and at least
    FEW_RUNS_NOISE of the old value when either was measured fewer than three times."""
    spread = max(old.spread, new.spread)
    if min(len(old.runs), len(new.runs)) < 3:
        spread = max(spread, abs(old.value) * FEW_RUNS_NOISE)
    return spread


def compare(old: list[Figure], new: list[Figure]) -> list[Change]:
    """Each figure present in both, with ``worse`` set when it moved the wrong way by more than the noise."""
    before = {figure.name: figure for figure in old}
    changes = []
    for figure in new:
        previous = before.get(figure.name)
        if previous is None:
            continue
        allowed = noise(previous, figure)
        moved = figure.value - previous.value if figure.direction == "lower" else previous.value - figure.value
        changes.append(Change(figure.name, previous.value, figure.value, allowed, moved > allowed))
    return changes


def write_json(path: Path, figures: list[Figure], **about) -> None:
    path.write_text(json.dumps({**about, "figures": [f.to_json() for f in figures]}, ensure_ascii=False, indent=1)
                    + "\n", encoding="utf-8")


def load_json(path: Path) -> list[Figure]:
    return [Figure.from_json(item) for item in json.loads(Path(path).read_text(encoding="utf-8"))["figures"]]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _target(figure: Figure) -> str:
    if figure.target is None:
        return "—"
    sign = "≤" if figure.direction == "lower" else "≥"
    return f"ratio {sign} {_number(figure.target)}" if figure.target_of == "ratio" else \
        f"{sign} {_number(figure.target)}"


def table(figures: list[Figure], changes: list[Change] | None = None) -> str:
    """The report as fixed-width text: one row per figure."""
    worse = {change.name: change for change in changes or () if change.worse}
    header = ("figure", "unit", "project", "±noise", "anchor", "anchor is", "ratio", "target", "met", "mode", "runs")
    rows = [header]
    for f in figures:
        rows.append((f.name, f.unit, _number(f.value), _number(f.spread) if len(f.runs) > 1 else "—",
                     _number(f.anchor), f.anchor_name or "—", f"{f.ratio:.3g}" if f.ratio else "—", _target(f),
                     f.verdict, f.mode, str(len(f.runs)))
                    + ((f"WORSE (was {_number(worse[f.name].old)}, noise {_number(worse[f.name].noise)})",)
                       if f.name in worse else ()))
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) if i < len(widths) else cell for i, cell in enumerate(row)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths).rstrip())
    return "\n".join(lines)
