"""The use cases and read models the shell calls (docs/architecture.md, "Who owns the
transaction"): each owns its one transaction, and what a screen gets holds no ORM row."""

import dataclasses

import pytest

from kiosk.db.models import Base, Library
from kiosk.errors import KioskError
from kiosk.events import event_log
from kiosk.ledger.copy_page import copy_page
from kiosk.ledger.withdrawal import correct_typed
from kiosk.library import change_library, library_info, set_up_library
from kiosk.staff import NoSuchMember, NotPermitted, add_member, remove_member_by_admin, set_own_pin, staff_screen

from tests.core.helpers import purchase, register_n


def _holds_orm_rows(value) -> bool:
    if isinstance(value, Base):
        return True
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_holds_orm_rows(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return any(map(_holds_orm_rows, value))
    return False


def test_the_copy_page_is_read_in_one_transaction_and_holds_no_orm_row(db, library_id, today):
    register_n(db, library_id, purchase(today), 1)
    page = copy_page(db, library_id, 1001)
    assert page.row.number == 1001 and page.current["title"] == page.row.title
    assert [e.action for e in page.events] == ["registered"]
    assert not _holds_orm_rows(page)
    assert _holds_orm_rows((page, [Library(name="x")]))  # the check can fail


def test_a_typed_correction_changes_only_what_differs_and_refuses_nothing_changed(db, library_id, today):
    register_n(db, library_id, purchase(today), 1)
    title = copy_page(db, library_id, 1001).current["title"]
    with pytest.raises(KioskError) as refused:
        correct_typed(db, library_id, 1001, {"title": f" {title} ", "csrf_token": "x"}, reason="誤記", actor="t")
    assert refused.value.ja == "変更された項目がありません"
    made = correct_typed(db, library_id, 1001, {"title": title, "price": "990"}, reason="誤記", actor="t")
    assert made["after"] == {"price": 990}
    (event,) = [e for e in event_log(db, library_id, 1001) if e.action == "corrected"]
    assert event.details["after"] == {"price": 990}


def test_set_up_library_if_empty_keeps_the_existing_one(db, library_id):
    library, created = set_up_library(db, "別の学校", if_empty=True, actor="t")
    assert (library.id, created) == (library_id, False)
    changed = change_library(db, library_id, actor="t", sheet_rows=20)
    assert changed.sheet_rows == 20 == library_info(db, library_id).sheet_rows


def test_staff_changes_are_refused_to_who_may_not_make_them(db, library_id):
    first = set_own_pin(db, library_id, None, "1234", first_name=None, actor="t")
    assert first is not None and first.is_admin
    clerk = add_member(db, library_id, "佐藤", "5678", actor="t", by=first.id)
    with pytest.raises(NotPermitted):
        add_member(db, library_id, "鈴木", "5678", actor="t", by=clerk.id)
    with pytest.raises(NotPermitted):
        set_own_pin(db, library_id, 4242, "9999", first_name=None, actor="t")
    with pytest.raises(NoSuchMember):
        remove_member_by_admin(db, library_id, first.id, 4242, actor="t")
    remove_member_by_admin(db, library_id, first.id, clerk.id, actor="t")
    screen = staff_screen(db, library_id, "kiosk-1", first.id)
    assert [m.name for m in screen.members] == [first.name] and screen.me.id == first.id
    assert not _holds_orm_rows(screen)
