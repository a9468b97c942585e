"""A whole school-day delivery driven over HTTP, as a kiosk's browser would (issue 17's soak):
a 300-book Shift_JIS slip imported, every book scanned and inspected, the delivery registered,
the spine+barcode labels and the ledger sheet fetched as PDFs. Every request is timed from the
client (httpx over loopback to waitress in this process), so each figure is the server's time
plus a loopback round trip: an upper bound on the server's time. Used by
tests/soak/test_school_day.py (correctness) and bench/bench_school_day.py (the figures).

Every book is in the lookup cache with an NDC and the author's reading, so each copy's call
number is settled from its record and the lookups never leave the machine."""

import io
import re
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

from kiosk.codes.isbn import isbn13_check_digit
from kiosk.ledger.number_ranges import parse_numbers
from kiosk.library import create_library
from kiosk.lookup import BibRecord, Creator
from kiosk.lookup.cache import DatabaseCache

RECEIVED_ON = date(2026, 11, 20)
FIRST_NUMBER = 1001
SLIP_HEADER = "納品日,書店名,伝票番号,行,書名,著者,出版社,ISBN,本体価格,税込単価,数量,金額,Cコード"
AUTHORS = (("夏目漱石", "ナツメ,ソウセキ"), ("宮沢賢治", "ミヤザワ,ケンジ"), ("角野栄子", "カドノ,エイコ"),
           ("那須正幹", "ナス,マサモト"), ("中川李枝子", "ナカガワ,リエコ"), ("東野圭吾", "ヒガシノ,ケイゴ"))
NDCS = ("913", "913.6", "210", "486", "750", "007")
# The steps, in the order a school day takes them; a step's figure is per request.
ONCE_EACH = ("slip import", "scan", "inspection", "registration")  # the steps that change the delivery
STEPS = ("slip import", "scan", "inspection", "registration", "labels pdf", "ledger page", "ledger pdf")


def isbn(n: int) -> str:
    body = f"97849{n + 100000:07d}"
    return body + isbn13_check_digit(body)


def record(n: int) -> BibRecord:
    """A cached record whose call number is settled: an NDC and the author with the reading."""
    name, reading = AUTHORS[n % len(AUTHORS)]
    return BibRecord(isbn13=isbn(n), title=f"学校の一日の本 その{n + 1}", title_reading=f"ガッコウノイチニチノホン {n + 1}",
                     source="ndl", publisher="ソーク出版", creators=(Creator(name, reading=reading, role="著"),),
                     year=2025, ndc10=NDCS[n % len(NDCS)], price=1000 + n % 7 * 100)


def slip_bytes(books: int) -> bytes:
    """The bookshop's slip of ``books`` books, one copy each, in Shift_JIS as shops send them."""
    lines = [SLIP_HEADER]
    for n in range(books):
        r = record(n)
        price = r.price
        lines.append(f"{RECEIVED_ON:%Y/%m/%d},ソーク書店,S-{RECEIVED_ON:%Y%m%d}-01,{n + 1},{r.title},"
                     f"{r.creators[0].name} 著,{r.publisher},{r.isbn13},{price},{price * 11 // 10},1,"
                     f"{price * 11 // 10},C0093")
    return ("\r\n".join(lines) + "\r\n").encode("shift_jis")


@dataclass
class SchoolDay:
    """What one run did: each step's request times (ms), the numbers registered, what was fetched."""

    books: int
    intake_id: int = 0
    library_id: int = 0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    numbers: list[int] = field(default_factory=list)
    confirmation_asked: bool = False
    registered_page: str = ""
    labels_pdf: bytes = b""
    ledger_page: str = ""
    ledger_pdf: bytes = b""

    @property
    def total_ms(self) -> float:
        """The delivery's requests, each step once (a read-only step fetched again counts once: its median)."""
        return sum(sum(times) if step in ONCE_EACH else statistics.median(times) for step, times in self.times.items())

    def percentiles(self, step: str) -> tuple[float, float]:
        """p50 and p95 of the step's requests (the one time, for a step of one request)."""
        times = self.times[step]
        if len(times) == 1:
            return times[0], times[0]
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        return cuts[49], cuts[94]


class _Timed:
    """An httpx client that times every request into the run's step."""

    def __init__(self, base_url: str, day: SchoolDay):
        self.client = httpx.Client(base_url=base_url, timeout=120, follow_redirects=False)
        self.day = day
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', self.client.get("/").text).group(1)

    def request(self, step: str, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"X-CSRF-Token": self.token, **kwargs.pop("headers", {})}
        if method == "POST" and "data" in kwargs:
            kwargs["data"] = {**kwargs["data"], "csrf_token": self.token}
        started = time.perf_counter()
        response = self.client.request(method, path, headers=headers, **kwargs)
        response.read()
        self.day.times[step].append((time.perf_counter() - started) * 1000)
        return response


def _expect(response: httpx.Response, status: int, what: str) -> httpx.Response:
    if response.status_code != status:
        raise AssertionError(f"{what}: HTTP {response.status_code}, expected {status}: {response.text[:500]}")
    return response


def second_confirmation(html: str) -> dict:
    """What the confirmation screen's own button sends: the hidden fields of its form."""
    return dict(re.findall(r'name="(accept_\w+)" value="([^"]*)"', html))


