"""Registration numbers as staff enter them to name copies (the weeding list): one number
typed, numbers and ranges typed ("1001-1005,1010"), or a copy's barcode scanned. Every
number, and each end of a range, is read by the one rule, kiosk.scan.parser.read_copy_number;
a scanned barcode kept from an imported ledger is found first (kiosk.ledger.scanned_copies)."""

import re

from sqlalchemy.orm import Session

from kiosk.db.storage import Database
from kiosk.ledger.number_ranges import parse_numbers
from kiosk.ledger.scanned_copies import copy_number_scanned
from kiosk.scan.parser import ScanSettings, read_copy_number

# Typed ranges and lists ("1001-1005,1010"): at least one "-" or "," between numbers.
_RANGES = re.compile(r"(?=.*[-,])\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*", re.ASCII)


def numbers_entered(text: str, settings: ScanSettings, *, scanned: bool, session: Session | None = None,
                    library_id: int | None = None) -> list[int]:
    """The numbers ``text`` names: a scanned barcode is one copy (with ``session``, a kept
    barcode of the library's too); typed text is ranges and lists when it has a "-" or ","
    between numbers, else one number (KioskError says why not)."""
    if scanned:
        if session is not None:
            return [copy_number_scanned(session, library_id, text, settings)]
        return [read_copy_number(text, settings)]
    if _RANGES.fullmatch(text):
        parts = ("-".join(str(read_copy_number(end, settings, typed=True)) for end in part.split("-"))
                 for part in text.split(","))
        return parse_numbers(",".join(parts))
    return [read_copy_number(text, settings, typed=True)]


def copy_named(db: Database, library_id: int, text: str, settings: ScanSettings, *, typed: bool) -> int:
    """The copy screen's find: the number a scanned or typed code names, in a read of its own."""
    with db.read() as session:
        return copy_number_scanned(session, library_id, text, settings, typed=typed)


def numbers_named(db: Database, library_id: int, text: str, settings: ScanSettings, *, scanned: bool) -> list[int]:
    """The weeding list's numbers_entered, a kept barcode looked up in a read of its own."""
    with db.read() as session:
        return numbers_entered(text, settings, scanned=scanned, session=session, library_id=library_id)
