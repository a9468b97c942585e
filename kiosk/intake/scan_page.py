"""What the scan screen needs from a delivery, at a cost that does not grow with it.

A scan, a tap or a poll answers with the one copy that changed and the delivery's counts:
the copy is read by its id (with its one slip line), the counts by aggregate queries. The
scan screen shows one page of copies, newest first. Only the slip check (one page per
delivery, not per scan) still reads the whole delivery: kiosk.intake.delivery.intake_view.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import NotFound
from kiosk.intake.delivery import IntakeHead, IntakeStatus, ItemView, _intake, _item_view
from kiosk.db.models import IntakeItem, IntakeSlipLine
from kiosk.db.storage import Database
from kiosk.settings import settings_for

PER_PAGE = 50


@dataclass(frozen=True)
class IntakeCounts:
    """The whole delivery's counts: copies scanned (not removed) and copies on the slip."""

    scanned: int
    expected: int | None  # None when there is no slip (a donation)

    @property
    def has_slip(self) -> bool:
        return self.expected is not None


@dataclass(frozen=True)
class ChangedItem:
    """The answer to a scan, a tap or a poll: the delivery, the one copy, the counts."""

    intake: IntakeHead
    item: ItemView
    counts: IntakeCounts


@dataclass(frozen=True)
class IntakePage:
    """One page of a delivery's copies, newest first, with the whole delivery's counts."""

    intake: IntakeHead
    counts: IntakeCounts
    items: list[ItemView]
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.counts.scanned // self.per_page))

    @property
    def first(self) -> int:
        """The position (1 = newest) of this page's first copy."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


def intake_counts(db: Database, intake_id: int) -> IntakeCounts:
    with db.read() as session:
        return _counts(session, intake_id)


def item_view(db: Database, item_id: int) -> ItemView:
    """One scanned copy as the scan screen shows it (NotFound if it is gone or removed)."""
    with db.read() as session:
        return _one_item(session, item_id)


def changed_item(db: Database, intake_id: int, item_id: int) -> ChangedItem:
    """The copy ``item_id`` of delivery ``intake_id``, its delivery and the counts, in one read."""
    with db.read() as session:
        counts = _counts(session, intake_id)
        head = _head(session, intake_id, counts)
        return ChangedItem(head, _one_item(session, item_id, intake_id, head.library_id), counts)


def intake_page(db: Database, intake_id: int, page: int = 1, per_page: int = PER_PAGE) -> IntakePage:
    """Page ``page`` (1 = the newest ``per_page`` copies) of the delivery; a page past the end
    gives the last page."""
    with db.read() as session:
        counts = _counts(session, intake_id)
        head = _head(session, intake_id, counts)
        pages = max(1, -(-counts.scanned // per_page))
        page = min(max(page, 1), pages)
        items = list(session.scalars(
            select(IntakeItem).where(IntakeItem.intake_id == intake_id, IntakeItem.removed.is_(False))
            .order_by(IntakeItem.id.desc()).limit(per_page).offset((page - 1) * per_page)))
        line_ids = {item.slip_line_id for item in items if item.slip_line_id is not None}
        lines = {line.id: line for line in session.scalars(
            select(IntakeSlipLine).where(IntakeSlipLine.id.in_(line_ids)))} if line_ids else {}
        rules = settings_for(session, head.library_id).callnumber
        views = [_item_view(item, lines.get(item.slip_line_id), rules) for item in items]
        return IntakePage(head, counts, views, page, per_page)


def _head(session: Session, intake_id: int, counts: IntakeCounts) -> IntakeHead:
    intake = _intake(session, intake_id)
    return IntakeHead(intake.id, intake.library_id, intake.source, intake.received_on, intake.kind, intake.fund,
                      intake.slip_number, IntakeStatus(intake.status), counts.has_slip)


def _counts(session: Session, intake_id: int) -> IntakeCounts:
    """One statement: the copies (by the intake_id index) and the slip's lines and quantity."""
    scanned = (select(func.count()).select_from(IntakeItem)
               .where(IntakeItem.intake_id == intake_id, IntakeItem.removed.is_(False)).scalar_subquery())
    lines = select(func.count()).where(IntakeSlipLine.intake_id == intake_id).scalar_subquery()
    quantity = select(func.coalesce(func.sum(IntakeSlipLine.quantity), 0)).where(
        IntakeSlipLine.intake_id == intake_id).scalar_subquery()
    scanned, lines, quantity = session.execute(select(scanned, lines, quantity)).one()
    return IntakeCounts(scanned, int(quantity) if lines else None)


def _one_item(session: Session, item_id: int, intake_id: int | None = None, library_id: int | None = None) -> ItemView:
    item = session.get(IntakeItem, item_id)
    if item is None or item.removed or (intake_id is not None and item.intake_id != intake_id):
        raise NotFound(f"no scanned copy {item_id}" + (f" on delivery {intake_id}" if intake_id else ""),
                       f"スキャンした本 {item_id} が見つかりません")
    line = session.get(IntakeSlipLine, item.slip_line_id) if item.slip_line_id is not None else None
    if library_id is None:
        library_id = _intake(session, item.intake_id).library_id
    return _item_view(item, line, settings_for(session, library_id).callnumber)
