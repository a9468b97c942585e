"""Property: whatever staff do, numbers stay first..last, each once, never reused (SQLite and PostgreSQL)."""

from datetime import date

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from kiosk.errors import KioskError
from kiosk.library import create_library
from kiosk.db.models import Copy, Library
from kiosk.ledger.withdrawal import WithdrawalReason, reaccession, withdraw

from tests.core.helpers import copies, donation, purchase, register_n
from kiosk.ledger.accession import register

ON = date(2026, 5, 1)

operation = st.one_of(
    st.tuples(st.just("purchase"), st.integers(1, 12)),
    st.tuples(st.just("donation"), st.integers(1, 5)),
    st.tuples(st.just("bad"), st.integers(1, 5)),
    st.tuples(st.just("withdraw_lost"), st.integers(0, 40)),
    st.tuples(st.just("withdraw_worn"), st.integers(0, 40)),
    st.tuples(st.just("found"), st.integers(0, 40)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.integers(0, 10**6), sheet_rows=st.integers(1, 12), operations=st.lists(operation, max_size=15))
def test_numbers_are_gap_free_unique_and_never_reused(db, first, sheet_rows, operations):
    with db.write() as session:
        library_id = create_library(session, "prop", first_number=first, sheet_rows=sheet_rows, actor="p").id
    given_numbers: list[int] = []
    for action, value in operations:
        try:
            if action == "purchase":
                given_numbers += [c.number for c in register_n(db, library_id, purchase(ON), value).copies]
            elif action == "donation":
                given_numbers += [c.number for c in register_n(db, library_id, donation(ON), value).copies]
            elif action == "bad":  # the last copy has a negative price: nothing may be written
                register(db, library_id, purchase(ON), copies(value) + copies(1, price=-1), actor="p")
            elif action.startswith("withdraw"):
                reason = WithdrawalReason.LOST if action == "withdraw_lost" else WithdrawalReason.WORN
                withdraw(db, library_id, first + value, reason, on=ON, actor="p")
            elif action == "found":
                given_numbers.append(reaccession(db, library_id, first + value, on=ON, actor="p").number)
        except KioskError:
            pass
    with db.read() as session:
        numbers = sorted(session.scalars(select(Copy.number).where(Copy.library_id == library_id)))
        next_number = session.get(Library, library_id).next_number
        positions = session.execute(
            select(Copy.series, Copy.sheet, Copy.row).where(Copy.library_id == library_id)
        ).all()
    assert numbers == list(range(first, first + len(numbers))) == sorted(given_numbers)
    assert next_number == first + len(numbers)
    assert len(set(positions)) == len(positions)
    assert all(1 <= row <= sheet_rows for _, _, row in positions)
