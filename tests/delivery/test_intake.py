"""Inspection (検収) and registration of a delivery against its slip, on SQLite and PostgreSQL."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.errors import KioskError
from kiosk.ledger.funds import Fund, Kind
from kiosk.intake.delivery import (Inspection, IntakeStatus, add_scan, attach_slip, check_intake, intake_view, open_intake,
                          register_intake, update_item, vendor_mapping)
from kiosk.intake.scan_page import intake_page
from kiosk.db.models import Intake, IntakeItem
from kiosk.ledger.sheets import ledger_sheets
from kiosk.lookup.record import BibRecord, Creator
from kiosk.db.models import Copy
from kiosk.intake.slip import parse_slip

SLIP = parse_slip((Path(__file__).parent / "fixtures" / "slip-himawari-sjis.csv").read_bytes())
DELIVERED = [(line.isbn13, line.quantity) for line in SLIP.lines]  # 6 lines, 9 copies


@pytest.fixture
def intake(db, library_id):
    intake_id = open_intake(db, library_id, source="ひまわり書店", received_on=date(2026, 11, 20),
                            kind=Kind.PURCHASE, fund=Fund.CITY, actor="t")
    attach_slip(db, intake_id, SLIP)
    return intake_id


def _scan_all(db, intake_id, skip=0):
    """Scan every copy on the slip, leaving out the last ``skip`` copies."""
    isbns = [isbn for isbn, quantity in DELIVERED for _ in range(quantity)]
    return [add_scan(db, intake_id, isbn) for isbn in isbns[: len(isbns) - skip]]


def _inspect(db, item_ids, result="ok"):
    for item_id in item_ids:
        update_item(db, item_id, inspection=result)


def _copies(db):
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Copy))


def test_whole_delivery_with_one_defective_copy(db, library_id, intake):
    items = _scan_all(db, intake)
    _inspect(db, items[:-1])
    update_item(db, items[0], inspection="defective")  # はらぺこあおむし: 落丁
    update_item(db, items[-1], inspection="ok")
    check = check_intake(db, intake)
    assert check.agrees and check.defective == [items[0]] and not check.pending
    assert (check.slip_total, check.lines_total) == (11550, 11550)
    result = register_intake(db, intake, actor="司書", accept_call_numbers=True)
    assert [c.number for c in result.copies] == list(range(1001, 1009))
    assert result.amount == 11550 - 1320
    with db.read() as session:
        sheet = ledger_sheets(session, library_id)[0]
    assert sheet.count == 8 and sheet.rows[0].title == "ぐりとぐら" and sheet.rows[0].source == "ひまわり書店"


def test_nothing_is_registered_before_every_copy_is_inspected(db, intake):
    items = _scan_all(db, intake)
    _inspect(db, items[1:])
    with pytest.raises(KioskError) as caught:
        register_intake(db, intake, actor="t", accept_call_numbers=True)
    assert "検品" in caught.value.ja and _copies(db) == 0


def test_missing_copy_is_found_and_needs_acceptance(db, intake):
    items = _scan_all(db, intake, skip=1)  # one 日本の歴史 is missing
    _inspect(db, items)
    check = check_intake(db, intake)
    assert [(line.title, line.missing) for line in check.missing] == [("日本の歴史 1", 1)]
    with pytest.raises(KioskError):
        register_intake(db, intake, actor="t", accept_call_numbers=True)
    assert _copies(db) == 0
    result = register_intake(db, intake, actor="t", accept_discrepancies=True, accept_call_numbers=True)
    assert len(result.copies) == 8


def test_extra_copies_and_price_differences(db, intake):
    items = _scan_all(db, intake)
    extra_same = add_scan(db, intake, "9784033280103")  # one more はらぺこあおむし than ordered
    fourth = add_scan(db, intake, "9784062748681")  # 日本の歴史: the slip says 3
    not_ordered = add_scan(db, intake, "9784834014655")  # not on the slip at all
    check = check_intake(db, intake)
    assert check.extra == [extra_same, fourth, not_ordered]
    assert not check.agrees
    update_item(db, extra_same, removed=True)
    update_item(db, fourth, removed=True)
    update_item(db, not_ordered, removed=True)
    assert check_intake(db, intake).agrees
    update_item(db, items[4], list_price=1900)  # the 魔女の宅急便 copy on the slip line
    check = check_intake(db, intake)
    assert check.price_differences == [(items[4], 1800, 1900)]


def test_registering_twice_registers_only_the_new_copies(db, intake):
    items = _scan_all(db, intake)
    _inspect(db, items[:4])
    _inspect(db, items[4:], "defective")
    first = register_intake(db, intake, actor="t", accept_call_numbers=True)
    assert len(first.copies) == 4
    with pytest.raises(KioskError):
        update_item(db, items[0], price=1)  # registered: correct the ledger instead
    replacement = add_scan(db, intake, DELIVERED[-1][0])  # an exchanged copy arrives
    update_item(db, replacement, inspection="ok")
    second = register_intake(db, intake, actor="t", accept_discrepancies=True, accept_call_numbers=True)
    assert [c.number for c in second.copies] == [1005]
    assert _copies(db) == 5


def test_donation_without_a_slip_uses_the_record(db, library_id, today):
    intake = open_intake(db, library_id, source="山田花子さん", received_on=today, kind=Kind.DONATION,
                         fund=Fund.PTA, actor="t")
    record = BibRecord(isbn13="9784033280103", title="はらぺこあおむし", source="ndl", publisher="偕成社", year=1976,
                       creators=(Creator("エリック・カール", role="作"), Creator("もり ひさし", role="訳")), price=1200)
    item = add_scan(db, intake, "9784033280103", record=record)
    update_item(db, item, inspection="ok")
    assert check_intake(db, intake).has_slip is False
    result = register_intake(db, intake, actor="t", on=date(2026, 11, 21), accept_call_numbers=True)
    assert (result.copies[0].price, result.copies[0].series) == (1320, "donation")
    with db.read() as session:
        copy = session.scalar(select(Copy))
        assert (copy.authors, copy.publisher, copy.year) == ("エリック・カール 作、もり ひさし 訳", "偕成社", 1976)
        # 請求記号 by the rules: no NDC and no reading here, so the C-code is unknown and the mark is left
        assert copy.classification is None


def test_copy_without_title_needs_one_typed(db, library_id, today):
    intake = open_intake(db, library_id, source="寄贈者", received_on=today, kind=Kind.DONATION, fund=Fund.GIFT,
                         actor="t")
    item = add_scan(db, intake, "9784834000825")
    update_item(db, item, inspection="ok")
    with pytest.raises(KioskError) as caught:
        register_intake(db, intake, actor="t", accept_call_numbers=True)
    assert "書名" in caught.value.ja and _copies(db) == 0
    (row,) = intake_page(db, intake).items  # the screen says why before 登録 is pressed
    assert row.title is None and row.problem_ja == caught.value.ja and row.problem == str(caught.value)
    update_item(db, item, record=BibRecord(isbn13="9784834000825", title="ぐりとぐら", source="typed"))
    (row,) = intake_view(db, intake).items
    assert (row.title, row.problem, row.problem_ja) == ("ぐりとぐら", None, None)
    assert register_intake(db, intake, actor="t", accept_call_numbers=True).copies[0].price == 0


def test_vendor_mapping_is_remembered(db, library_id, today):
    intake = open_intake(db, library_id, source="あおば書房", received_on=today, kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    mapping = {"タイトル名": "title", "コード": "isbn", "売価": "unit_price"}
    slip = parse_slip("タイトル名,コード,部数,売価\nぐりとぐら,9784834000825,1,1100\n".encode(), mapping)
    attach_slip(db, intake, slip, mapping=mapping)
    assert vendor_mapping(db, library_id, "あおば書房") == mapping


def test_bad_item_changes_are_refused(db, intake):
    (item, *_) = _scan_all(db, intake)
    for changes in ({"inspection": "maybe"}, {"price": -5}, {"category": "dragons"}, {"copy_number": 5}):
        with pytest.raises(KioskError):
            update_item(db, item, **changes)


def test_registration_writes_the_call_number_by_the_rules(db, library_id, today):
    from kiosk.labels.callnumber import CallNumberRules

    intake = open_intake(db, library_id, source="ひまわり書店", received_on=today, kind=Kind.PURCHASE, fund=Fund.CITY,
                         actor="t")
    picture_book = BibRecord(isbn13="9784033280103", title="はらぺこあおむし", source="ndl", ndc9="726.6",
                             creators=(Creator("エリック・カール", "カール, エリック", "作"), Creator("もり ひさし", "モリ, ヒサシ", "訳")))
    novel = BibRecord(isbn13="9784003101018", title="坊っちゃん", source="ndl", ndc9="913.6",
                      creators=(Creator("夏目漱石", "ナツメ, ソウセキ", "著"),))
    for record in (picture_book, novel):
        update_item(db, add_scan(db, intake, record.isbn13, record=record, list_price=1000), inspection="ok")
    register_intake(db, intake, actor="t", rules=CallNumberRules(mark_length=2))
    with db.read() as session:
        marks = [(c.classification, c.author_mark) for c in session.scalars(select(Copy).order_by(Copy.number))]
    assert marks == [("E", "カー"), ("913", "ナツ")]


def test_scans_made_before_the_slip_arrives_are_matched_to_it(db, library_id, today):
    intake = open_intake(db, library_id, source="ひまわり書店", received_on=today, kind=Kind.PURCHASE, fund=Fund.CITY,
                         actor="t")
    history = [add_scan(db, intake, "9784062748681") for _ in range(5)]  # the slip orders 3
    update_item(db, history[0], inspection="defective")  # going back: it holds no place on the line
    attach_slip(db, intake, SLIP)
    check = check_intake(db, intake)
    assert check.extra == [history[4]]  # 4 good copies for 3 ordered: the last one is extra
    assert not [line for line in check.missing if line.isbn13 == "9784062748681"]


def test_statuses_are_enums_stored_as_the_same_text(db, intake):
    """IntakeStatus and Inspection are StrEnums: the rows keep "open", "pending", "ok",
    "defective" (no migration), and the read models give the members."""
    items = _scan_all(db, intake)
    update_item(db, items[0], inspection=Inspection.DEFECTIVE)
    update_item(db, items[1], inspection="ok")
    with db.read() as session:
        assert session.scalar(select(Intake.status).where(Intake.id == intake)) == "open"
        stored = dict(session.execute(select(IntakeItem.id, IntakeItem.inspection)).all())
    assert (stored[items[0]], stored[items[1]], stored[items[2]]) == ("defective", "ok", "pending")
    view = intake_view(db, intake)
    assert view.status is IntakeStatus.OPEN and intake_page(db, intake).intake.status is IntakeStatus.OPEN
    by_id = {row.id: row.inspection for row in view.items}
    assert (by_id[items[0]], by_id[items[1]], by_id[items[2]]) == (Inspection.DEFECTIVE, Inspection.OK,
                                                                   Inspection.PENDING)
    assert all(type(inspection) is Inspection for inspection in by_id.values())
    assert view.check.defective == [items[0]]


def test_marking_copies_registered_refuses_when_one_was_numbered_meanwhile(db, intake):
    """The second line of defence behind the delivery's lock: every item is marked with its
    number only if it has none, and one already numbered rolls the whole registration back.
    The marks go as one executemany: its row count must be the sum on both backends."""
    from kiosk.intake.delivery import _mark_registered

    items = _scan_all(db, intake)
    with db.write() as session:
        _mark_registered(session, intake, items[:3], [5001, 5002, 5003])
    with db.read() as session:
        marked = dict(session.execute(select(IntakeItem.id, IntakeItem.copy_number)
                                      .where(IntakeItem.id.in_(items))).all())
    assert [marked[i] for i in items[:4]] == [5001, 5002, 5003, None]
    with pytest.raises(KioskError) as refused:
        with db.write() as session:
            _mark_registered(session, intake, items[2:5], [6001, 6002, 6003])
    assert "1 copies were registered meanwhile" in str(refused.value)
    with db.read() as session:
        after = dict(session.execute(select(IntakeItem.id, IntakeItem.copy_number)
                                     .where(IntakeItem.id.in_(items))).all())
    assert after == marked  # rolled back: 6002 and 6003 were not kept either
