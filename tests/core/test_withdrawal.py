"""Withdrawal (除籍), re-accession of a found copy, corrections: numbers are never reused."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.errors import KioskError, NotFound
from kiosk.events import events_for
from kiosk.ledger.sheets import ledger_sheets
from kiosk.db.models import Copy
from kiosk.ledger.withdrawal import WithdrawalReason, correct, parse_reason, reaccession, withdraw

from tests.core.helpers import purchase, register_n


def test_withdrawn_copy_stays_in_the_ledger_marked(db, library_id, today):
    register_n(db, library_id, purchase(today), 2)
    withdraw(db, library_id, 1001, WithdrawalReason.WORN, on=today, actor="司書")
    with db.read() as session:
        sheet = ledger_sheets(session, library_id)[0]
        assert [(r.number, r.status) for r in sheet.rows] == [(1001, "withdrawn"), (1002, "active")]
        assert (sheet.count, sheet.amount) == (2, 2200)  # the sheet is what was accessioned
        (event,) = [e for e in events_for(session, library_id, 1001) if e.action == "withdrawn"]
        assert event.details["reason"] == "worn" and event.actor == "司書"


def test_withdrawn_number_is_never_given_again(db, library_id, today):
    register_n(db, library_id, purchase(today), 2)
    withdraw(db, library_id, 1002, WithdrawalReason.DISCARDED, on=today, actor="t")
    assert register_n(db, library_id, purchase(today), 1).copies[0].number == 1003


def test_withdrawing_twice_or_an_unknown_number_is_refused(db, library_id, today):
    register_n(db, library_id, purchase(today), 1)
    withdraw(db, library_id, 1001, WithdrawalReason.LOST, on=today, actor="t")
    with pytest.raises(KioskError):
        withdraw(db, library_id, 1001, WithdrawalReason.LOST, on=today, actor="t")
    with pytest.raises(NotFound):
        withdraw(db, library_id, 4242, WithdrawalReason.LOST, on=today, actor="t")


def test_withdrawal_before_accession_or_other_without_note_is_refused(db, library_id, today):
    register_n(db, library_id, purchase(today), 1)
    with pytest.raises(KioskError):
        withdraw(db, library_id, 1001, WithdrawalReason.WORN, on=today - timedelta(days=1), actor="t")
    with pytest.raises(KioskError):
        withdraw(db, library_id, 1001, WithdrawalReason.OTHER, on=today, actor="t")
    with db.read() as session:
        assert session.scalar(select(Copy.status)) == "active"


def test_unknown_reason_is_refused():
    with pytest.raises(KioskError):
        parse_reason("stolen by dragons")


def test_found_copy_gets_a_new_number_linked_to_the_old(db, library_id, today):
    register_n(db, library_id, purchase(today), 2)
    withdraw(db, library_id, 1001, WithdrawalReason.LOST, on=today, actor="t")
    found = reaccession(db, library_id, 1001, on=today, actor="t")
    assert (found.number, found.price, found.series) == (1003, 1100, "purchase")
    with db.read() as session:
        new = session.scalar(select(Copy).where(Copy.number == 1003))
        old = session.scalar(select(Copy).where(Copy.number == 1001))
        assert new.kind == "other" and new.reaccession_of_id == old.id and old.status == "withdrawn"
        row = [r for r in ledger_sheets(session, library_id)[0].rows if r.number == 1003][0]
        assert row.reaccession_of == 1001


def test_only_a_lost_copy_is_reaccessioned_and_only_once(db, library_id, today):
    register_n(db, library_id, purchase(today), 2)
    with pytest.raises(KioskError):
        reaccession(db, library_id, 1001, on=today, actor="t")  # still active
    withdraw(db, library_id, 1002, WithdrawalReason.WORN, on=today, actor="t")
    with pytest.raises(KioskError):
        reaccession(db, library_id, 1002, on=today, actor="t")  # worn, not lost
    withdraw(db, library_id, 1001, WithdrawalReason.LOST, on=today, actor="t")
    reaccession(db, library_id, 1001, on=today, actor="t")
    with pytest.raises(KioskError) as caught:
        reaccession(db, library_id, 1001, on=today, actor="t")
    assert "1003" in str(caught.value)


def test_correction_changes_the_row_and_keeps_the_old_value(db, library_id, today):
    register_n(db, library_id, purchase(today), 1, title="ぐりとくら")
    correct(db, library_id, 1001, {"title": "ぐりとぐら", "year": "1967"}, reason="誤記", actor="司書")
    with db.read() as session:
        copy = session.scalar(select(Copy))
        assert (copy.title, copy.year, copy.number) == ("ぐりとぐら", 1967, 1001)
        (event,) = [e for e in events_for(session, library_id, 1001) if e.action == "corrected"]
        assert event.details["before"] == {"title": "ぐりとくら", "year": None}
        assert event.details["reason"] == "誤記"


@pytest.mark.parametrize(
    "changes, reason",
    [({"number": "5"}, "誤記"), ({"price": "-3"}, "誤記"), ({"year": "昭和"}, "誤記"), ({"title": ""}, "誤記"),
     ({"title": "x"}, " ")],
)
def test_bad_corrections_are_refused(db, library_id, today, changes, reason):
    register_n(db, library_id, purchase(today), 1)
    with pytest.raises(KioskError):
        correct(db, library_id, 1001, changes, reason=reason, actor="t")
    with db.read() as session:
        assert session.scalar(select(Copy.title)) == "ぐりとぐら"
        assert session.scalar(select(Copy.price)) == 1100


def _statuses(db, library_id):
    with db.read() as session:
        return {c.number: (c.status, c.withdrawal_reason) for c in session.scalars(select(Copy).where(Copy.library_id == library_id))}


def test_a_weeding_withdraws_every_copy_with_one_reason(db, library_id, today):
    from kiosk.ledger.withdrawal import withdraw_many

    register_n(db, library_id, purchase(today), 5)
    withdrawn = withdraw_many(db, library_id, [1004, 1002, 1004, 1003], WithdrawalReason.DISCARDED, on=today, actor="司書")
    assert [c.number for c in withdrawn] == [1004, 1002, 1003]  # in the order scanned, a double scan once
    assert _statuses(db, library_id) == {1001: ("active", None), 1002: ("withdrawn", "discarded"),
                                         1003: ("withdrawn", "discarded"), 1004: ("withdrawn", "discarded"),
                                         1005: ("active", None)}
    with db.read() as session:
        assert len([e for e in events_for(session, library_id) if e.action == "withdrawn"]) == 3


@pytest.mark.parametrize("numbers, ja", [
    ([1001, 1002, 4242], "登録番号 4242 の本はありません"),
    ([1001, 1003], "登録番号 1003 はすでに除籍されています"),
])
def test_one_bad_copy_refuses_the_whole_weeding_and_changes_nothing(db, library_id, today, numbers, ja):
    from kiosk.ledger.withdrawal import withdraw_many

    register_n(db, library_id, purchase(today), 3)
    withdraw(db, library_id, 1003, WithdrawalReason.LOST, on=today, actor="t")
    before = _statuses(db, library_id)
    with pytest.raises(KioskError) as refused:
        withdraw_many(db, library_id, numbers, WithdrawalReason.WORN, on=today, actor="t")
    assert refused.value.ja.startswith(ja)
    assert _statuses(db, library_id) == before
    with db.read() as session:
        assert len([e for e in events_for(session, library_id) if e.action == "withdrawn"]) == 1


def test_a_weeding_in_the_future_or_too_large_or_empty_is_refused(db, library_id, today):
    from kiosk.ledger.withdrawal import MAX_WITHDRAWALS, withdraw_many

    register_n(db, library_id, purchase(today), 1)
    for numbers, on, ja in (([1001], today + timedelta(days=1), "が未来の日付です"),
                            (list(range(1, MAX_WITHDRAWALS + 2)), today, "一度に除籍できるのは500冊までです"),
                            ([], today, "除籍する本を指定してください")):
        with pytest.raises(KioskError) as refused:
            withdraw_many(db, library_id, numbers, WithdrawalReason.WORN, on=on, actor="t")
        assert ja in refused.value.ja
    assert _statuses(db, library_id) == {1001: ("active", None)}
