"""A withdrawal planned before it is confirmed (the screens' first tap): the same rules as the
withdrawal itself, and nothing written."""

import pytest
from sqlalchemy import func, select

from kiosk.db.models import Copy, Event
from kiosk.errors import KioskError, NotFound
from kiosk.ledger.withdrawal import WithdrawalReason, plan_withdrawal, withdraw

from tests.core.helpers import purchase, register_n


def _state(db):
    with db.read() as session:
        return (sorted(session.execute(select(Copy.number, Copy.status, Copy.withdrawal_note)).all()),
                session.scalar(select(func.count()).select_from(Event)))


def test_a_plan_shows_the_copies_reason_and_note_and_writes_nothing(db, library_id, today):
    register_n(db, library_id, purchase(today), 3)
    before = _state(db)
    plan = plan_withdrawal(db, library_id, [1002, 1001, 1002], WithdrawalReason.OTHER, note=" 寄贈先へ ")
    assert plan.numbers == (1002, 1001) and plan.reason is WithdrawalReason.OTHER and plan.note == "寄贈先へ"
    assert plan.amount == sum(row.price for row in plan.rows) and plan.rows[0].status == "active"
    assert _state(db) == before


def test_a_plan_refuses_what_the_withdrawal_would_refuse(db, library_id, today):
    register_n(db, library_id, purchase(today), 2)
    withdraw(db, library_id, 1002, WithdrawalReason.LOST, on=today, note="図書室で紛失", actor="t")
    before = _state(db)
    with pytest.raises(KioskError, match="already withdrawn"):
        plan_withdrawal(db, library_id, [1001, 1002], WithdrawalReason.WORN)
    with pytest.raises(NotFound):
        plan_withdrawal(db, library_id, [4242], WithdrawalReason.WORN)
    with pytest.raises(KioskError, match="needs a note"):
        plan_withdrawal(db, library_id, [1001], WithdrawalReason.OTHER, note="  ")
    with pytest.raises(KioskError):
        plan_withdrawal(db, library_id, [], WithdrawalReason.WORN)
    assert _state(db) == before
    assert before[0][1] == (1002, "withdrawn", "図書室で紛失")  # the note is kept with the copy