def drive(base_url: str, day: SchoolDay, fetches: int = 1) -> SchoolDay:
    """The school day's requests against a running kiosk whose cache holds the books; the labels
    and the ledger (read-only) fetched ``fetches`` times."""
    http = _Timed(base_url, day)
    try:
        slip = {"slip": ("slip.csv", io.BytesIO(slip_bytes(day.books)), "text/csv")}
        created = _expect(http.request("slip import", "POST", "/deliveries/", files=slip,
                                       data={"source": "ソーク書店", "kind": "purchase"}), 302, "slip import")
        day.intake_id = int(re.search(r"/deliveries/(\d+)", created.headers["Location"]).group(1))
        items = []
        for n in range(day.books):
            reply = _expect(http.request("scan", "POST", f"/deliveries/{day.intake_id}/scans", json={"code": isbn(n)},
                                         headers={"Accept": "application/json"}), 200, f"scan {n}")
            body = reply.json()
            if not body.get("ok", True) or "item" not in body:
                raise AssertionError(f"scan {n} refused: {body}")
            items.append(body["item"]["id"])
        for item in items:
            reply = _expect(http.request("inspection", "POST", f"/deliveries/{day.intake_id}/items/{item}",
                                         data={"inspection": "ok"}, headers={"Accept": "application/json"}),
                            200, f"inspection of item {item}")
            if reply.json()["item"]["inspection"] != "ok":
                raise AssertionError(f"item {item} not marked inspected: {reply.json()}")
        registered = http.request("registration", "POST", f"/deliveries/{day.intake_id}/register", data={})
        if registered.status_code == 409 and "accept_" in registered.text:
            day.confirmation_asked = True
            registered = http.request("registration", "POST", f"/deliveries/{day.intake_id}/register",
                                      data=second_confirmation(registered.text))
        day.registered_page = _expect(registered, 200, "registration").text
        numbers = re.search(r'checklist\.pdf\?numbers=([0-9,-]+)"', day.registered_page).group(1)
        day.numbers = parse_numbers(numbers)  # as the registered page links them
        for _ in range(fetches):  # read-only: fetched again to give their p50 and p95 some meaning
            day.labels_pdf = _expect(http.request("labels pdf", "GET", "/printing/labels.pdf",
                                                  params={"numbers": numbers, "kind": "both"}), 200,
                                     "labels pdf").content
            day.ledger_page = _expect(http.request("ledger page", "GET", "/ledger/"), 200, "ledger page").text
            day.ledger_pdf = _expect(http.request("ledger pdf", "GET", "/ledger/report/ledger.pdf"), 200,
                                     "ledger pdf").content
    finally:
        http.client.close()
    return day


def run_school_day(database_url: str, books: int = 300, threads: int = 4, fetches: int = 1,
                   served_in: Path | None = None) -> SchoolDay:
    """The school day driven through a kiosk on ``database_url`` (one library, the books in its
    lookup cache, offline), then the kiosk stopped. By default the web app under waitress in
    this process (the soak test); with ``served_in`` (a folder for its data and log) a real
    `kiosk serve` process, as a school runs it, warm-up included (the bench)."""
    from web import create_app

    app = create_app(database_url, {"SECRET_KEY": "school-day", "LOOKUP_OFFLINE": True, "SCANNER_DEVICE": None})
    db = app.extensions["kiosk_db"]
    day = SchoolDay(books)
    try:
        with db.write() as session:
            day.library_id = create_library(session, "ソーク小学校", first_number=FIRST_NUMBER, actor="soak").id
        DatabaseCache(db).put_many(record(n) for n in range(books))
        if served_in is None:
            _drive_in_process(app, day, threads, fetches)
    finally:
        db.dispose()
    if served_in is not None:
        _drive_served(database_url, served_in, day, fetches)
    return day


def _drive_in_process(app, day: SchoolDay, threads: int, fetches: int) -> None:
    from waitress.server import create_server

    from tests.conftest import stop_waitress

    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        drive(f"http://127.0.0.1:{server.effective_port}", day, fetches)
    finally:
        stop_waitress(server, thread, app)


def _drive_served(database_url: str, folder: Path, day: SchoolDay, fetches: int) -> None:
    from tests.served_kiosk import Kiosk

    kiosk = Kiosk(database_url, folder, env={"KIOSK_LIBRARY": str(day.library_id)})
    try:
        kiosk.wait_ready()
        drive(kiosk.url, day, fetches)
    finally:
        kiosk.stop()


def figures_text(day: SchoolDay, step_target_ms: float | None = None) -> str:
    """The run's figures, a line per step, for a test's output or a bench's."""
    lines = [f"school day of {day.books} books: {day.total_ms / 1000:.2f} s of requests in all"]
    for step in STEPS:
        p50, p95 = day.percentiles(step)
        verdict = "" if step_target_ms is None else ("  OK" if p95 < step_target_ms else "  MISSED")
        lines.append(f"  {step:<13} {len(day.times[step]):>4} requests  p50 {p50:8.1f} ms  p95 {p95:8.1f} ms{verdict}")
    return "\n".join(lines)


if __name__ == "__main__":  # a quick look: python -m tests.soak.school_day
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="school-day-"))
    print(figures_text(run_school_day(f"sqlite:///{folder}/kiosk.sqlite3")))
