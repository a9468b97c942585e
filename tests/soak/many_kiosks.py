"""Many kiosks on one database for a while: the fleet (real `kiosk serve` processes, one of them
killed with SIGKILL and started again), one client per kiosk doing a random mix over HTTP, the
tally of what the clients saw, and the ledger's invariants checked afterwards.

A client's answer is sorted as ``ok`` (200/302), ``clear`` (a 4xx with its Japanese message, the
second-confirmation page, or the 503 fault page 「データベースに接続できません」), ``connection``
(no HTTP answer at all: the kiosk was down) or ``unclear`` (anything else: a 500, an English or
empty page). The soak fails on any ``unclear`` and on connection errors at a kiosk never killed.
The ledger is checked afterwards by tests.soak.ledger_invariants.
"""

import os
import random
import re
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kiosk.codes.isbn import isbn13_check_digit
from kiosk.lookup.record import BibRecord, Creator
from tests.served_kiosk import Kiosk, Tab

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
DB_DOWN = "データベースに接続できません"
KIOSK_THREADS = ("--threads", "4")  # the last --threads wins: 8 kiosks × 16 threads is too many for 2 cores


def soak_seconds() -> float:
    """The whole soak's time, shared by the two backends (KIOSK_SOAK_SECONDS, default 120)."""
    return float(os.environ.get("KIOSK_SOAK_SECONDS", "120"))


def isbn(n: int) -> str:
    body = f"97848{n:07d}"
    return body + isbn13_check_digit(body)


def cached_records(count: int = 40) -> list[BibRecord]:
    """Records as a lookup would have cached them, with NDC and readings: a call number follows."""
    return [BibRecord(isbn13=isbn(n), title=f"耐久の本 その{n}", source="ndl", title_reading=f"タイキュウ ノ ホン ソノ{n}",
                      creators=(Creator("山田 太郎", "ヤマダ タロウ", "著"),), publisher="耐久社", year=2024,
                      price=1200 + n, ndc9="913.6")
            for n in range(count)]


# ---------------------------------------------------------------------------------------------
# What the clients saw


@dataclass
class Tally:
    """Every answer the clients got, by action and kind, with a sample of each unclear one."""

    seen: Counter = field(default_factory=Counter)
    connection_by_kiosk: Counter = field(default_factory=Counter)
    unclear: list = field(default_factory=list)
    registered: int = 0
    labels_ok: Counter = field(default_factory=Counter)  # numbers (a tuple) → label requests answered ok
    labels_unknown: Counter = field(default_factory=Counter)  # … answered with a fault or not at all
    kills: int = 0
    server_restarts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, action: str, kind: str, kiosk: int, sample: str = "") -> None:
        with self.lock:
            self.seen[(action, kind)] += 1
            if kind == "connection":
                self.connection_by_kiosk[kiosk] += 1
            if kind.startswith("unclear") and len(self.unclear) < 20:
                self.unclear.append((action, kind, sample[:600]))

    def by_kind(self) -> Counter:
        kinds = Counter()
        for (_, kind), n in self.seen.items():
            kinds[kind] += n
        return kinds

    def summary(self, label: str) -> str:
        lines = [f"[{label}] registered copies {self.registered}, kiosk kills {self.kills}, "
                 f"server restarts {self.server_restarts}",
                 f"[{label}] answers by kind: {dict(sorted(self.by_kind().items()))}",
                 f"[{label}] by action: {dict(sorted((f'{a}/{k}', n) for (a, k), n in self.seen.items()))}",
                 f"[{label}] connection errors by kiosk: {dict(self.connection_by_kiosk)}"]
        return "\n".join(lines)


def classify(response: httpx.Response) -> str:
    """ok, clear:<status> or unclear:<status> (see the module's docstring)."""
    status, text = response.status_code, response.text
    if status in (200, 302):
        return "ok"
    is_json = response.headers.get("content-type", "").startswith("application/json")
    message = str((response.json() or {}).get("message", "")) if is_json else ""
    if status == 503:  # the fault page, or its JSON for the scan screen
        return "clear:503" if DB_DOWN in (message if is_json else text) else "unclear:503"
    if 400 <= status < 500:
        if is_json:
            return f"clear:{status}" if JAPANESE.search(message) else f"unclear:{status}"
        alert = re.search(r'<p class="error" role="alert">(.*?)</p>', text, re.S)
        if (alert and JAPANESE.search(alert.group(1))) or 'name="accept_discrepancies"' in text:
            return f"clear:{status}"
    return f"unclear:{status}"


