"""From a scanner's raw text to an event on the broker: drop double reads, parse, pair.

This is the one path every scan takes after a reader (USB thread, or later the keyboard-
wedge page posting what it caught): ``receive(scanner_id, text)``. It is thread-safe, so
several scanners can feed one broker and every subscriber still sees one order.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from kiosk.scan.broker import Envelope, ScanBroker
from kiosk.scan.dedupe import DoubleReadFilter
from kiosk.scan.pairing import Pairing, PriceCodePairing
from kiosk.scan.parser import DEFAULT_SETTINGS, Scan, ScanSettings, parse_scan
from kiosk.scan.usbreader import ReaderStatus


@dataclass(frozen=True)
class ScanEvent:
    """One counted scan, as the kiosk page receives it."""

    scanner_id: str
    received_at: float  # wall clock, seconds since the epoch
    scan: Scan
    pairing: Pairing

    def to_json(self) -> dict:
        out = {
            "type": "scan",
            "scanner": self.scanner_id,
            "text": self.scan.text,
            "received_at": datetime.fromtimestamp(self.received_at, timezone.utc).isoformat(),
            "scan": self.scan.to_json(),
            "action": self.pairing.action,
        }
        if self.scan.error_ja:
            out["error_ja"] = self.scan.error_ja
        if self.pairing.action == "attach":
            out["isbn13"] = self.pairing.isbn13
            out["price_code"] = self.pairing.price_code.to_json()
        return out


@dataclass(frozen=True)
class ScannerStatusEvent:
    """A scanner connected, disconnected, or is being looked for."""

    status: ReaderStatus

    def to_json(self) -> dict:
        s = self.status
        return {"type": "scanner", "scanner": s.scanner_id, "state": s.state, "detail": s.detail, "device": s.device}


class ScanFeed:
    def __init__(
        self,
        broker: ScanBroker,
        settings: ScanSettings = DEFAULT_SETTINGS,
        double_reads: DoubleReadFilter | None = None,
        pairing: PriceCodePairing | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ):
        self.broker = broker
        self.settings = settings
        self.double_reads = double_reads or DoubleReadFilter()
        self.pairing = pairing or PriceCodePairing()
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()

    def receive(self, scanner_id: str, text: str) -> Envelope | None:
        """Publish the scan; None when it was a double read and was dropped."""
        scan = parse_scan(text, self.settings)
        with self._lock:
            at = self._clock()
            if not self.double_reads.accept(scanner_id, scan.text, at):
                return None
            pairing = self.pairing.feed(scanner_id, at, scan)
            return self.broker.publish(ScanEvent(scanner_id, self._wall_clock(), scan, pairing))

    def scanner_status(self, status: ReaderStatus) -> Envelope:
        """Give as ``on_status`` to a reader: its state changes reach the page too."""
        return self.broker.publish(ScannerStatusEvent(status))
