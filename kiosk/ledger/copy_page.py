"""The copy page's read model: one copy's ledger row, the values a correction starts from and
its event history, read in one transaction (so the three agree)."""

from dataclasses import dataclass

from kiosk.db.storage import Database
from kiosk.events import EventLine, events_for
from kiosk.ledger.sheets import LedgerRow, copy_row, find_copy
from kiosk.ledger.withdrawal import correctable_values


@dataclass(frozen=True)
class CopyPage:
    row: LedgerRow
    current: dict[str, str]  # the correctable fields as the form shows them
    events: tuple[EventLine, ...]


def copy_page(db: Database, library_id: int, number: int) -> CopyPage:
    """Copy ``number`` (NotFound if there is none) as its page shows it."""
    with db.read() as session:
        return CopyPage(copy_row(session, library_id, number),
                        correctable_values(find_copy(session, library_id, number)),
                        tuple(EventLine.of(event) for event in events_for(session, library_id, number)))
