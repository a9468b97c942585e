"""Registration throughput, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_registration.py [--single 300] [--per-process 250]

Prints single-copy registrations per second (1 process, and 4 processes together), and the
time to register a 1,000-copy delivery in one transaction, each beside its target:
a 1,000-copy delivery under 0.2 s on both backends (issue 17; it was 1 s on SQLite); 4 processes >= 200 registrations/s on both
backends with zero duplicates. PostgreSQL runs when KIOSK_TEST_POSTGRES_URL (or
KIOSK_BENCH_POSTGRES_URL) is set, in a schema of its own that is dropped afterwards.
The SQLite figures are set beside the floor measured first in the same run: a bare sqlite3
insert loop with the kiosk's durability settings (bench/sqlite_floor.py).
"""

import argparse
import multiprocessing
import sys
import tempfile
import statistics
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from kiosk.ledger.accession import Accession, Book, CopyRequest, register  # noqa: E402
from kiosk.ledger.funds import Fund, Kind  # noqa: E402
from kiosk.library import create_library  # noqa: E402
from kiosk.db.models import Copy  # noqa: E402
from kiosk.db.storage import open_database  # noqa: E402
from postgres_schema import postgres_bench_url  # noqa: E402
from report import Figure, emit  # noqa: E402
from sqlite_floor import bare_inserts  # noqa: E402

ACCESSION = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ベンチ書店", on=date.today())
DELIVERY_TARGET_S = 0.2  # issue 17: batch the writes, on both backends
ONE = [CopyRequest(Book("ベンチマーク"), list_price=1000)]


def new_library(db, name: str) -> int:
    with db.write() as session:
        return create_library(session, name, first_number=1, actor="bench").id


def single_copies(url: str, library_id: int, count: int, barrier=None, results=None) -> None:
    db = open_database(url, migrate_if_needed=False)
    register(db, library_id, ACCESSION, ONE, actor="bench")  # warm the connection
    if barrier is not None:
        barrier.wait()
    start = time.perf_counter()
    for _ in range(count - 1):
        register(db, library_id, ACCESSION, ONE, actor="bench")
    end = time.perf_counter()
    if results is not None:
        results.put((start, end))
    db.dispose()


def run_backend(label: str, url: str, single: int, per_process: int, floor: dict | None = None) -> None:
    """``floor``: the bare SQLite insert loop's figures measured in this run (SQLite only)."""
    floor = floor or {}
    db = open_database(url)
    print(f"\n== {label}")

    library_id = new_library(db, "single")
    start = time.perf_counter()
    single_copies(url, library_id, single)
    elapsed = time.perf_counter() - start
    print(f"single-copy registrations, 1 process:   {single / elapsed:8.0f} /s   ({single} in {elapsed:.2f} s)")
    emit(Figure(f"single-copy registrations, 1 process, {label}", single / elapsed, "/s", direction="higher",
                anchor=floor.get("single"), anchor_name="bare SQLite insert+commit loop" if floor else None,
                bench="registration"))

    counter_lock_bound(db, label)

    library_id = new_library(db, "four")
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    workers = [context.Process(target=single_copies, args=(url, library_id, per_process, barrier, results))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    spans = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    total = 4 * (per_process - 1)
    with db.read() as session:
        numbers = list(session.scalars(select(Copy.number).where(Copy.library_id == library_id)))
    duplicates = len(numbers) - len(set(numbers))
    gap_free = sorted(numbers) == list(range(1, len(numbers) + 1))
    rate = total / elapsed
    print(f"single-copy registrations, 4 processes: {rate:8.0f} /s   target >= 200/s  "
          f"{'OK' if rate >= 200 else 'MISSED'}  (ratio {rate / 200:.2f}; duplicates {duplicates}, "
          f"gap-free {gap_free})")
    emit(Figure(f"single-copy registrations, 4 processes, {label}", rate, "/s", target=200, direction="higher",
                bench="registration"))
    emit(Figure(f"duplicate or missing numbers, 4 processes, {label}", duplicates + (0 if gap_free else 1), "",
                target=0, bench="registration"))

    library_id = new_library(db, "delivery")
    requests = [CopyRequest(Book(f"配本 {i}"), list_price=1000 + i) for i in range(1000)]
    start = time.perf_counter()
    register(db, library_id, ACCESSION, requests, actor="bench")
    elapsed = time.perf_counter() - start
    verdict = "OK" if elapsed < DELIVERY_TARGET_S else "MISSED"
    print(f"1,000-copy delivery, one transaction:   {elapsed:8.3f} s target < {DELIVERY_TARGET_S} s  {verdict} "
          f"(ratio {elapsed / DELIVERY_TARGET_S:.2f})")
    emit(Figure(f"1,000-copy delivery in one transaction, {label}", elapsed, "s", target=DELIVERY_TARGET_S,
                anchor=floor.get("delivery"), anchor_name="bare SQLite: 1,000 inserts, one commit" if floor else None,
                bench="registration"))
    db.dispose()


def counter_lock_bound(db, label: str, count: int = 200) -> None:
    """What bounds registrations from many processes: each holds its library's counter row (the
    UPDATE that takes its numbers) until its transaction commits, so they pass one at a time
    through that span, and no number of processes registers faster than 1 / (time held). Timed
    here from the counter's UPDATE leaving for the server to the commit's return, one process."""
    from sqlalchemy import event

    library_id, marks, held = new_library(db, "lock"), {}, []

    def before(_conn, _cursor, statement, *_):
        if statement.startswith("UPDATE libraries"):
            marks["locked"] = time.perf_counter()

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        for _ in range(count):
            register(db, library_id, ACCESSION, ONE, actor="bench")
            held.append((time.perf_counter() - marks["locked"]) * 1000)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    median = statistics.median(held)
    print(f"counter row held per registration:      {median:8.2f} ms (median of {count}) -> bound "
          f"{1000 / median:.0f} registrations/s however many processes")
    emit(Figure(f"counter row held per registration, {label}, median", median, "ms", bench="registration"))
    emit(Figure(f"registrations/s bound by the counter row, {label}", 1000 / median, "/s", direction="higher",
                bench="registration"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--single", type=int, default=300)
    parser.add_argument("--per-process", type=int, default=250)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        floor = bare_inserts(Path(tmp) / "floor.sqlite3", args.single)
        print(f"bare SQLite floor (sqlite3, WAL, synchronous=FULL): {floor['single']:8.0f} inserts+commits/s; "
              f"1,000 inserts in one transaction {floor['delivery']:.3f} s")
        run_backend("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.single, args.per_process, floor)
    with postgres_bench_url() as url:
        if url is None:
            print("\n== PostgreSQL: skipped (set KIOSK_TEST_POSTGRES_URL)")
            return
        run_backend("PostgreSQL", url, args.single, args.per_process)


if __name__ == "__main__":
    main()
