"""Call numbers at the desk (issue 14), on SQLite and PostgreSQL: the proposal on each scanned
copy, what staff confirm kept with it and carried to the copy, the second confirmations of 登録,
and spine labels that wait as 請求記号待ち until a call number is set."""

import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from kiosk.db.models import Copy, Event, PrintJob
from kiosk.errors import KioskError, NotFound
from kiosk.intake.call_numbers import confirm_item_call_number
from kiosk.intake.delivery import add_scan, attach_slip, check_intake, intake_view, open_intake, register_intake, update_item
from kiosk.intake.register_checks import SlipDisagrees, UnconfirmedCallNumbers, discrepancy_fingerprint
from kiosk.intake.slip import Slip, SlipLine
from kiosk.ledger.call_numbers import set_call_number
from kiosk.ledger.funds import Fund, Kind
from kiosk.ledger.withdrawal import correct
from kiosk.lookup.record import BibRecord, Creator
from kiosk.printing.queue import collected, enqueue, jobs

NDL = BibRecord(isbn13="9784003101018", title="坊っちゃん", source="ndl", ndc9="913.6",
                creators=(Creator("夏目漱石", "ナツメ, ソウセキ", "著"),))
NO_NDC = BibRecord(isbn13="9784087474398", title="白夜行", source="openbd",
                   creators=(Creator("東野圭吾", None, "著"),))
LATIN = BibRecord(isbn13="9784087474398", title="ABC", source="openbd")  # no class, no kana to make a mark of


