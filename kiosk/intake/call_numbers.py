"""A scanned copy's call number at the desk: the proposal its card shows, and what staff confirm.

The proposal (kiosk.labels.proposal) is made from the copy's record and its C-code: the one the
192 price code gave the copy, else the record's (openBD), else its slip line's. What staff
confirm on the touch editor is kept with the scanned copy (intake_items.classification,
author_mark, volume_mark, confirmed_at/by) and carried to the copy when registered.
"""

import re

from sqlalchemy import select

from kiosk.db.models import Intake, IntakeItem, IntakeSlipLine
from kiosk.db.storage import Database
from kiosk.errors import KioskError, NotFound
from kiosk.events import now, record_event
from kiosk.labels.callnumber import CallNumberRules
from kiosk.labels.proposal import CallNumberProposal, CCode, ConfirmedCallNumber, propose_call_number, typed_call_number
from kiosk.lookup.record import MAX_CREATORS, BibRecord, Creator
from kiosk.lookup.roles import split_statement


def item_c_code(item: IntakeItem, record: BibRecord | None, line: IntakeSlipLine | None) -> CCode | None:
    """The copy's C-code and where it was read: its 192 price code, the record (openBD), the slip."""
    if item.c_code:
        return CCode(item.c_code, "price_code")
    if record is not None and record.c_code:
        return CCode(record.c_code, "record")
    if line is not None and line.c_code:
        return CCode(line.c_code, "slip")
    return None


def item_proposal(item: IntakeItem, record: BibRecord | None, line: IntakeSlipLine | None,
                  rules: CallNumberRules) -> CallNumberProposal:
    """The copy's call number, tier by tier: what staff confirmed, else the proposal from its
    record, or from its slip line (title and authors as the slip writes them) when it has none."""
    confirmed = None
    if item.call_number_confirmed_at is not None:
        confirmed = ConfirmedCallNumber(item.classification or "", item.author_mark or "", item.volume_mark)
    return propose_call_number(record or slip_record(item.isbn13, line), c_code=item_c_code(item, record, line),
                               rules=rules, confirmed=confirmed)


def slip_record(isbn13: str | None, line: IntakeSlipLine | None) -> BibRecord | None:
    """What a slip line says of a book no source knows: its title and its authors with their
    roles (``エリック・カール 作; もり ひさし 訳``), as a record to propose a call number from."""
    if line is None or not isbn13 or not line.title:
        return None
    creators = []
    for statement in re.split(r"[;；/／]", line.authors or ""):
        creators += [Creator(name, None, role) for name, role in split_statement(statement) if name.strip()]
    try:
        return BibRecord(isbn13=isbn13, title=line.title, source="import", creators=tuple(creators[:MAX_CREATORS]),
                         publisher=line.publisher)
    except KioskError:  # a slip line that makes no record (no title left once cleaned)
        return None


def confirm_item_call_number(db: Database, item_id: int, *, of_intake: int, top: str, bottom: str,
                             volume: str | None = None, actor: str) -> ConfirmedCallNumber:
    """Keep the call number staff confirmed (or typed) for a scanned copy: top and bottom tiers
    required. One transaction holding the delivery's lock, as every write to a delivery does;
    refused for a copy of another delivery or one already registered (correct the ledger then)."""
    confirmed = typed_call_number(top, bottom, volume)
    with db.write() as session:
        intake = session.scalar(select(Intake).where(Intake.id == of_intake).with_for_update()
                                .execution_options(populate_existing=True))
        item = session.get(IntakeItem, item_id, populate_existing=True)
        if intake is None or item is None or item.intake_id != of_intake or item.removed:
            raise NotFound(f"no scanned copy {item_id} in delivery {of_intake}",
                           f"スキャンした本 {item_id} はこの納品にありません")
        if intake.status != "open":
            raise KioskError(f"delivery {of_intake} is closed", f"納品 {of_intake} は締め切られています")
        if item.copy_number is not None:
            raise KioskError(f"copy {item.copy_number} is already registered: set its call number on its own screen",
                             f"登録番号 {item.copy_number} として登録済みです。本の画面で請求記号を設定してください")
        item.classification, item.author_mark, item.volume_mark = confirmed.top, confirmed.bottom, confirmed.volume
        item.call_number_confirmed_at, item.call_number_confirmed_by = now(), actor
        record_event(session, intake.library_id, actor, "call_number_confirmed",
                     details={"intake": of_intake, "item": item_id, "isbn": item.isbn13, "classification": confirmed.top,
                              "author_mark": confirmed.bottom, "volume_mark": confirmed.volume})
        return confirmed
