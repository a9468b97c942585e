"""From a scanner's raw text to an event on the broker: drop double reads, parse, pair.

This is the one path every scan takes after a reader (the USB thread, the keyboard-wedge page
posting what it caught, the delivery screen posting a wedge burst or a typed code):
``receive(scanner_id, text)``; the codes a camera read in one frame, together:
``receive_frame(scanner_id, texts)``. It is thread-safe, so several scanners can feed one broker and
every subscriber still sees one order.

The feed keeps its last scans by sequence number (``scan_event(seq)``): a page that got a USB
scan from the stream posts the number back and the server takes the scan as the feed parsed
and paired it, never parsing it again.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from kiosk.scan.broker import DEFAULT_HISTORY, Envelope, ScanBroker
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
        self._recent: OrderedDict[int, ScanEvent] = OrderedDict()  # seq → scan, as many as the broker keeps

    def receive(self, scanner_id: str, text: str, *, every_read: bool = False) -> Envelope | None:
        """Publish the scan; None when it was a double read and was dropped.

        ``every_read``: count it even if it repeats the scanner's last code at once (the
        delivery screen's own posts: two copies of one title are scanned one after the other
        there). The read still starts the double-read interval, and is paired all the same."""
        scan = parse_scan(text, self.settings)
        with self._lock:
            return self._take(scanner_id, scan, self._clock(), every_read)

    def receive_frame(self, scanner_id: str, texts: list[str]) -> list[Envelope]:
        """The codes a camera read in one frame, in order (``kiosk.scan.camera.read_frame``: the
        ISBN, then its 192 code), published together: one clock reading, nothing of another
        thread in between, so the 192 code is paired with that ISBN whatever the pairing window.
        Every code counts: the camera page posts a look once (its own double-read rule); the
        reads still start the double-read interval of this scanner."""
        scans = [parse_scan(text, self.settings) for text in texts]
        with self._lock:
            at = self._clock()
            return [self._take(scanner_id, scan, at, True) for scan in scans]

    def _take(self, scanner_id: str, scan: Scan, at: float, every_read: bool) -> Envelope | None:
        if not self.double_reads.accept(scanner_id, scan.text, at) and not every_read:
            return None
        pairing = self.pairing.feed(scanner_id, at, scan)
        event = ScanEvent(scanner_id, self._wall_clock(), scan, pairing)
        envelope = self.broker.publish(event)
        self._recent[envelope.seq] = event
        while len(self._recent) > DEFAULT_HISTORY:
            self._recent.popitem(last=False)
        return envelope

    def scan_event(self, seq: int) -> ScanEvent | None:
        """The scan the broker numbered ``seq``, as parsed and paired when it was read; None
        when it is not one of the last scans kept (or the number is a scanner's state)."""
        with self._lock:
            return self._recent.get(seq)

    def scanner_status(self, status: ReaderStatus) -> Envelope:
        """Give as ``on_status`` to a reader: its state changes reach the page too."""
        return self.broker.publish(ScannerStatusEvent(status))
