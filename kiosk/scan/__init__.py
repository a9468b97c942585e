"""Scanning: what a barcode scanner sends, where it comes from, and who hears about it.

- ``parser``: the one parser (``parse_scan``) → ``Scan`` (ISBN, 192 price code, magazine,
  item label, unknown), with ``ccode`` and ``magazine`` as its tables.
- ``dedupe`` and ``pairing``: double reads dropped; a 192 code attached to its ISBN.
- ``hid`` and ``usbreader``: USB HID reports → text, read straight from the device.
- ``broker`` and ``feed``: scans fanned out, in order, to every open kiosk page.
"""

from kiosk.scan.broker import Envelope, ScanBroker, Subscription, SubscriptionClosed
from kiosk.codes.ccode import CCode, decode_c_code
from kiosk.scan.dedupe import DoubleReadFilter
from kiosk.scan.feed import ScanEvent, ScanFeed, ScannerStatusEvent
from kiosk.scan.pairing import Pairing, PriceCodePairing
from kiosk.scan.parser import DEFAULT_SETTINGS, Scan, ScanSettings, clean_scan, parse_scan

__all__ = [
    "CCode", "DEFAULT_SETTINGS", "DoubleReadFilter", "Envelope", "Pairing", "PriceCodePairing",
    "Scan", "ScanBroker", "ScanEvent", "ScanFeed", "ScanSettings", "ScannerStatusEvent",
    "Subscription", "SubscriptionClosed", "clean_scan", "decode_c_code", "parse_scan",
]
