"""What one scan means for an open delivery (納品の検収): the rule, once, for every scanner.

A scan reaches a delivery already parsed and paired by ``kiosk.scan.ScanFeed``: the one
parser (``parse_scan``) and the one rule for a book's second barcode (``PriceCodePairing``: a
192 code belongs to the ISBN the same scanner read just before it, within the pairing window,
and an ISBN read just after a lone 192 code takes that code). A USB scan was paired by the feed
when the reader read it; a keyboard-wedge burst or a typed code posted by the delivery screen
goes through the same feed. ``scan_into_delivery`` then says what the scan does:

- an ISBN adds a copy (with the list price and C-code of a 192 code read just before it);
- a 192 code read just after an ISBN goes on the copy that ISBN added;
- everything else is refused, with the reason in English and Japanese: a misread (wrong check
  digit, not a book's barcode), a 192 code with no ISBN just before it, a magazine (not
  registered unless it is loaned), the library's own item label (a copy already registered).

The answer is a ``ScanOutcome``; the screen only shows it.
"""

from dataclasses import dataclass

from sqlalchemy import select

from kiosk.intake.eligibility import CATEGORIES
from kiosk.errors import KioskError
from kiosk.intake.delivery import update_item
from kiosk.intake.pending_lookups import IntakeScanner
from kiosk.db.models import IntakeItem
from kiosk.scan.pairing import Pairing
from kiosk.db.storage import Database

ADDED, PRICED, REFUSED = "added", "priced", "refused"


@dataclass(frozen=True)
class ScanOutcome:
    """What a scan did to the delivery.

    ``action``: ``added`` (a copy, ``item_id``), ``priced`` (the 192 code's list price and
    C-code went on the copy ``item_id``) or ``refused`` (``reason``, nothing written).
    ``kind`` is the scan's kind (``kiosk.scan.parser.KINDS``); ``number`` the registration
    number an item label names.
    """

    action: str
    kind: str
    item_id: int | None = None
    reason: KioskError | None = None
    number: int | None = None

    @property
    def ok(self) -> bool:
        return self.action != REFUSED


def scan_into_delivery(scanner: IntakeScanner, intake_id: int, paired: Pairing) -> ScanOutcome:
    """Apply one scan, as the feed parsed and paired it, to the open delivery ``intake_id``.

    ``scanner`` adds copies (asking the local lookup sources at once, the remote ones in the
    background). A delivery that cannot take copies (registered) raises its KioskError."""
    scan = paired.scan
    if scan.rejected:
        return _refused(scan.kind, scan.error, scan.error_ja)
    if scan.kind == "isbn":
        price = paired.price_code if paired.action == "attach" else None
        item_id = scanner.scan(intake_id, scan.isbn13, list_price=price.list_price if price else None,
                               c_code=price.c_code.code if price and price.c_code else None)
        return ScanOutcome(ADDED, "isbn", item_id)
    if scan.kind == "price_code":
        item_id = _copy_of(scanner.db, intake_id, paired.isbn13) if paired.action == "attach" else None
        if item_id is None:
            return _refused("price_code", "scan the book's ISBN first, then this price barcode",
                            "先に本のISBNをスキャンしてください")
        update_item(scanner.db, item_id, list_price=scan.list_price, c_code=scan.c_code.code if scan.c_code else None)
        return ScanOutcome(PRICED, "price_code", item_id)
    if scan.kind == "magazine":
        magazine = CATEGORIES["magazine"]
        return _refused("magazine", magazine.reason_en, magazine.reason_ja)
    if scan.kind == "item":
        return ScanOutcome(REFUSED, "item", reason=KioskError(
            f"this is the library's own copy {scan.number}, already registered",
            f"登録済みの本（登録番号 {scan.number}）のバーコードです"), number=scan.number)
    return _refused(scan.kind, "not a book barcode", "本のバーコードではありません")


def _refused(kind: str, reason: str, reason_ja: str) -> ScanOutcome:
    return ScanOutcome(REFUSED, kind, reason=KioskError(reason, reason_ja))


def _copy_of(db: Database, intake_id: int, isbn13: str | None) -> int | None:
    """The copy the ISBN read just before a 192 code added to this delivery (its newest copy of
    that ISBN); None when there is none, or it was removed or registered since."""
    with db.read() as session:
        row = session.execute(
            select(IntakeItem.id, IntakeItem.removed, IntakeItem.copy_number)
            .where(IntakeItem.intake_id == intake_id, IntakeItem.isbn13 == isbn13)
            .order_by(IntakeItem.id.desc()).limit(1)).first()
    if row is None or row.removed or row.copy_number is not None:
        return None
    return row.id
