"""What leaves the kiosk, at size, on SQLite (issue 16's targets):

    .venv/bin/python bench/bench_exports.py [--copies 100000] [--pdf-copies 10000]

Prints, each beside its target: the ledger PDF of 10,000 copies (< 5 s, < 200 MB), the xlsx and
MARC 21 exports of 100,000 copies (< 10 s each) and the audit's figures over 100,000 copies
(< 1 s). Memory is the process's peak resident size (ru_maxrss) after each step, so it only grows.
Then the xlsx and MARC exports and the ledger PDF again as a person runs them: `kiosk export` /
`kiosk report` each as a process of its own (start-up, imports, the read and the file written
included), with that process's own peak memory.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.db.storage import open_database  # noqa: E402
from kiosk.ledger.accession import MAX_COPIES_PER_REGISTRATION, Accession, Book, CopyRequest, register  # noqa: E402
from kiosk.ledger.exports import export  # noqa: E402
from kiosk.ledger.fiscal import fiscal_year  # noqa: E402
from kiosk.ledger.funds import Fund, Kind  # noqa: E402
from kiosk.ledger.year_figures import year_report  # noqa: E402
from kiosk.library import create_library  # noqa: E402
from printer.reports import report_pdf  # noqa: E402
from report import Figure, emit  # noqa: E402

ACCESSION = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ベンチ書店", on=date.today())


def fill(db, library_id: int, copies: int) -> None:
    for start in range(0, copies, MAX_COPIES_PER_REGISTRATION):
        batch = min(MAX_COPIES_PER_REGISTRATION, copies - start)
        requests = [CopyRequest(Book(f"ベンチマークの本 第{start + i // 3}巻", isbn=None, authors="著者 太郎",
                                     publisher="ベンチ出版", year=2020, classification="913", author_mark="ベ"),
                                price=1100) for i in range(batch)]
        register(db, library_id, ACCESSION, requests, actor="bench")


def timed(what: str, target_s: float, action) -> None:
    start = time.perf_counter()
    result = action()
    took = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = f", {len(result) / 1e6:.1f} MB out" if isinstance(result, bytes) else ""
    verdict = "ok" if took < target_s else "OVER"
    print(f"{what}: {took:.2f} s (target < {target_s:g} s) {verdict}; peak memory {peak_mb:.0f} MB{size}")
    emit(Figure(what, took, "s", target=target_s, bench="exports"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100_000)
    parser.add_argument("--pdf-copies", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        db = open_database(f"sqlite:///{directory}/bench.sqlite3")
        with db.write() as session:
            small = create_library(session, "ベンチ小学校", isil="JP-0000001", first_number=1, actor="bench").id
            large = create_library(session, "ベンチ中学校", isil="JP-0000002", first_number=1, actor="bench").id
        started = time.perf_counter()
        fill(db, small, args.pdf_copies)
        fill(db, large, args.copies)
        print(f"(registered {args.pdf_copies:,} + {args.copies:,} copies in {time.perf_counter() - started:.1f} s)")
        year = fiscal_year(date.today())
        timed(f"ledger PDF, {args.pdf_copies:,} copies", 5, lambda: report_pdf(db, small, "ledger", fiscal_year=year))
        timed(f"xlsx, {args.copies:,} copies", 10, lambda: export(db, large, "xlsx").data)
        timed(f"MARC 21, {args.copies:,} copies", 10, lambda: export(db, large, "marc").data)

        def audit():
            with db.read() as session:
                return year_report(session, large, year)

        timed(f"audit, {args.copies:,} copies", 1, audit)
        db.dispose()
        env = {**os.environ, "KIOSK_DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3", "KIOSK_STAFF": "bench",
               "KIOSK_DATA_DIR": directory}
        for what, target_s, library, command in (
                (f"kiosk export xlsx, {args.copies:,} copies", 10, "JP-0000002", ["export", "--format", "xlsx"]),
                (f"kiosk export marc, {args.copies:,} copies", 10, "JP-0000002", ["export", "--format", "marc"]),
                (f"kiosk report ledger, {args.pdf_copies:,} copies", 5, "JP-0000001",
                 ["report", "ledger", "--year", str(year)])):
            process(what, target_s, command + ["--library", library, "--output", f"{directory}/out"], env)


PEAK_SAYING = "peak-rss-kb="
# `python -m kiosk ARGUMENTS` that says its own peak memory on stderr as it ends, however it ends:
# VmHWM, not ru_maxrss, which Linux carries over from the (large) benchmark process that forked it.
RUN_KIOSK = ("import runpy, sys\n"
             "try:\n    runpy.run_module('kiosk', run_name='__main__')\n"
             "finally:\n    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
             f"    print('{PEAK_SAYING}' + hwm, file=sys.stderr)\n")


def process(what: str, target_s: float, arguments: list[str], env: dict) -> None:
    """``kiosk ARGUMENTS`` as its own process: wall time and that process's own peak memory."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN_KIOSK, *arguments], env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{what}: kiosk {' '.join(arguments)} failed: {done.stderr}")
    peak_mb = int(done.stderr.rsplit(PEAK_SAYING, 1)[1].split()[0]) / 1024
    verdict = "ok" if took < target_s else "OVER"
    print(f"{what} (whole process): {took:.2f} s (target < {target_s:g} s) {verdict}; peak memory {peak_mb:.0f} MB")
    emit(Figure(what, took, "s", target=target_s, mode="process", bench="exports"))
    emit(Figure(f"{what}, peak memory", peak_mb, "MB", target=200 if "ledger" in what else None, mode="process",
                bench="exports"))

if __name__ == "__main__":
    main()
