"""The delivery discrepancy report (納品の差異) for the bookseller: what the slip (納品書) lists
against what was scanned and inspected — copies missing, copies not on the slip, copies going
back for exchange (落丁・乱丁), list prices that differ from the slip, and the slip's total
against its lines — with the delivery's source, slip number and dates (read model for
printer.discrepancy_pdf and `kiosk report discrepancy --delivery ID`).

The figures are those of the check screen (kiosk.intake.delivery.SlipCheck): one rule, two
views. Read in one transaction with the library it belongs to; another library's delivery is
not found."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from kiosk.errors import NotFound
from kiosk.intake.delivery import Inspection, ItemView, read_intake_view
from kiosk.ledger.funds import FUND_LABELS_JA, KIND_LABELS_JA
from kiosk.ledger.holdings import LibraryName, library_name


@dataclass(frozen=True)
class MissingLine:
    """A slip line delivered short."""

    position: int
    title: str
    isbn13: str | None
    ordered: int  # on the slip
    delivered: int  # scanned, defective ones included (they were delivered)
    missing: int
    unit_price: int | None  # 税込単価 on the slip

    @property
    def amount(self) -> int | None:
        """What the missing copies come to on the slip, when it gives a unit price."""
        return None if self.unit_price is None else self.unit_price * self.missing


@dataclass(frozen=True)
class CopyLine:
    """A delivered copy named in the report (not on the slip, or defective)."""

    title: str
    isbn13: str | None
    slip_line: int | None
    price: int | None  # tax included, as it would be registered


@dataclass(frozen=True)
class PriceLine:
    title: str
    isbn13: str | None
    slip_list_price: int  # 本体 on the slip
    book_list_price: int  # 本体 on the book (its 192 code) or its record

    @property
    def difference(self) -> int:
        return self.book_list_price - self.slip_list_price


@dataclass(frozen=True)
class DeliveryDiscrepancy:
    library: LibraryName
    delivery_id: int
    source: str  # the bookseller (or donor)
    received_on: date
    slip_number: str | None
    kind_ja: str
    fund_ja: str
    has_slip: bool
    slip_quantity: int  # copies on the slip
    slip_total: int | None  # the slip's total (tax included)
    lines_total: int  # its lines added up
    delivered: int  # copies scanned (not removed)
    good: int  # inspected, pages fine
    pending: int  # not inspected yet
    registered: int
    missing: tuple[MissingLine, ...]
    extra: tuple[CopyLine, ...]
    defective: tuple[CopyLine, ...]
    prices: tuple[PriceLine, ...]

    @property
    def total_difference(self) -> int:
        """The lines' sum less the slip's total (0 when the slip gives none)."""
        return 0 if self.slip_total is None else self.lines_total - self.slip_total

    @property
    def nothing_to_report(self) -> bool:
        return not (self.missing or self.extra or self.defective or self.prices or self.total_difference)


def delivery_discrepancy(session: Session, library_id: int, delivery_id: int) -> DeliveryDiscrepancy:
    view = read_intake_view(session, delivery_id)
    if view.library_id != library_id:
        raise NotFound(f"no delivery {delivery_id} in library {library_id}", f"納品 {delivery_id} が見つかりません")
    check = view.check
    items = {item.id: item for item in view.items}
    return DeliveryDiscrepancy(
        library=library_name(session, library_id), delivery_id=view.id, source=view.source,
        received_on=view.received_on, slip_number=view.slip_number,
        kind_ja=KIND_LABELS_JA.get(view.kind, view.kind), fund_ja=FUND_LABELS_JA.get(view.fund, view.fund),
        has_slip=check.has_slip, slip_quantity=sum(line.quantity for line in check.lines),
        slip_total=check.slip_total, lines_total=check.lines_total, delivered=len(view.items),
        good=sum(1 for item in view.items if item.inspection == Inspection.OK), pending=len(check.pending),
        registered=sum(1 for item in view.items if item.copy_number is not None),
        missing=tuple(MissingLine(line.position, line.title, line.isbn13, line.quantity,
                                  line.scanned + line.defective, line.missing, line.unit_price)
                      for line in check.missing),
        extra=tuple(_copy_line(items[item_id]) for item_id in sorted(check.extra)),
        defective=tuple(_copy_line(items[item_id]) for item_id in sorted(check.defective)),
        prices=tuple(PriceLine(items[item_id].title or "", items[item_id].isbn13, slip, book)
                     for item_id, slip, book in sorted(check.price_differences)),
    )


def _copy_line(item: ItemView) -> CopyLine:
    return CopyLine(item.title or "（書名未確認）", item.isbn13, item.slip_line, item.price)
