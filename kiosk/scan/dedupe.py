"""Drop a scanner's double reads; keep a deliberate second copy.

A scanner held over a barcode, or one that beeps late, sends the same code twice within a
fraction of a second. Two copies of the same title are scanned seconds apart. So: the same
code from the same scanner within ``interval_s`` (default 1 s) of its previous read is a
double read and is dropped; after the interval it counts.

The interval runs from the previous *read* of that code, dropped or not: a scanner left in
continuous mode over one barcode repeats every few hundred milliseconds, and each repeat
must not count as a new copy once the first second has passed. A different code from the
same scanner in between ends the run (A, B, A is three scans). Pure: the caller passes the
clock reading (``time.monotonic()``).
"""

from kiosk.errors import KioskError
from kiosk.scanner_settings import ScannerSettings

DEFAULT_INTERVAL_S = ScannerSettings.double_read_seconds  # a library's setting; this before there is one


class DoubleReadFilter:
    def __init__(self, interval_s: float = DEFAULT_INTERVAL_S):
        if not isinstance(interval_s, (int, float)) or not 0 <= interval_s <= 10:
            raise KioskError(
                f"double-read interval must be between 0 and 10 seconds, not {interval_s!r}",
                f"二度読み防止の間隔は 0〜10 秒で指定してください（{interval_s!r}）",
            )
        self.interval_s = float(interval_s)
        self._last: dict[str, tuple[str, float]] = {}

    def accept(self, scanner_id: str, code: str, at: float) -> bool:
        """True if this read counts; False if it is a double read to drop."""
        previous = self._last.get(scanner_id)
        self._last[scanner_id] = (code, at)
        if previous is None or previous[0] != code:
            return True
        return not 0 <= at - previous[1] < self.interval_s
