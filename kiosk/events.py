"""The append-only event log: every change, with time, who and what (the database refuses
to update or delete an event)."""

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Event
from kiosk.db.storage import Database

# What the copy page's history calls each action (the event log stores the English key).
ACTION_LABELS_JA = {
    "registered": "受入（登録）", "withdrawn": "除籍", "found": "発見（再受入）", "corrected": "訂正",
    "print_sent": "ラベル印刷", "print_failed": "印刷失敗", "print_unconfirmed": "印刷（出たか確認待ち）",
    "numbers_lost": "欠番（復元時に失われた番号）", "restored": "バックアップから復元",
    "call_number_set": "請求記号の設定", "call_number_confirmed": "請求記号の確認（受入中）",
}


def now() -> datetime:
    return datetime.now(timezone.utc)


def record_events(session: Session, library_id: int, actor: str, entries: list[dict]) -> None:
    """Append events; each entry has ``action`` and optionally ``copy_id``, ``number``, ``details``."""
    if not entries:
        return
    at = now()
    session.connection().execute(
        Event.__table__.insert(),
        [
            {
                "library_id": library_id,
                "at": at,
                "actor": actor,
                "action": entry["action"],
                "copy_id": entry.get("copy_id"),
                "number": entry.get("number"),
                "details": entry.get("details", {}),
            }
            for entry in entries
        ],
    )


def record_event(session: Session, library_id: int, actor: str, action: str, **entry) -> None:
    record_events(session, library_id, actor, [{"action": action, **entry}])


@dataclass(frozen=True)
class EventLine:
    """One event as a screen or command shows it (no ORM row)."""

    at: datetime
    actor: str
    action: str
    number: int | None
    details: dict | None

    @classmethod
    def of(cls, event: Event) -> "EventLine":
        return cls(event.at, event.actor, event.action, event.number, event.details)


def event_log(db: Database, library_id: int, number: int | None = None) -> list[EventLine]:
    """events_for in a read of its own: the library's log, or one copy's."""
    with db.read() as session:
        return [EventLine.of(event) for event in events_for(session, library_id, number)]


def events_for(session: Session, library_id: int, number: int | None = None) -> list[Event]:
    query = select(Event).where(Event.library_id == library_id).order_by(Event.id)
    if number is not None:
        query = query.where(Event.number == number)
    return list(session.scalars(query))