@pytest.fixture
def intake(db, library_id):
    return open_intake(db, library_id, source="ひまわり書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                       fund=Fund.CITY, actor="t")


def _scan(db, intake, record=LATIN, isbn="9784087474398", c_code=None):
    item = add_scan(db, intake, isbn, record=record, list_price=1000, c_code=c_code)
    update_item(db, item, inspection="ok")
    return item


def _items(db, intake):
    return {item.id: item for item in intake_view(db, intake).items}


def _copies(db):
    with db.read() as session:
        return {c.number: c for c in session.scalars(select(Copy).order_by(Copy.number))}


def test_each_scanned_copy_carries_its_proposal_tier_by_tier(db, intake):
    settled, guessed, unknown = _scan(db, intake, NDL, NDL.isbn13), _scan(db, intake, NO_NDC, c_code="0193"), _scan(db, intake)
    items = _items(db, intake)
    assert items[settled].call_number["estimated"] == [] and items[settled].call_number["top"] == "913"
    assert items[guessed].call_number["estimated"] == ["top", "bottom"]
    assert "192 価格コード" in items[guessed].call_number["why"]["top"]
    assert items[unknown].call_number["missing"] == ["top", "bottom"]


def test_registering_lists_the_unsettled_copies_and_needs_them_named(db, library_id, intake):
    settled, guessed, unknown = _scan(db, intake, NDL, NDL.isbn13), _scan(db, intake, NO_NDC, c_code="0193"), _scan(db, intake)
    with pytest.raises(UnconfirmedCallNumbers) as refused:
        register_intake(db, intake, actor="t")
    assert refused.value.item_ids == [guessed, unknown] and "推定または未定" in refused.value.ja
    with pytest.raises(UnconfirmedCallNumbers):  # a confirmation that does not name every one of them
        register_intake(db, intake, actor="t", accept_call_numbers=[guessed])
    assert _copies(db) == {}
    result = register_intake(db, intake, actor="t", accept_call_numbers=[guessed, unknown])
    copies = _copies(db)
    assert [copies[c.number].call_number_state for c in result.copies] == ["record", "estimated", "missing"]
    assert (copies[1002].classification, copies[1002].author_mark) == ("913", "ト")
    assert (copies[1003].classification, copies[1003].author_mark) == (None, None)
    (waiting,) = [job for job in jobs(db, library_id) if job.status == "waiting"]
    assert (waiting.numbers, waiting.kind, waiting.status_ja) == ([1003], "spine", "請求記号待ち")


def test_what_staff_confirm_is_kept_with_the_scan_and_carried_to_the_copy(db, library_id, intake):
    guessed = _scan(db, intake, NO_NDC, c_code="0193")
    confirm_item_call_number(db, guessed, of_intake=intake, top="913.6", bottom="ヒ", volume="1", actor="司書")
    item = _items(db, intake)[guessed]
    assert item.call_number["confirmed"] and item.call_number["estimated"] == []
    assert item.call_number["sources"] == {"top": "staff", "bottom": "staff", "volume": "staff"}
    register_intake(db, intake, actor="t")  # nothing left to confirm: one tap
    copy = _copies(db)[1001]
    assert (copy.classification, copy.author_mark, copy.volume_mark, copy.call_number_state) == ("913.6", "ヒ", "1", "confirmed")
    assert [job for job in jobs(db, library_id) if job.status == "waiting"] == []
    with db.read() as session:
        event = session.scalar(select(Event).where(Event.action == "call_number_confirmed"))
    assert event.actor == "司書" and event.details["author_mark"] == "ヒ"


def test_confirming_is_refused_for_bad_tiers_other_deliveries_and_registered_copies(db, library_id, intake):
    item = _scan(db, intake, NDL, NDL.isbn13)
    with pytest.raises(KioskError, match="author_mark|bottom"):
        confirm_item_call_number(db, item, of_intake=intake, top="913", bottom="", actor="t")
    other = open_intake(db, library_id, source="あおば書房", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                        fund=Fund.CITY, actor="t")
    with pytest.raises(NotFound):
        confirm_item_call_number(db, item, of_intake=other, top="913", bottom="ナ", actor="t")
    register_intake(db, intake, actor="t")
    with pytest.raises(KioskError) as refused:
        confirm_item_call_number(db, item, of_intake=intake, top="913", bottom="ナ", actor="t")
    assert "登録済み" in refused.value.ja


def test_a_slip_disagreement_needs_the_confirmation_of_what_was_shown(db, intake):
    attach_slip(db, intake, Slip(encoding="typed", lines=[SlipLine(line=1, title="坊っちゃん", isbn13=NDL.isbn13,
                                                                   quantity=2, unit_price=550)]))
    _scan(db, intake, NDL, NDL.isbn13)  # one of the two: the other is missing
    with pytest.raises(SlipDisagrees) as refused:
        register_intake(db, intake, actor="t")
    shown = refused.value.fingerprint
    assert shown == discrepancy_fingerprint(check_intake(db, intake))
    with pytest.raises(SlipDisagrees):
        register_intake(db, intake, actor="t", accept_discrepancies="0123456789abcdef")
    _scan(db, intake, NO_NDC)  # meanwhile an extra copy: what was confirmed is no longer what is
    with pytest.raises(SlipDisagrees):
        register_intake(db, intake, actor="t", accept_discrepancies=shown, accept_call_numbers=True)
    now_shown = discrepancy_fingerprint(check_intake(db, intake))
    assert len(register_intake(db, intake, actor="t", accept_discrepancies=now_shown, accept_call_numbers=True).copies) == 2


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_a_spine_label_waits_then_prints_once_its_call_number_is_set(db, library_id, intake):
    from printer.copy_labels import LabelOptions, collected_pdf, labels_pdf

    _scan(db, intake, NDL, NDL.isbn13), _scan(db, intake)
    register_intake(db, intake, actor="t", accept_call_numbers=True)
    job = enqueue(db, library_id, [1001, 1002], kind="both", printer=None, actor="t")  # あとでまとめて印刷
    assert [j.numbers for j in collected(db, library_id)] == [[1001, 1002]]
    text = _pdf_text(collected_pdf(db, library_id, collected(db, library_id)))
    assert text.count("913") == 1 and "ナ" in text  # 1001's spine only; both barcode labels
    assert len([j for j in jobs(db, library_id) if j.status == "waiting"]) == 1  # not held twice
    with pytest.raises(KioskError) as refused:
        labels_pdf(db, library_id, [1002], LabelOptions(kind="spine"))
    assert "請求記号待ち" in refused.value.ja
    done = set_call_number(db, library_id, 1002, top="914", bottom="ヒ", actor="司書")
    (released,) = done.released_jobs
    sheet = [j for j in collected(db, library_id) if j.id == released]
    assert sheet[0].numbers == [1002] and sheet[0].kind == "spine" and job != released
    spine = _pdf_text(collected_pdf(db, library_id, sheet))
    assert "914" in spine and "ヒ" in spine
    assert _copies(db)[1002].call_number_state == "confirmed"
    assert [j for j in jobs(db, library_id) if j.status == "waiting"] == []


def test_a_correction_that_empties_a_tier_holds_the_spine_and_one_that_fills_it_releases_it(db, library_id, intake):
    _scan(db, intake, NDL, NDL.isbn13)
    register_intake(db, intake, actor="t")
    correct(db, library_id, 1001, {"author_mark": ""}, reason="読み違い", actor="t")
    assert [(j.numbers, j.status) for j in jobs(db, library_id)] == [([1001], "waiting")]
    correct(db, library_id, 1001, {"author_mark": "ナ"}, reason="読み違い", actor="t")
    assert [(j.numbers, j.status, j.printer) for j in jobs(db, library_id)] == [([1001], "queued", None)]


def test_enqueueing_spine_labels_of_copies_without_a_call_number_is_refused_and_nothing_is_queued(db, library_id, intake):
    _scan(db, intake)
    register_intake(db, intake, actor="t", accept_call_numbers=True)
    with db.read() as session:
        before = session.scalars(select(PrintJob.id)).all()
    with pytest.raises(KioskError) as refused:
        enqueue(db, library_id, [1001], kind="spine", printer=None, actor="t")
    assert "請求記号待ち" in refused.value.ja
    with db.read() as session:
        assert session.scalars(select(PrintJob.id)).all() == before


def test_a_copy_only_the_slip_knows_gets_its_proposal_from_the_slip_line(db, intake):
    attach_slip(db, intake, Slip(encoding="typed", lines=[
        SlipLine(line=1, title="はらぺこあおむし", isbn13="9784033280103", authors="エリック・カール 作; もり ひさし 訳",
                 quantity=1, unit_price=1320, c_code="8797"),
        SlipLine(line=2, title="日本の歴史 1", isbn13="9784062748681", quantity=1, unit_price=1650, c_code="8321")]))
    picture, history = (add_scan(db, intake, isbn) for isbn in ("9784033280103", "9784062748681"))
    items = _items(db, intake)
    assert (items[picture].call_number["top"], items[picture].call_number["bottom"]) == ("E", "カ")
    assert "納品書" in items[picture].call_number["why"]["top"] and items[picture].call_number["estimated"] == []
    assert (items[history].call_number["top"], items[history].call_number["bottom"]) == ("210", "ニ")
    assert items[history].call_number["estimated"] == ["top", "bottom"]
