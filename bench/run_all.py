"""Every benchmark in bench/, several runs each, as one table (and JSON), compared with an earlier report.

    .venv/bin/python bench/run_all.py [--quick] [--runs N] [--json FILE] [--compare OLD.json] [--only NAME,...]

scripts/bench.sh installs what the benches need and calls this. Each bench script runs as its own
process, ``--runs`` times (3 by default, 1 with ``--quick``, which also uses each bench's small
sizes), with BENCH_FIGURES naming a file it appends its figures to (bench/report.py). A figure is
the median of its runs; the spread of the runs is its noise. With ``--compare``, a figure worse
than in OLD.json by more than that noise is flagged WORSE and the exit status is 3. A bench that
fails is named at the end and the exit status is 1; the others are still reported.
PostgreSQL figures appear when KIOSK_TEST_POSTGRES_URL (or KIOSK_BENCH_POSTGRES_URL) is set.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from report import ENVIRONMENT, combine, compare, load_json, read_figures, table, write_json  # noqa: E402


@dataclass(frozen=True)
class Bench:
    name: str
    full: tuple[str, ...] = ()  # arguments of the full run (the bench's own defaults when empty)
    quick: tuple[str, ...] = ()  # arguments of the --quick run: small sizes
    quick_env: tuple[tuple[str, str], ...] = ()

    @property
    def script(self) -> Path:
        return BENCH / f"bench_{self.name}.py"


BENCHES = (
    Bench("startup", quick=("--runs", "3", "--no-anchor")),
    Bench("labels", quick_env=(("BENCH_LABELS_RUNS", "1"),)),
    Bench("barcodes", quick=("--runs", "3")),
    Bench("scan", quick=("--codes", "20000", "--scans", "200")),
    Bench("scan_latency", quick=("--scans", "200")),
    Bench("scan_http", quick=("--scans", "40", "--sizes", "10,1000")),
    Bench("kiosk_pages", quick=("--scans", "30")),
    Bench("registration", quick=("--single", "100", "--per-process", "60")),
    Bench("lookup", quick=("--quick",)),
    Bench("exports", quick=("--copies", "10000", "--pdf-copies", "2000")),
    Bench("readings"),
    Bench("callnumber", quick=("--scans", "30")),
    Bench("school_day", quick=("--books", "60", "--fetches", "2")),
    Bench("camera", quick=("--seconds", "8")),
)


def run_bench(bench: Bench, quick: bool, figures_file: Path, timeout: float) -> bool:
    """One run of one bench, its output shown as it goes; True when it ended well."""
    env = {**os.environ, ENVIRONMENT: str(figures_file), **(dict(bench.quick_env) if quick else {})}
    arguments = bench.quick if quick else bench.full
    try:
        done = subprocess.run([sys.executable, str(bench.script), *arguments], cwd=ROOT, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"bench_{bench.name}: stopped after {timeout:.0f} s", flush=True)
        return False
    return done.returncode == 0


def git_commit() -> str | None:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each bench at small sizes")
    parser.add_argument("--runs", type=int, help="runs of each bench (default 3, 1 with --quick)")
    parser.add_argument("--json", type=Path, help="where to write the report (default bench/reports/<time>.json)")
    parser.add_argument("--compare", type=Path, help="an earlier report's JSON: flag figures that got worse")
    parser.add_argument("--only", help="comma-separated bench names (startup, labels, …): run only these")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one bench run may take")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    chosen = BENCHES
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {b.name for b in BENCHES}
        if unknown:
            parser.error(f"no such bench: {', '.join(sorted(unknown))} (known: {', '.join(b.name for b in BENCHES)})")
        chosen = tuple(b for b in BENCHES if b.name in wanted)
    old = load_json(args.compare) if args.compare else None
    if args.compare and json.loads(args.compare.read_text(encoding="utf-8")).get("quick") != args.quick:
        print(f"warning: {args.compare} is {'not ' if args.quick else ''}a --quick report and this run is"
              f"{'' if args.quick else ' not'}: some figures are measured at other sizes", flush=True)
    started = time.monotonic()
    failed, figures = [], []
    with tempfile.TemporaryDirectory(prefix="bench-figures-") as folder:
        for bench in chosen:
            bench_runs = []
            for run in range(1, runs + 1):
                print(f"\n== bench_{bench.name}.py, run {run} of {runs}{' (quick)' if args.quick else ''}", flush=True)
                figures_file = Path(folder) / f"{bench.name}-{run}.jsonl"
                if not run_bench(bench, args.quick, figures_file, args.timeout):
                    failed.append(f"bench_{bench.name}.py (run {run})")
                bench_runs.append(read_figures(figures_file))
            figures += combine(bench_runs)
    changes = compare(old, figures) if old is not None else None
    print(f"\n== One report: {len(figures)} figures, {runs} run(s) each{', quick sizes' if args.quick else ''}, "
          f"{(time.monotonic() - started) / 60:.1f} min; project = median of the runs, ±noise = their spread, "
          f"ratio = project / anchor\n")
    print(table(figures, changes))
    target = args.json or BENCH / "reports" / f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}{'-quick' if args.quick else ''}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_json(target, figures, measured_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
               commit=git_commit(), quick=args.quick, runs=runs, python=platform.python_version(), cpus=os.cpu_count(),
               failed=failed)
    print(f"\nJSON: {target}")
    if changes is not None:
        worse = [change for change in changes if change.worse]
        missing = {f.name for f in old} - {f.name for f in figures}
        print(f"Against {args.compare}: {len(changes)} figures compared, {len(worse)} worse than the noise"
              + (f", {len(missing)} not measured this time" if missing else ""))
        for change in worse:
            print(f"  WORSE: {change.name}: {change.old:.4g} -> {change.new:.4g} (noise {change.noise:.3g})")
    if failed:
        print("Failed: " + ", ".join(failed))
        return 1
    return 3 if changes and any(change.worse for change in changes) else 0


if __name__ == "__main__":
    sys.exit(main())
