"""Benchmarks of the lookup layer, printed with their targets.

    .venv/bin/python bench/bench_lookup.py [--quick]

1. DC-NDL records parsed per second (NDL Search SRU responses from the test fixtures).
2. The scan path: time for BackgroundLookup.submit when the only source never answers
   (target: every submit returns in < 50 ms; the scan is recorded before the lookup).
3. Chain overhead on a cache hit with 100,000 records in the in-memory cache (the
   database cache's own benchmark, target p99 < 2 ms, belongs with the storage code).

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

from kiosk.isbn import isbn13_check_digit  # noqa: E402
from kiosk.lookup.chain import BackgroundLookup, LookupChain, MemoryCache  # noqa: E402
from kiosk.lookup.dcndl import parse_sru_response, read_candidates  # noqa: E402
from kiosk.lookup.record import BibRecord  # noqa: E402

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


class NeverAnswers:
    name, remote = "ndl", True

    def __init__(self):
        self.gate = threading.Event()

    def lookup(self, isbn13):
        self.gate.wait()
        return None


def bench_submit(count: int) -> None:
    source = NeverAnswers()
    background = BackgroundLookup(LookupChain([source]), workers=2)
    times = []
    try:
        for isbn13 in isbns(count):
            started = time.perf_counter()
            background.submit(isbn13, lambda result: None)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        source.gate.set()
        background.shutdown(wait=True, timeout=5)
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"Scan path, BackgroundLookup.submit with a source that never answers: "
          f"median {statistics.median(times):.3f} ms, p99 {p99:.3f} ms, max {times[-1]:.3f} ms "
          f"over {count} submits (target: every submit < {SUBMIT_TARGET_MS:.0f} ms) "
          f"{verdict(times[-1] < SUBMIT_TARGET_MS)}")


def bench_cache_hits(records: int, lookups: int) -> None:
    codes = isbns(records, start=1_000_000)
    cache = MemoryCache(BibRecord(isbn13=code, title=f"bench {n}", source="ndl")
                        for n, code in enumerate(codes))
    chain = LookupChain([NeverAnswers()], cache)
    times = []
    for n in range(lookups):
        code = codes[(n * 7919) % records]
        started = time.perf_counter()
        result = chain.lookup(code)
        times.append((time.perf_counter() - started) * 1000)
        assert result.source == "cache"
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"Cache-hit lookups through LookupChain ({records:,} records, in-memory cache): "
          f"{lookups / (sum(times) / 1000):,.0f}/s, p99 {p99:.3f} ms "
          f"(target p99 < {CACHE_TARGET_MS:.0f} ms; chain overhead only) "
          f"{verdict(p99 < CACHE_TARGET_MS)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (for CI)")
    args = parser.parse_args()
    bench_parse(rounds=50 if args.quick else 500)
    bench_submit(count=200 if args.quick else 2000)
    bench_cache_hits(records=100_000, lookups=2000 if args.quick else 20000)


if __name__ == "__main__":
    main()
