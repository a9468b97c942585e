"""Which copy a scanned label names: a barcode kept from an imported ledger (the school's
earlier labels, Copy.item_barcode), else the kiosk's own item code, decoded by the one rule
(kiosk.scan.parser.read_copy_number).

A kept barcode is matched as a whole, after the scanner's prefix and suffix are taken off,
full-width letters folded and spaces dropped: it is the label on that very book, so it wins
over decoding (the import refuses one that decodes to another copy's number).
"""

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Copy
from kiosk.scan.parser import ScanSettings, clean_scan, read_copy_number


def barcode_key(text: str) -> str:
    """A barcode as stored and compared: NFKC, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def kept_barcode_number(session: Session, library_id: int, text: str, settings: ScanSettings) -> int | None:
    """The number of the copy whose kept barcode ``text`` is, if any."""
    key = barcode_key(clean_scan(text, settings)[0])
    if not key:
        return None
    return session.scalar(select(Copy.number).where(Copy.library_id == library_id, Copy.item_barcode == key))


def copy_number_scanned(session: Session, library_id: int, text: str, settings: ScanSettings, *,
                        typed: bool = False) -> int:
    """The registration number a scanned (or typed) code names; KioskError says why not."""
    kept = kept_barcode_number(session, library_id, text, settings)
    return kept if kept is not None else read_copy_number(text, settings, typed=typed)
