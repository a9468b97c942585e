"""The scanner section of a library's settings (設定 → スキャナー): what the barcode scanner adds
around a code (prefix/suffix), how soon a second read of one code counts again, how long a 192
price code waits for its ISBN, and the USB scanner (VID:PID) and the keyboard layout it emulates.

Read by the scan feed (kiosk.scan: ``ScanSettings.of``, the double-read filter, the pairing) and
the USB reader (kiosk.scan.usbreader, kiosk.scan.hid). It lives beside the scan package rather
than in it: reading a library's settings must not start the scan package (threads, pyusb).
"""

import re
from dataclasses import dataclass
from typing import ClassVar

from kiosk.errors import KioskError
from kiosk.stored_section import is_number, section_values, stored_form

LAYOUTS = ("us", "jis")  # the keyboard layouts a scanner in keyboard mode emulates (kiosk.scan.hid's keymaps)
MAX_SECONDS = 60
_DEVICE = re.compile(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}")


@dataclass(frozen=True)
class ScannerSettings:
    LAYOUTS: ClassVar = LAYOUTS

    prefix: str = ""
    suffix: str = ""
    double_read_seconds: float = 1.0
    price_code_seconds: float = 3.0
    device: str = ""  # the USB scanner as VID:PID in hex, "" for none (a keyboard-wedge scanner)
    layout: str = "us"

    def __post_init__(self):
        for name, ja in (("prefix", "前につく文字"), ("suffix", "後につく文字")):
            if not isinstance(getattr(self, name), str):
                raise KioskError(f"scanner {name} must be text, not {getattr(self, name)!r}",
                                 f"スキャナーの{ja}は文字で指定してください")
        for name in ("double_read_seconds", "price_code_seconds"):
            if not is_number(getattr(self, name)) or not 0 <= getattr(self, name) <= MAX_SECONDS:
                raise KioskError(f"scanner {name} must be 0 to {MAX_SECONDS} seconds",
                                 f"スキャナーの秒数は0〜{MAX_SECONDS}にしてください")
        if self.layout not in LAYOUTS:
            raise KioskError(f"scanner layout must be {' or '.join(LAYOUTS)}",
                             f"キーボード配列は {' か '.join(LAYOUTS)} です")
        if not isinstance(self.device, str) or (self.device and not _DEVICE.fullmatch(self.device)):
            raise KioskError("scanner device must be VID:PID in hex, e.g. 0c2e:0b61",
                             "スキャナーの指定は VID:PID（例 0c2e:0b61）です")

    @classmethod
    def from_stored(cls, values: dict) -> "ScannerSettings":
        return cls(**section_values(cls, values, "スキャナー"))

    def to_stored(self) -> dict:
        return stored_form(self)