# ---------------------------------------------------------------------------------------------
# The fleet and its clients


class Fleet:
    """``count`` kiosks on one database; ``kill_and_restart(i)`` SIGKILLs one and starts it again."""

    def __init__(self, url: str, data_dir: Path, count: int):
        self.url, self.data_dir = url, data_dir
        self.kiosks = [Kiosk(url, data_dir, args=KIOSK_THREADS) for _ in range(count)]
        for kiosk in self.kiosks:
            kiosk.wait_ready()

    def kill_and_restart(self, index: int) -> None:
        old = self.kiosks[index]
        os.kill(old.process.pid, signal.SIGKILL)
        old.process.wait(10)
        old.log.close()
        new = Kiosk(self.url, self.data_dir, args=KIOSK_THREADS)
        new.wait_ready()
        self.kiosks[index] = new

    def stop(self) -> None:
        for kiosk in self.kiosks:
            kiosk.stop()


class Client(threading.Thread):
    """One member of staff at one kiosk, doing a random mix until ``stop`` is set: open a
    delivery, scan cached ISBNs and mark each ok, register (answering the second confirmation),
    withdraw a copy it registered (the confirmation page, then confirmed), print labels to the
    pdf: printer, view the ledger."""

    def __init__(self, fleet: Fleet, index: int, tally: Tally, stop: threading.Event, seed: int):
        super().__init__(daemon=True)
        self.fleet, self.index, self.tally, self.stop_event = fleet, index, tally, stop
        self.random = random.Random(seed)
        self.tab: Tab | None = None
        self.tab_url = ""
        self.intake: int | None = None
        self.items = 0
        self.mine: list[int] = []  # numbers this client registered and has not withdrawn
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop_event.is_set():
                if not self._signed_in():
                    time.sleep(0.2)
                    continue
                self._one_step()
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            self.failure = error
        finally:
            if self.tab:
                self.tab.close()

    def _signed_in(self) -> bool:
        url = self.fleet.kiosks[self.index].url
        if self.tab is not None and self.tab_url == url:
            return True
        if self.tab:
            self.tab.close()
            self.tab = None
        try:
            home = httpx.get(url + "/", timeout=30)
            if home.status_code != 200:  # the fault page while the database is down
                self.tally.note("sign_in", classify(home), self.index, f"GET / → {home.status_code}: {home.text}")
                return False
            self.tab = Tab(self.fleet.kiosks[self.index])
        except httpx.TransportError:  # the kiosk is down or starting
            self.tally.note("sign_in", "connection", self.index)
            return False
        self.tab_url = url
        return True

    def _send(self, action: str, method: str, path: str, **kwargs) -> httpx.Response | None:
        try:
            if method == "GET":
                response = self.tab.client.get(path, **kwargs)
            elif "json" in kwargs:
                response = self.tab.client.post(path, headers={"X-CSRF-Token": self.tab.token}, **kwargs)
            else:
                response = self.tab.post(path, kwargs.get("data"))
        except httpx.TransportError:
            self.tally.note(action, "connection", self.index)
            self.tab = None  # sign in again: the kiosk may be a new process on a new port
            return None
        kind = classify(response)
        self.tally.note(action, kind, self.index, f"{method} {path} → {response.status_code}: {response.text}")
        return response

    def _one_step(self) -> None:
        if self.intake is None:
            self._open_delivery()
            return
        choices = ["scan"] * 6 + ["register"] * (2 if self.items else 0) + ["ledger"]
        if self.mine:
            choices += ["withdraw", "labels"]
        getattr(self, "_" + self.random.choice(choices))()

    def _open_delivery(self) -> None:
        reply = self._send("open", "POST", "/deliveries/", data={"source": f"耐久書店{self.index}", "kind": "purchase"})
        if reply is not None and reply.status_code == 302:
            self.intake = int(reply.headers["location"].rstrip("/").rsplit("/", 1)[1])
            self.items = 0
            if self.random.random() < 0.3:  # a slip that will disagree: 登録 asks a second confirmation
                self._send("slip_line", "POST", f"/deliveries/{self.intake}/slip-lines",
                           data={"title": "納品書だけの本", "isbn": isbn(99), "quantity": "2", "unit_price": "1000"})

    def _scan(self) -> None:
        code = isbn(self.random.randrange(40))
        reply = self._send("scan", "POST", f"/deliveries/{self.intake}/scans", json={"code": code})
        if reply is None or reply.status_code != 200:
            self._abandon(reply)
            return
        item = reply.json()["item"]["id"]
        marked = self._send("inspect", "POST", f"/deliveries/{self.intake}/items/{item}",
                            data={"inspection": "ok"})
        if marked is not None and marked.status_code == 302:
            self.items += 1
        else:
            self._abandon(marked)

    def _abandon(self, reply) -> None:
        """A scan or tap that may or may not have been kept leaves a copy pending: start another
        delivery (this one stays open, never registered)."""
        if reply is None or reply.status_code >= 500:
            self.intake = None

    def _register(self) -> None:
        path = f"/deliveries/{self.intake}/register"
        reply = self._send("register", "POST", path)
        if reply is not None and reply.status_code == 409 and 'name="accept_discrepancies"' in reply.text:
            form = {name: re.search(rf'name="{name}" value="([^"]*)"', reply.text).group(1)
                    for name in ("accept_discrepancies", "accept_items")}
            reply = self._send("register_confirmed", "POST", path, data=form)
        if reply is not None and reply.status_code == 200:
            numbers = [int(n) for n in re.findall(r'<td class="number">(\d+)</td>', reply.text)]
            with self.tally.lock:
                self.tally.registered += len(numbers)
            self.mine += numbers
            self.intake = None
        elif reply is None or reply.status_code != 503:
            self.intake = None  # refused, or unknown whether kept: a new delivery (a retry would be a 409)

    def _withdraw(self) -> None:
        number = self.mine.pop(self.random.randrange(len(self.mine)))
        asked = self._send("withdraw_ask", "POST", f"/copies/{number}/withdraw", data={"reason": "worn"})
        if asked is not None and asked.status_code == 200:
            self._send("withdraw", "POST", f"/copies/{number}/withdraw", data={"reason": "worn", "confirmed": "1"})

    def _labels(self) -> None:
        numbers = tuple(sorted(self.random.sample(self.mine, min(3, len(self.mine)))))
        reply = self._send("labels", "POST", "/printing/print",
                           data={"numbers": ",".join(map(str, numbers)), "printer": "1", "kind": "barcode"})
        with self.tally.lock:
            if reply is not None and reply.status_code == 302 and "error=" not in reply.headers["location"]:
                self.tally.labels_ok[numbers] += 1
            elif reply is None or reply.status_code >= 500:
                self.tally.labels_unknown[numbers] += 1

    def _ledger(self) -> None:
        self._send("ledger", "GET", "/ledger/")


def drive(fleet: Fleet, tally: Tally, seconds: float, *, kill_at: float, disturb=None, disturb_at: float = 0.0,
          seed: int = 17) -> list[Client]:
    """Run one client per kiosk for ``seconds``; at ``kill_at`` (a fraction of it) kiosk 0 is
    killed and started again, at ``disturb_at`` ``disturb()`` runs (the server's restart)."""
    stop = threading.Event()
    clients = [Client(fleet, i, tally, stop, seed * 100 + i) for i in range(len(fleet.kiosks))]
    for client in clients:
        client.start()
    start = time.monotonic()
    plan = sorted([(kill_at, "kill")] + ([(disturb_at, "disturb")] if disturb else []))
    for at, what in plan:
        time.sleep(max(0.0, start + at * seconds - time.monotonic()))
        if what == "kill":
            fleet.kill_and_restart(0)
            tally.kills += 1
        else:
            disturb()
            tally.server_restarts += 1
    time.sleep(max(0.0, start + seconds - time.monotonic()))
    stop.set()
    for client in clients:
        client.join(120)
    return clients
