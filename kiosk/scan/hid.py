"""HID input reports from a barcode scanner, turned into the text it scanned.

Two kinds of scanner speak HID:

- Keyboard mode (most scanners out of the box): 8-byte boot-keyboard reports
  (modifiers, reserved, six key usages), a press then a release per character, Enter or Tab
  at the end. The usages are keys, not characters, so the layout the scanner emulates
  matters: on a Japanese (JIS) keyboard Shift+2 is ``"`` and ``]`` has its own key.
  Source: USB HID Usage Tables 1.12, §10 Keyboard/Keypad page (0x07); JIS positions as in
  the Linux ``jp106`` keymap (International1 0x87 = ろ ``\\ _``, International3 0x89 = ¥).
- HID POS (usage page 0x8C, Barcode Scanner): a Scanned Data Report carries the data and
  its AIM symbology. Layout as sent by Honeywell and Zebra scanners in HID POS mode: byte 0
  report ID (0x02), byte 1 data length, bytes 2–4 AIM identifier (``]E0``), then the data,
  and in the report's last byte bit 0 set when the data continues in the next report.

Both decoders take bytes exactly as interrupt reads return them: a report split across two
reads, or two reports in one read, decode the same. They keep no clock and do no I/O.
"""

from kiosk.errors import KioskError
from kiosk.scanner_settings import LAYOUTS

BOOT_REPORT_SIZE = 8
POS_REPORT_ID = 0x02
_SHIFT = 0x02 | 0x20
_CTRL = 0x01 | 0x10
_ENTER_KEYS = frozenset({0x28, 0x58, 0x2B})  # Enter, keypad Enter, Tab
_ERROR_ROLLOVER = 0x01
_MAX_SCAN_LENGTH = 1024

_LETTERS = {0x04 + i: (chr(0x61 + i), chr(0x41 + i)) for i in range(26)}
_KEYPAD = {0x54: "/", 0x55: "*", 0x56: "-", 0x57: "+", 0x62: "0", 0x63: "."}
_KEYPAD.update({0x59 + i: str(1 + i) for i in range(9)})

_US = {
    **{0x1E + i: (d, s) for i, (d, s) in enumerate(zip("1234567890", "!@#$%^&*()"))},
    0x2C: (" ", " "), 0x2D: ("-", "_"), 0x2E: ("=", "+"), 0x2F: ("[", "{"), 0x30: ("]", "}"),
    0x31: ("\\", "|"), 0x32: ("#", "~"), 0x33: (";", ":"), 0x34: ("'", '"'), 0x35: ("`", "~"),
    0x36: (",", "<"), 0x37: (".", ">"), 0x38: ("/", "?"),
}

_JIS = {
    **{0x1E + i: (d, s) for i, (d, s) in enumerate(zip("123456789", "!\"#$%&'()"))},
    0x27: ("0", ""),  # Shift+0 types nothing on a JIS keyboard
    0x2C: (" ", " "), 0x2D: ("-", "="), 0x2E: ("^", "~"), 0x2F: ("@", "`"), 0x30: ("[", "{"),
    0x31: ("]", "}"), 0x32: ("]", "}"), 0x33: (";", "+"), 0x34: (":", "*"),
    0x36: (",", "<"), 0x37: (".", ">"), 0x38: ("/", "?"), 0x87: ("\\", "_"), 0x89: ("\\", "|"),
}


def _keymap(table: dict) -> dict[tuple[int, bool], str]:
    """(usage, shifted) → character, letters and keypad included."""
    keymap: dict[tuple[int, bool], str] = {}
    for usage, (plain, shifted) in {**_LETTERS, **table}.items():
        keymap[(usage, False)], keymap[(usage, True)] = plain, shifted
    for usage, char in _KEYPAD.items():
        keymap[(usage, False)] = keymap[(usage, True)] = char
    return keymap


KEYMAPS = {"us": _keymap(_US), "jis": _keymap(_JIS)}


def check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise KioskError(
            f"unknown keyboard layout {layout!r} for the scanner: use 'us' or 'jis'",
            f"スキャナのキーボード配列「{layout}」は使えません（us か jis）",
        )
    return layout


class KeyboardReportDecoder:
    """Boot-keyboard reports → completed scans (text up to, not including, Enter/Tab)."""

    def __init__(self, layout: str = "us", report_size: int = BOOT_REPORT_SIZE):
        self._keymap = KEYMAPS[check_layout(layout)]
        self._report_size = report_size
        self._bytes = bytearray()
        self._chars: list[str] = []
        self._held: tuple[int, ...] = ()

    @property
    def pending(self) -> str:
        """Characters of a scan not yet ended by Enter (lost if the scanner is unplugged)."""
        return "".join(self._chars)

    def feed(self, data: bytes) -> list[str]:
        """Decode the bytes of one or more reads; return the scans they complete."""
        self._bytes += data
        size = self._report_size
        usable = len(self._bytes) - len(self._bytes) % size
        scans: list[str] = []
        for start in range(0, usable, size):
            self._report(self._bytes[start : start + size], scans)
        del self._bytes[:usable]
        return scans

    def _report(self, report: bytes, scans: list[str]) -> None:
        keys = tuple(k for k in report[-6:] if k)
        if _ERROR_ROLLOVER in keys:
            return  # too many keys at once: the report says nothing reliable
        modifiers = report[0]
        shifted = bool(modifiers & _SHIFT)
        held, self._held = self._held, keys
        for usage in keys:
            if usage in held:
                continue  # still held from the previous report: not a new press
            if usage in _ENTER_KEYS:
                scans.append("".join(self._chars))
                self._chars.clear()
                continue
            char = self._keymap.get((usage, shifted))
            if char and modifiers & _CTRL and char.isalpha():
                char = chr(ord(char.upper()) - 0x40)  # Ctrl+B → STX, as scanners send prefixes
            if char and len(self._chars) < _MAX_SCAN_LENGTH:
                self._chars.append(char)


class PosReportDecoder:
    """HID POS Scanned Data Reports → completed scans, AIM identifier in front (``]E0…``)."""

    def __init__(self, report_size: int = 64, report_id: int = POS_REPORT_ID):
        self._report_size = report_size
        self._report_id = report_id
        self._bytes = bytearray()
        self._data = bytearray()
        self._aim = b""

    @property
    def pending(self) -> str:
        return self._data.decode("utf-8", "replace")

    def feed(self, data: bytes) -> list[str]:
        self._bytes += data
        size = self._report_size
        usable = len(self._bytes) - len(self._bytes) % size
        scans: list[str] = []
        for start in range(0, usable, size):
            self._report(bytes(self._bytes[start : start + size]), scans)
        del self._bytes[:usable]
        return scans

    def _report(self, report: bytes, scans: list[str]) -> None:
        if report[0] != self._report_id:
            return  # another report (status, attributes): no scanned data
        length = min(report[1], self._report_size - 6)
        if not self._data:
            self._aim = report[2:5] if report[2:3] == b"]" else b""
        self._data += report[5 : 5 + length]
        if report[-1] & 0x01:
            return  # continued in the next report
        text = (self._aim + bytes(self._data)).decode("utf-8", "replace")
        self._data.clear()
        self._aim = b""
        scans.append(text.rstrip("\r\n\t\x00"))
