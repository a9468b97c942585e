"""The desk's call-number step (issue 14): time from a scan to the card with its proposed call
number, and the reading proposal's time per name.

    .venv/bin/python bench/bench_callnumber.py [--scans 200]

1. Scan → card in the browser (the issue's figure): headless Chromium at 1024×600 on the delivery
   page, a scanner's key burst typed, timed from its Enter to the row with its call-number card
   placed (the page's own kiosk:scanned event, performance.now() at both ends, as
   bench/bench_kiosk_pages.py measures the scan path); every card is checked to carry its
   proposal (推定). Then the same over HTTP alone, to show what the server's part is: the kiosk runs under waitress on
   127.0.0.1 on an SQLite file, offline, every scanned book in the cache (a cache hit, as most
   are at a desk) with no NDC and no reading, so each answer carries a proposal the kiosk made
   (class from the C-code, the name read by the analyser) and the card's HTML row with it. Each
   POST /deliveries/<id>/scans is timed from the request to the whole JSON answer. The issue's
   target (p95 < 100 ms) is for the browser; the browser adds parsing the answer and drawing
   the row, which bench/bench_kiosk_pages.py measures for the scan path without call numbers.
2. A reading proposal per name (kiosk.labels.readings.propose_name_reading) over the sample
   catalogue's Japanese names, after the first (which loads the dictionary): target < 5 ms.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402

from kiosk.codes.isbn import isbn13_check_digit  # noqa: E402
from kiosk.intake.delivery import open_intake  # noqa: E402
from kiosk.ledger.funds import Fund, Kind  # noqa: E402
from kiosk.library import create_library  # noqa: E402
from kiosk.lookup import BibRecord, Creator  # noqa: E402
from kiosk.lookup.cache import DatabaseCache  # noqa: E402
from report import Figure, emit  # noqa: E402

SCAN_TARGET_MS, NAME_TARGET_MS, WARM_UP = 100.0, 5.0, 20
NAMES = ("東野圭吾", "夏目漱石", "角野栄子", "宮沢賢治", "林明子", "青山剛昌", "那須正幹", "中川李枝子")


def isbn(n: int) -> str:
    body = f"97849{n:07d}"
    return body + isbn13_check_digit(body)


def record(n: int) -> BibRecord:
    """An openBD-like record: a C-code, a name without its reading, no NDC."""
    return BibRecord(isbn13=isbn(n), title=f"ベンチマークの本 その{n}", source="openbd", publisher="ベンチ出版",
                     c_code="0193", creators=(Creator(NAMES[n % len(NAMES)], role="著"),), year=2024)


def percentiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94]


@contextmanager
def kiosk_with_cached_books(scans: int, threads: int):
    """A kiosk under waitress on 127.0.0.1 (an SQLite file, offline, no sample catalogue) whose
    lookup cache knows every book the bench scans: (db, library_id, base URL)."""
    from waitress.server import create_server

    from tests.conftest import stop_waitress
    from web import create_app

    folder = tempfile.mkdtemp(prefix="bench-callnumber-")
    os.environ["KIOSK_SAMPLE_CATALOGUE"] = f"{folder}/none.tsv"
    app = create_app(f"sqlite:///{folder}/kiosk.sqlite3", {"SECRET_KEY": "bench", "LOOKUP_OFFLINE": True,
                                                          "SCANNER_DEVICE": None})
    db = app.extensions["kiosk_db"]
    with db.write() as session:
        library_id = create_library(session, "ベンチ小学校", actor="bench").id
    DatabaseCache(db).put_many(record(n) for n in range(WARM_UP + scans))
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield db, library_id, f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop_waitress(server, thread, app)
        db.dispose()


def scan_to_card(scans: int) -> None:
    times = []
    with kiosk_with_cached_books(scans, threads=4) as (db, library_id, base):
        intake = open_intake(db, library_id, source="ベンチ書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                             fund=Fund.CITY, actor="bench")
        with httpx.Client(base_url=base, timeout=30) as client:
            token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
            headers = {"X-CSRF-Token": token, "Accept": "application/json"}
            for n in range(WARM_UP + scans):
                started = time.perf_counter()
                reply = client.post(f"/deliveries/{intake}/scans", json={"code": isbn(n)}, headers=headers)
                body = reply.json()
                elapsed = (time.perf_counter() - started) * 1000
                call = body.get("item", {}).get("call_number") or {}
                if reply.status_code != 200 or call.get("top") != "913" or "推定" not in body["row"]:
                    raise SystemExit(f"scan {n}: no proposed call number on the card: {reply.status_code} {body}")
                if n >= WARM_UP:
                    times.append(elapsed)
    p50, p95 = percentiles(times)
    emit(Figure("scan -> card with its proposed call number, over HTTP, p95", p95, "ms", target=SCAN_TARGET_MS,
                bench="callnumber"))
    print(f"scan -> card with its proposed call number, over HTTP (cache hit, {scans} scans): p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms  (target p95 < {SCAN_TARGET_MS:.0f} ms in the browser)  "
          f"{'OK' if p95 < SCAN_TARGET_MS else 'MISSED'}")


def scan_to_card_in_browser(scans: int) -> None:
    from playwright.sync_api import sync_playwright

    from bench_kiosk_pages import CHROMIUM_ARGS, scan_times, start_delivery

    with kiosk_with_cached_books(scans, threads=8) as (_, _, base), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 600})
        start_delivery(page, base)
        times = scan_times(page, [isbn(n) for n in range(WARM_UP + scans)])[WARM_UP:]
        rows = page.locator("#items > li").count()  # the newest page of them
        cards = page.locator("#items > li:has(.callnumber .badge.estimated)").count()
        browser.close()
    if not rows or cards < rows:
        raise SystemExit(f"only {cards} of the {rows} cards on screen show a proposed (推定) call number")
    p50, p95 = percentiles(times)
    emit(Figure("scan -> card with its proposed call number, in Chromium, p95", p95, "ms", target=SCAN_TARGET_MS,
                bench="callnumber"))
    print(f"scan -> card with its proposed call number, in the browser (cache hit, {scans} scans, 1024x600): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms  "
          f"(target p95 < {SCAN_TARGET_MS:.0f} ms, ratio {p95 / SCAN_TARGET_MS:.2f})  "
          f"{'OK' if p95 < SCAN_TARGET_MS else 'MISSED'}")


def reading_per_name() -> None:
    from kiosk.lookup.assemble import sample_catalogue_path
    from kiosk.lookup.catalogue_import import import_catalogue
    from kiosk.labels.readings import propose_name_reading

    started = time.perf_counter()
    propose_name_reading("東野圭吾")
    first = (time.perf_counter() - started) * 1000
    names = [c.name for r in import_catalogue(sample_catalogue_path()).records for c in r.creators
             if re.search(r"[\u4e00-\u9fff]", c.name)]
    times = []
    for name in names:
        started = time.perf_counter()
        propose_name_reading(name)
        times.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(times)
    emit(Figure("reading proposal per name (sample catalogue), p95", p95, "ms", target=NAME_TARGET_MS,
                bench="callnumber"))
    print(f"reading proposal per name ({len(names)} names of the sample catalogue): first {first:.0f} ms (loads the "
          f"dictionary), then p50 {p50:.2f} ms, p95 {p95:.2f} ms  (target < {NAME_TARGET_MS:.0f} ms)  "
          f"{'OK' if p95 < NAME_TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=200)
    arguments = parser.parse_args()
    reading_per_name()
    scan_to_card_in_browser(arguments.scans)
    scan_to_card(arguments.scans)
