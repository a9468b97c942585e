"""Benchmarks of the lookup layer, printed with their targets.

    .venv/bin/python bench/bench_lookup.py [--quick]

1. DC-NDL records parsed per second (NDL Search SRU responses from the test fixtures).
2. The scan path: a scan written into a delivery's intake while the only remote source
   never answers (target: every scan recorded in < 50 ms; the lookup runs behind it).
3. Cache hits through the chain with 100,000 records in the database cache (bib_records on
   SQLite, and on PostgreSQL when KIOSK_TEST_POSTGRES_URL is set): target p99 < 2 ms.

The ISBNs generated here are only numbers with valid check digits, not books.
"""

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.codes.isbn import isbn13_check_digit  # noqa: E402
from kiosk.lookup.chain import BackgroundLookup, LookupChain  # noqa: E402
from kiosk.lookup.dcndl import parse_sru_response, read_candidates  # noqa: E402
from kiosk.lookup.record import BibRecord  # noqa: E402
from report import Figure, emit  # noqa: E402

FIXTURES = ROOT / "tests" / "lookup" / "fixtures" / "ndl"
PARSE_TARGET = 100.0      # records/s: a kiosk scans about one book a second
SUBMIT_TARGET_MS = 50.0
CACHE_TARGET_MS = 2.0


def isbns(count: int, start: int = 0) -> list[str]:
    out = []
    for n in range(start, start + count):
        body = f"97849{n:07d}"
        out.append(body + isbn13_check_digit(body))
    return out


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def bench_parse(rounds: int) -> None:
    bodies = [
        ((FIXTURES / "sru-xml-series-volume-9784999990016.xml").read_bytes(), "9784999990016"),
        ((FIXTURES / "sru-string-two-records-9784999990023.xml").read_bytes(), "9784999990023"),
        ((FIXTURES / "sru-xml-article-set-edition-book-9784999990030.xml").read_bytes(),
         "9784999990030"),
    ]
    per_round = sum(len(read_candidates(body)) for body, _ in bodies)
    started = time.perf_counter()
    for _ in range(rounds):
        for body, isbn13 in bodies:
            parse_sru_response(body, isbn13)
    elapsed = time.perf_counter() - started
    rate = per_round * rounds / elapsed
    print(f"DC-NDL records parsed per second: {rate:,.0f} records/s "
          f"({per_round * rounds} records in {elapsed:.2f} s; target >= {PARSE_TARGET:.0f}/s) "
          f"{verdict(rate >= PARSE_TARGET)}")
    emit(Figure("DC-NDL records parsed", rate, "/s", target=PARSE_TARGET, direction="higher", bench="lookup"))


class NeverAnswers:
    name, remote = "ndl", True

    def __init__(self):
        self.gate = threading.Event()

    def lookup(self, isbn13):
        self.gate.wait()
        return None


def bench_scan_path(count: int) -> None:
    """The whole scan path of a delivery: local lookup (database cache, sample), the copy
    written to the intake on an SQLite file, the remote lookup handed to the background,
    with a remote source that never answers."""
    import tempfile
    from datetime import date

    from kiosk.lookup.cache import DatabaseCache
    from kiosk.ledger.funds import Fund, Kind
    from kiosk.intake.delivery import open_intake
    from kiosk.intake.pending_lookups import IntakeScanner
    from kiosk.library import create_library
    from kiosk.db.storage import open_database

    source = NeverAnswers()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/scan-path.sqlite3")
        with db.write() as session:
            library_id = create_library(session, "bench", actor="bench").id
        intake = open_intake(db, library_id, source="bench", received_on=date.today(), kind=Kind.PURCHASE,
                             fund=Fund.CITY, actor="bench")
        chain = LookupChain([source], cache=DatabaseCache(db))
        background = BackgroundLookup(chain, workers=2)
        scanner = IntakeScanner(db, chain, background)
        times = []
        try:
            for isbn13 in isbns(count):
                started = time.perf_counter()
                scanner.scan(intake, isbn13)
                times.append((time.perf_counter() - started) * 1000)
        finally:
            source.gate.set()
            background.shutdown(wait=True, timeout=5)
            db.dispose()
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"Scan path (scan written to the intake on SQLite, remote source never answers): "
          f"median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms, max {times[-1]:.2f} ms "
          f"over {count} scans (target: every scan recorded < {SUBMIT_TARGET_MS:.0f} ms, "
          f"ratio {times[-1] / SUBMIT_TARGET_MS:.2f}) {verdict(times[-1] < SUBMIT_TARGET_MS)}")
    emit(Figure("scan written to a delivery, remote source silent, SQLite, max", times[-1], "ms", target=SUBMIT_TARGET_MS,
                bench="lookup"))


def bench_cache_hits(records: int, lookups: int) -> None:
    """Through the chain, with the real cache: the bib_records table of an SQLite file (and of
    PostgreSQL when KIOSK_TEST_POSTGRES_URL is set), holding ``records`` records."""
    import tempfile
    from kiosk.lookup.cache import DatabaseCache
    from kiosk.db.storage import open_database
    from postgres_schema import postgres_bench_url

    codes = isbns(records, start=1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        _bench_db_cache("SQLite", f"sqlite:///{tmp}/cache.sqlite3", codes, lookups, DatabaseCache, open_database)
    with postgres_bench_url() as url:
        if url is None:
            print("Cache-hit lookups on PostgreSQL: skipped (set KIOSK_TEST_POSTGRES_URL)")
            return
        _bench_db_cache("PostgreSQL", url, codes, lookups, DatabaseCache, open_database)


def _bench_db_cache(label, url, codes, lookups, cache_class, open_database) -> None:
    db = open_database(url)
    cache = cache_class(db)
    for start in range(0, len(codes), 10_000):
        cache.put_many(BibRecord(isbn13=code, title=f"bench {n}", source="ndl")
                       for n, code in enumerate(codes[start:start + 10_000], start))
    chain = LookupChain([NeverAnswers()], cache)
    times = []
    for n in range(lookups):
        code = codes[(n * 7919) % len(codes)]
        started = time.perf_counter()
        result = chain.lookup(code)
        times.append((time.perf_counter() - started) * 1000)
        assert result.source == "cache"
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"Cache-hit lookups, database cache on {label} ({len(codes):,} records): "
          f"{lookups / (sum(times) / 1000):,.0f}/s, p99 {p99:.3f} ms "
          f"(target p99 < {CACHE_TARGET_MS:.0f} ms, ratio {p99 / CACHE_TARGET_MS:.2f}) {verdict(p99 < CACHE_TARGET_MS)}")
    emit(Figure(f"cache-hit lookup, {len(codes):,} cached records, {label}, p99", p99, "ms", target=CACHE_TARGET_MS,
                bench="lookup"))
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (for CI)")
    args = parser.parse_args()
    bench_parse(rounds=50 if args.quick else 500)
    bench_scan_path(count=200 if args.quick else 1000)
    bench_cache_hits(records=100_000, lookups=2000 if args.quick else 20000)


if __name__ == "__main__":
    main()
