"""欠番 recorded by the kiosk: registration numbers that were never given to a copy in this
database but may be on a label, so they are retired forever.

A restored backup does not know the copies registered after it, yet their labels are on books.
Staff say the highest number already on a label; the counter continues after it, and every
number between the backup's highest and that one is recorded here as lost at restore. The record
is an event (``numbers_lost``): the event log is append-only, so a recorded 欠番 can never be
taken back, and the ledger reads its 欠番 from the same place the log says so.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.clock import ledger_today
from kiosk.db.models import Copy, Event, Library
from kiosk.errors import KioskError
from kiosk.events import record_event
from kiosk.ledger.fiscal import fiscal_year
from kiosk.library import lock_library

LOST_ACTION = "numbers_lost"
RESTORED_ACTION = "restored"
REASON_LABELS_JA = {"restore": "復元時に失われた番号", "import": "取り込んだ台帳になかった番号"}
MAX_LOST = 100_000  # a typo in the highest label (an extra digit) must not retire a whole future


@dataclass(frozen=True)
class LostNumbers:
    """A range of retired numbers no copy has: first..last, both included."""

    first: int
    last: int
    reason: str
    noted_on: date
    note: str

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.noted_on)

    @property
    def reason_ja(self) -> str:
        return REASON_LABELS_JA.get(self.reason, self.reason)

    def numbers(self) -> range:
        return range(self.first, self.last + 1)

    def to_json(self) -> dict:
        return {"first": self.first, "last": self.last, "count": self.count, "reason": self.reason,
                "reason_ja": self.reason_ja, "noted_on": self.noted_on.isoformat(), "note": self.note}


@dataclass(frozen=True)
class Continuation:
    """What a restore did to a library's counter."""

    library_id: int
    backup_highest: int | None  # the highest number the restored data had given
    highest_label: int
    next_number: int
    lost: LostNumbers | None


def highest_given(session: Session, library_id: int) -> int | None:
    """The highest number this database has used: on a copy, or retired by the counter (its
    next number less one). None when no number was ever given."""
    next_number, first_number = session.execute(
        select(Library.next_number, Library.first_number).where(Library.id == library_id)).one()
    top_copy = session.scalar(select(func.max(Copy.number)).where(Copy.library_id == library_id))
    candidates = [n for n in (top_copy, next_number - 1 if next_number > first_number else None) if n is not None]
    return max(candidates) if candidates else None


def continue_after(session: Session, library_id: int, highest_label: int, *, source: str, actor: str) -> Continuation:
    """After a restore: the counter continues after max(highest_label, the data's highest), and
    the numbers between are recorded as lost. Runs in the caller's write transaction, the
    counter locked, so no number is given while this decides."""
    library = lock_library(session, library_id)
    if not isinstance(highest_label, int) or highest_label < 0:
        raise KioskError(f"the highest number on a label must be 0 or more (got {highest_label!r})",
                         "ラベルにある最大の登録番号は0以上の整数で指定してください")
    backup_highest = highest_given(session, library_id)
    counter_before = library.next_number  # every number below it is already used or retired
    first_lost = library.next_number
    last_lost = highest_label
    lost = None
    if last_lost >= first_lost:
        if last_lost - first_lost + 1 > MAX_LOST:
            raise KioskError(
                f"{last_lost - first_lost + 1} numbers would be lost ({first_lost}-{last_lost}): "
                f"check --highest-label (at most {MAX_LOST} at once)",
                f"欠番が {last_lost - first_lost + 1:,} 個になります（{first_lost}〜{last_lost}）。"
                "ラベルにある最大の登録番号を確かめてください")
        lost = record_lost(session, library_id, first_lost, last_lost, "restore", source, actor)
        library.next_number = last_lost + 1
    record_event(session, library_id, actor, RESTORED_ACTION,
                 details={"source": source, "backup_highest": backup_highest, "highest_label": highest_label,
                          "next_number": library.next_number, "lost": lost.to_json() if lost else None,
                          "counter_before": counter_before})
    session.flush()
    return Continuation(library_id, backup_highest, highest_label, library.next_number, lost)


def record_lost(session: Session, library_id: int, first: int, last: int, reason: str, note: str,
                actor: str) -> LostNumbers:
    """Record first..last as 欠番 (the caller holds the counter's lock and moves it past them)."""
    lost = LostNumbers(first, last, reason, ledger_today(session), note)
    record_event(session, library_id, actor, LOST_ACTION, number=first,
                 details={"first": first, "last": last, "count": lost.count, "reason": reason,
                          "on": lost.noted_on.isoformat(), "note": note})
    return lost


def lost_numbers(session: Session, library_id: int, *, fiscal_year: int | None = None) -> list[LostNumbers]:
    """The library's recorded 欠番 ranges in number order (one fiscal year's: recorded in it)."""
    found = []
    for details in session.scalars(select(Event.details).where(Event.library_id == library_id,
                                                              Event.action == LOST_ACTION).order_by(Event.id)):
        lost = LostNumbers(int(details["first"]), int(details["last"]), details.get("reason", "restore"),
                           date.fromisoformat(details["on"]), details.get("note") or "")
        if fiscal_year is None or lost.fiscal_year == fiscal_year:
            found.append(lost)
    return sorted(found, key=lambda lost: lost.first)
