"""A registered copy's call number set later (請求記号の設定): the copy registered with a tier
missing (未定) or estimated (推定) gets the tiers staff confirm, and its spine label, waiting in
the print queue as 請求記号待ち, is released in the same transaction.

Also what a correction of a tier does to the spine label (kiosk.ledger.withdrawal calls
``settle_tiers``), so the two ways staff change a tier agree.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kiosk.db.models import Copy
from kiosk.db.storage import Database
from kiosk.errors import KioskError
from kiosk.events import record_event
from kiosk.labels.proposal import CallNumberState, typed_call_number
from kiosk.ledger.sheets import find_copy
from kiosk.printing.waiting_spines import hold_spines, release_spines


@dataclass(frozen=True)
class CallNumberSet:
    number: int
    top: str
    bottom: str
    volume: str | None
    released_jobs: list[int]  # spine-label jobs that waited for this call number, now queued


def set_call_number(db: Database, library_id: int, number: int, *, top: str, bottom: str,
                    volume: str | None = None, actor: str, printer: str | None = None) -> CallNumberSet:
    """Set copy ``number``'s tiers as staff confirmed them (both top and bottom required), in
    one transaction under the copy's lock; its waiting spine labels are queued for ``printer``
    (None: the next sheet). The old and new tiers go in the event log."""
    confirmed = typed_call_number(top, bottom, volume)
    with db.write() as session:
        copy = find_copy(session, library_id, number, lock=True)
        if not settable(copy):
            raise KioskError(f"copy {number} has a settled call number: correct it (with a reason) instead",
                             f"登録番号 {number} の請求記号は決まっています。変えるときは「訂正する」から理由を添えてください")
        before = {"classification": copy.classification, "author_mark": copy.author_mark,
                  "volume_mark": copy.volume_mark, "call_number_state": copy.call_number_state}
        copy.classification, copy.author_mark = confirmed.top, confirmed.bottom
        copy.volume_mark = confirmed.volume
        copy.call_number_state = CallNumberState.CONFIRMED.value
        released = release_spines(session, library_id, number, printer=printer)
        record_event(session, library_id, actor, "call_number_set", copy_id=copy.id, number=number,
                     details={"before": before, "after": {"classification": confirmed.top, "author_mark": confirmed.bottom,
                                                          "volume_mark": confirmed.volume},
                              "released_jobs": released})
        return CallNumberSet(number, confirmed.top, confirmed.bottom, confirmed.volume, released)


def settable(copy: Copy) -> bool:
    """A call number set here, not corrected: a tier is empty, or the desk registered it
    missing (未定) or estimated (推定)."""
    return not (copy.classification and copy.author_mark) or copy.call_number_state in (
        CallNumberState.MISSING, CallNumberState.ESTIMATED)


def settle_tiers(session: Session, copy: Copy, *, actor: str) -> list[int]:
    """After a correction changed a tier: a complete call number releases the copy's waiting
    spine label (for the next sheet) and counts as confirmed; an emptied tier holds it again."""
    if copy.classification and copy.author_mark:
        copy.call_number_state = CallNumberState.CONFIRMED.value
        return release_spines(session, copy.library_id, copy.number)
    copy.call_number_state = CallNumberState.MISSING.value
    session.flush()
    hold_spines(session, copy.library_id, [copy.number], actor=actor)
    return []
