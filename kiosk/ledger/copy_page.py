"""The copy page's read model: one copy's ledger row, the values a correction starts from and
its event history, read in one transaction (so the three agree)."""

from dataclasses import dataclass

from kiosk.db.storage import Database
from kiosk.events import EventLine, events_for
from kiosk.labels.proposal import CALL_NUMBER_STATE_LABELS_JA, CallNumberState
from kiosk.ledger.call_numbers import settable
from kiosk.printing.waiting_spines import waiting_jobs
from kiosk.ledger.sheets import LedgerRow, copy_row, find_copy
from kiosk.ledger.withdrawal import correctable_values


@dataclass(frozen=True)
class CopyPage:
    row: LedgerRow
    current: dict[str, str]  # the correctable fields as the form shows them
    events: tuple[EventLine, ...]
    call_number_state: str | None = None  # kiosk.labels.proposal.CallNumberState's value
    call_number_settable: bool = False  # set here (a tier missing or estimated), not corrected
    spine_waiting: bool = False  # its spine label waits in the print queue as 請求記号待ち

    @property
    def call_number_state_ja(self) -> str | None:
        return CALL_NUMBER_STATE_LABELS_JA.get(CallNumberState(self.call_number_state)) if self.call_number_state else None


def copy_page(db: Database, library_id: int, number: int) -> CopyPage:
    """Copy ``number`` (NotFound if there is none) as its page shows it."""
    with db.read() as session:
        copy = find_copy(session, library_id, number)
        return CopyPage(copy_row(session, library_id, number), correctable_values(copy),
                        tuple(EventLine.of(event) for event in events_for(session, library_id, number)),
                        copy.call_number_state, settable(copy),
                        any(number in job.numbers for job in waiting_jobs(session, library_id)))
