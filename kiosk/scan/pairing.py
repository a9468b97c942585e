"""Attach a book's second barcode (192…) to the ISBN scanned just before it.

A Japanese book carries two barcodes one above the other; staff sweep both. A price
code read right after an ISBN, by the same scanner, within a few seconds, belongs to that
book: it gives the list price and a subject hint. A price code on its own cannot say which
book it belongs to, so the kiosk asks for the ISBN; if that ISBN follows within the same
window (the staff member swept the lower barcode first), the two are paired all the same.

Pure: the caller passes the clock reading with each scan, so tests need no sleeping.
Anything else from the same scanner in between (an item label, a misread) breaks the pair.
"""

from dataclasses import dataclass

from kiosk.errors import KioskError
from kiosk.scan.parser import Scan
from kiosk.scanner_settings import ScannerSettings

DEFAULT_WINDOW_S = ScannerSettings.price_code_seconds  # a library's setting; this before there is one


@dataclass(frozen=True)
class Pairing:
    """What to do with one scan.

    ``action``: ``book`` (an ISBN, nothing to attach yet), ``attach`` (``isbn13`` and
    ``price_code`` belong together), ``ask_isbn`` (a price code alone: ask for the ISBN),
    ``other`` (anything else: passed through).
    """

    action: str
    scan: Scan
    isbn13: str | None = None
    price_code: Scan | None = None


@dataclass
class _Pending:
    scan: Scan
    at: float


class PriceCodePairing:
    """Per-scanner memory of the last unpaired ISBN or price code."""

    def __init__(self, window_s: float = DEFAULT_WINDOW_S):
        if not isinstance(window_s, (int, float)) or not 0 < window_s <= 60:
            raise KioskError(
                f"price-code pairing window must be between 0 and 60 seconds, not {window_s!r}",
                f"価格バーコードを本に結びつける時間は 0〜60 秒で指定してください（{window_s!r}）",
            )
        self.window_s = float(window_s)
        self._pending: dict[str, _Pending] = {}

    def feed(self, scanner_id: str, at: float, scan: Scan) -> Pairing:
        """The pairing decision for ``scan`` read by ``scanner_id`` at clock reading ``at``."""
        pending = self._pending.pop(scanner_id, None)
        if pending is not None and not 0 <= at - pending.at <= self.window_s:
            pending = None
        if scan.rejected or scan.kind not in ("isbn", "price_code"):
            return Pairing("other", scan)
        if scan.kind == "isbn":
            if pending is not None and pending.scan.kind == "price_code":
                return Pairing("attach", scan, isbn13=scan.isbn13, price_code=pending.scan)
            self._pending[scanner_id] = _Pending(scan, at)
            return Pairing("book", scan, isbn13=scan.isbn13)
        if pending is not None and pending.scan.kind == "isbn":
            return Pairing("attach", scan, isbn13=pending.scan.isbn13, price_code=scan)
        self._pending[scanner_id] = _Pending(scan, at)
        return Pairing("ask_isbn", scan, price_code=scan)
