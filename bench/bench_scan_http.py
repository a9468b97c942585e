"""Per-scan cost over real HTTP as a delivery grows, and the weight of a long delivery's page.

    .venv/bin/python bench/bench_scan_http.py [--scans 200] [--sizes 10,1000,5000]

The kiosk runs under waitress on 127.0.0.1 (as `kiosk serve` runs it) on an SQLite file, and
again on PostgreSQL when KIOSK_TEST_POSTGRES_URL is set (in a schema of its own, dropped at
the end). Lookups are offline; the scanned books are in the cache, as most are at a desk.

For each size, one delivery is pre-filled with that many copies (in one transaction, rows as
kiosk.intake.delivery.add_scan writes them), then ``--scans`` scans are posted one by one to each
delivery in turn (round robin, so load on the machine falls on every size alike) to
POST /deliveries/<id>/scans, each timed from the request to the whole JSON answer (the copy,
its row, the counts). Prints p50/p95 per size, their ratio to the 10-copy figures, and OK or
MISSED against the targets: p95 < 30 ms at every size, and the median at any size under 1.5×
the 10-copy median (the p95 ratio is printed too; one loaded moment moves it more).
Then the scan screen of a 2,000-copy delivery, GET /deliveries/<id>, with its CSS and
scripts: target < 300 KB.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from kiosk.lookup.cache import DatabaseCache  # noqa: E402
from kiosk.events import now  # noqa: E402
from kiosk.ledger.funds import Fund, Kind  # noqa: E402
from kiosk.intake.delivery import open_intake  # noqa: E402
from kiosk.codes.isbn import isbn13_check_digit  # noqa: E402
from kiosk.library import create_library  # noqa: E402
from kiosk.lookup import BibRecord, Creator  # noqa: E402
from kiosk.db.models import IntakeItem  # noqa: E402
from report import Figure, emit  # noqa: E402

P95_TARGET_MS, RATIO_TARGET, PAGE_TARGET_KB, PAGE_COPIES = 30.0, 1.5, 300, 2000
WARM_UP = 20  # untimed scans at each size


def isbn(n: int) -> str:
    body = f"97849{n:07d}"
    return body + isbn13_check_digit(body)


def record(n: int) -> BibRecord:
    return BibRecord(isbn13=isbn(n), title=f"ベンチマークの本 その{n}", source="ndl", publisher="ベンチ出版",
                     creators=(Creator("著者 太郎", role="著"),), year=2024, ndc9="913.6")


def prefill(db, intake_id: int, copies: int, first: int) -> None:
    """``copies`` copies on the delivery, as add_scan writes them, in one transaction."""
    at = now()
    rows = [{"intake_id": intake_id, "scanned_at": at, "isbn13": isbn(n), "slip_line_id": None,
             "record": record(n).to_json(), "list_price": 1200, "c_code": None, "inspection": "pending",
             "removed": False} for n in range(first, first + copies)]
    with db.write() as session:
        for start in range(0, len(rows), 1000):
            session.connection().execute(IntakeItem.__table__.insert(), rows[start:start + 1000])


def run_backend(label: str, url: str, sizes: list[int], scans: int) -> None:
    from waitress.server import create_server

    from tests.conftest import stop_waitress
    from web import create_app

    app = create_app(url, {"SECRET_KEY": "bench", "LOOKUP_OFFLINE": True, "SCANNER_DEVICE": None})
    db = app.extensions["kiosk_db"]
    with db.write() as session:
        library_id = create_library(session, "ベンチ小学校", actor="bench").id
    scanned_from = 1_000_000  # the books scanned during the run: all in the cache
    DatabaseCache(db).put_many(record(n) for n in range(scanned_from, scanned_from + (WARM_UP + scans) * len(sizes)))
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    results: dict[int, tuple[float, float]] = {}
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
            headers = {"X-CSRF-Token": token, "Accept": "application/json"}
            prefilled, intakes = 0, {}
            for size in sizes:
                intakes[size] = _intake(db, library_id)
                prefill(db, intakes[size], size, prefilled)
                prefilled += size
            page_intake = _intake(db, library_id)
            prefill(db, page_intake, PAGE_COPIES, prefilled)
            # Round robin over the sizes, so a busy moment on the machine falls on every size alike.
            times: dict[int, list[float]] = {size: [] for size in sizes}
            next_isbn = scanned_from
            for n in range(WARM_UP + scans):  # the first few warm the pool, caches and templates
                for size in sizes:
                    started = time.perf_counter()
                    reply = client.post(f"/deliveries/{intakes[size]}/scans", json={"code": isbn(next_isbn)},
                                        headers=headers)
                    body = reply.json()
                    if n >= WARM_UP:
                        times[size].append((time.perf_counter() - started) * 1000)
                    if reply.status_code != 200 or not body["ok"] or not body["item"]["title"]:
                        raise SystemExit(f"scan refused at {size} copies: {reply.status_code} {body}")
                    next_isbn += 1
            for size in sizes:
                cuts = statistics.quantiles(times[size], n=100, method="inclusive")
                results[size] = (cuts[49], cuts[94])
            started = time.perf_counter()
            page = client.get(f"/deliveries/{page_intake}")
            page_ms = (time.perf_counter() - started) * 1000
            assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
            asset_bytes = sum(len(client.get(path).content) for path in assets)
    finally:
        stop_waitress(server, thread, app)
        db.dispose()
    base_p50, base_p95 = results[sizes[0]]
    for size, (p50, p95) in results.items():
        ratio50, ratio95 = p50 / base_p50, p95 / base_p95
        ok = p95 < P95_TARGET_MS and ratio50 < RATIO_TARGET
        emit(Figure(f"scan -> answer over HTTP at {size:,} copies, {label}, p95", p95, "ms", target=P95_TARGET_MS,
                    bench="scan_http"))
        if size != sizes[0]:
            emit(Figure(f"scan -> answer over HTTP at {size:,} copies, {label}, p50", p50, "ms", target=RATIO_TARGET,
                        target_of="ratio", anchor=base_p50, anchor_name=f"the same at {sizes[0]} copies",
                        bench="scan_http"))
        print(f"{label:<10} scan -> answer at {size:>5,} copies ({scans} scans): p50 {p50:6.2f} ms, p95 {p95:6.2f} ms; "
              f"x{ratio50:.2f} / x{ratio95:.2f} the {sizes[0]}-copy p50 / p95  "
              f"(target p95 < {P95_TARGET_MS:.0f} ms, p50 ratio < {RATIO_TARGET})  {'OK' if ok else 'MISSED'}")
    total = len(page.content) + asset_bytes
    emit(Figure(f"GET /deliveries/<id> at {PAGE_COPIES:,} copies with CSS/JS, {label}", total / 1024, "KB",
                target=PAGE_TARGET_KB, bench="scan_http"))
    print(f"{label:<10} GET /deliveries/<id> at {PAGE_COPIES:,} copies: {len(page.content) / 1024:.1f} KB HTML + "
          f"{asset_bytes / 1024:.1f} KB CSS/JS = {total / 1024:.1f} KB in {page_ms:.0f} ms  "
          f"(target < {PAGE_TARGET_KB} KB)  {'OK' if total < PAGE_TARGET_KB * 1024 else 'MISSED'}")


def _intake(db, library_id: int) -> int:
    return open_intake(db, library_id, source="ベンチ書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                       fund=Fund.CITY, actor="bench")


def postgres_schema(admin_url: str):
    """A fresh schema on the server for this run: (URL that uses it, drop function)."""
    from sqlalchemy import create_engine, text

    from kiosk.db.storage import normalise_url

    schema = f"kiosk_bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(normalise_url(admin_url))
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()

    separator = "&" if "?" in admin_url else "?"
    return f"{admin_url}{separator}options={quote(f'-csearch_path={schema}')}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--sizes", default="10,1000,5000", help="copies on the delivery before the timed scans")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KIOSK_SAMPLE_CATALOGUE"] = f"{tmp}/none.tsv"
        run_backend("SQLite", f"sqlite:///{tmp}/bench.sqlite3", sizes, args.scans)
    admin_url = os.environ.get("KIOSK_TEST_POSTGRES_URL")
    if admin_url:
        url, drop = postgres_schema(admin_url)
        try:
            run_backend("PostgreSQL", url, sizes, args.scans)
        finally:
            drop()
    else:
        print("PostgreSQL: skipped (set KIOSK_TEST_POSTGRES_URL to run it too)")


if __name__ == "__main__":
    main()
