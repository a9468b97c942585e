"""Registration numbers, ledger positions and the accession rules, on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.ledger.accession import Accession, Book, CopyRequest, SlipMismatch, register
from kiosk.errors import KioskError, NotEligible
from kiosk.events import events_for
from kiosk.ledger.funds import Fund, Kind
from kiosk.codes.isbn import InvalidISBN
from kiosk.ledger.sheets import ledger_sheets
from kiosk.library import create_library, update_settings
from kiosk.db.models import Copy, Library
from kiosk.ledger.prices import PriceError

from tests.core.helpers import copies, donation, purchase, register_n


def _count(db, model=Copy):
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _next_number(db, library_id):
    with db.read() as session:
        return session.get(Library, library_id).next_number


def test_numbers_start_at_the_first_number_and_run_on(db, library_id, today):
    first = register_n(db, library_id, purchase(today), 3)
    second = register_n(db, library_id, donation(today), 2)
    assert [c.number for c in first.copies + second.copies] == [1001, 1002, 1003, 1004, 1005]


def test_every_volume_and_duplicate_gets_its_own_number(db, library_id, today):
    requests = [CopyRequest(Book("日本の歴史", volume=str(v)), price=1650) for v in (1, 2, 3)] * 2
    result = register(db, library_id, purchase(today), requests, actor="t")
    assert len({c.number for c in result.copies}) == 6


def test_libraries_number_independently(db, library_id, today):
    with db.write() as session:
        other = create_library(session, "さくら中学校図書館", first_number=1, actor="t").id
    register_n(db, library_id, purchase(today), 2)
    result = register_n(db, other, purchase(today), 2)
    assert [c.number for c in result.copies] == [1, 2]
    with db.read() as session:
        assert sum(s.count for s in ledger_sheets(session, other)) == 2


def test_purchase_and_donation_never_share_a_sheet(db, library_id, today):
    register_n(db, library_id, purchase(today), 3)
    register_n(db, library_id, donation(today, Fund.PTA), 2, price=500)
    register_n(db, library_id, purchase(today), 1)
    with db.read() as session:
        sheets = ledger_sheets(session, library_id)
    assert [(s.series, s.sheet, s.count, s.amount) for s in sheets] == [
        ("purchase", 1, 4, 4400),
        ("donation", 1, 2, 1000),
    ]
    assert [r.number for r in sheets[0].rows] == [1001, 1002, 1003, 1006]


def test_sheets_fill_to_the_rows_setting(db, library_id, today):
    result = register_n(db, library_id, purchase(today), 23)
    assert [(c.sheet, c.row) for c in result.copies][9:12] == [(1, 10), (2, 1), (2, 2)]
    with db.write() as session:
        update_settings(session, session.get(Library, library_id), sheet_rows=5, actor="t")
    more = register_n(db, library_id, purchase(today), 3)
    # sheet 3 held 3 rows; with 5 rows a sheet it takes two more, then sheet 4 starts
    assert [(c.sheet, c.row) for c in more.copies] == [(3, 4), (3, 5), (4, 1)]


def test_a_new_fiscal_year_starts_a_new_sheet_in_each_series(db, library_id):
    register_n(db, library_id, purchase(date(2026, 3, 31)), 2)
    register_n(db, library_id, donation(date(2026, 3, 31)), 1)
    april = register_n(db, library_id, purchase(date(2026, 4, 1)), 1)
    april_gift = register_n(db, library_id, donation(date(2026, 4, 1)), 1)
    assert (april.copies[0].fiscal_year, april.copies[0].sheet, april.copies[0].row) == (2026, 1, 1)
    assert (april_gift.copies[0].fiscal_year, april_gift.copies[0].sheet) == (2026, 1)
    with db.read() as session:
        assert [(s.series, s.fiscal_year) for s in ledger_sheets(session, library_id)] == [
            ("purchase", 2025), ("purchase", 2026), ("donation", 2025), ("donation", 2026)
        ]
        assert [s.fiscal_year for s in ledger_sheets(session, library_id, fiscal_year=2025)] == [2025, 2025]


def test_backdating_into_a_closed_fiscal_year_is_refused(db, library_id):
    register_n(db, library_id, purchase(date(2026, 4, 2)), 1)
    with pytest.raises(KioskError) as caught:
        register_n(db, library_id, purchase(date(2026, 3, 30)), 1)
    assert "年度" in caught.value.ja
    assert _count(db) == 1 and _next_number(db, library_id) == 1002


def test_future_acceptance_date_is_refused(db, library_id, today):
    with pytest.raises(KioskError):
        register_n(db, library_id, purchase(today + timedelta(days=1)), 1)
    assert _count(db) == 0


def test_prices_by_the_manual(db, library_id):
    on = date(2025, 5, 1)
    requests = [
        CopyRequest(Book("はらぺこあおむし"), list_price=1200),  # 10 % → 1,320
        CopyRequest(Book("ぐりとぐら"), price=1365, discount=88),  # manual: 1,277
        CopyRequest(Book("坊っちゃん"), price=550),
    ]
    result = register(db, library_id, purchase(on), requests, actor="t")
    assert [c.price for c in result.copies] == [1320, 1277, 550]
    with db.read() as session:
        notes = [c.price_note for c in session.scalars(select(Copy).order_by(Copy.number))]
    assert "値引き 88円" in notes[1]


def test_free_gift_is_zero_even_with_a_printed_price(db, library_id, today):
    result = register(db, library_id, donation(today), [CopyRequest(Book("寄贈本"), list_price=1500)], actor="t")
    assert result.copies[0].price == 0
    with db.read() as session:
        assert "0円" in session.scalar(select(Copy.price_note))


def test_unknown_self_published_price_is_zero_with_the_reason(db, library_id, today):
    result = register(db, library_id, donation(today, Fund.BOOK_CARD),
                      [CopyRequest(Book("自費出版の郷土史"), price_unknown=True)], actor="t")
    assert result.copies[0].price == 0
    with db.read() as session:
        assert "価格不明" in session.scalar(select(Copy.price_note))


def test_donation_bought_with_book_card_carries_the_tax_included_price(db, library_id):
    result = register(db, library_id, donation(date(2025, 1, 10), Fund.BOOK_CARD),
                      [CopyRequest(Book("図鑑"), list_price=2000)], actor="t")
    assert (result.copies[0].price, result.copies[0].series) == (2200, "donation")


def test_lump_sum_puts_the_remainder_on_the_last_copy(db, library_id, today):
    requests = [CopyRequest(Book(f"全集 {i}"), list_price=1000) for i in range(1, 4)]
    result = register(db, library_id, purchase(today, lot_total=3301), requests, actor="t")
    assert [(c.price, c.rounding_adjusted) for c in result.copies] == [(1100, False), (1100, False), (1101, True)]
    assert (result.amount, result.difference) == (3301, 0)
    with db.read() as session:
        last = session.scalar(select(Copy).where(Copy.number == 1003))
        assert last.rounding_adjusted and "端数調整" in last.price_note


def test_rows_must_agree_with_the_slip_total(db, library_id, today):
    with pytest.raises(SlipMismatch) as caught:
        register_n(db, library_id, purchase(today, slip_total=3000), 2)  # 2 × 1,100 = 2,200
    assert caught.value.difference == -800 and "-800" in caught.value.ja
    assert _count(db) == 0 and _next_number(db, library_id) == 1001
    accepted = register(db, library_id, purchase(today, slip_total=3000), copies(2), actor="t",
                        accept_difference=True)
    assert (accepted.amount, accepted.difference) == (2200, -800)
    assert register_n(db, library_id, purchase(today, slip_total=2200), 2).difference == 0


@pytest.mark.parametrize(
    "accession_kwargs, error",
    [
        ({"kind": Kind.PURCHASE, "fund": Fund.PTA}, "寄贈"),
        ({"kind": Kind.DONATION, "fund": Fund.CITY}, "購入"),
        ({"kind": Kind.DONATION, "fund": Fund.OTHER}, "内訳"),
        ({"kind": Kind.PURCHASE, "fund": Fund.CITY, "source": " "}, "受入先"),
    ],
)
def test_contradictions_are_refused_and_nothing_is_written(db, library_id, today, accession_kwargs, error):
    fields = {"source": "ひまわり書店", "on": today, **accession_kwargs}
    with pytest.raises(KioskError) as caught:
        register(db, library_id, Accession(**fields), copies(1), actor="t")
    assert error in caught.value.ja
    assert _count(db) == 0 and _next_number(db, library_id) == 1001


@pytest.mark.parametrize(
    "request_kwargs, error_type",
    [
        ({"book": Book("x", isbn="9784033280104"), "price": 100}, InvalidISBN),
        ({"book": Book("x"), "price": -1}, PriceError),
        ({"book": Book("x"), "price": 100, "discount": 101}, PriceError),
        ({"book": Book("x"), "list_price": 1000, "discount": 5000}, PriceError),
        ({"book": Book("x")}, PriceError),  # a purchase needs a price
        ({"book": Book(" "), "price": 100}, KioskError),
        ({"book": Book("x", year=26), "price": 100}, KioskError),
    ],
)
def test_bad_copy_input_writes_nothing(db, library_id, today, request_kwargs, error_type):
    good = CopyRequest(Book("ぐりとぐら"), price=1100)
    with pytest.raises(error_type):
        register(db, library_id, purchase(today), [good, CopyRequest(**request_kwargs)], actor="t")
    assert _count(db) == 0 and _next_number(db, library_id) == 1001


def test_isbn_is_stored_as_isbn13(db, library_id, today):
    register(db, library_id, purchase(today), [CopyRequest(Book("x", isbn="4-03-328010-3"), price=1)], actor="t")
    with db.read() as session:
        assert session.scalar(select(Copy.isbn)) == "9784033280103"


def test_not_registered_categories_are_refused_with_the_manual_reason(db, library_id, today):
    with pytest.raises(NotEligible) as caught:
        register(db, library_id, donation(today), [CopyRequest(Book("卒業文集"), category="graduation_anthology")],
                 actor="t")
    assert "卒業文集" in caught.value.ja and caught.value.category == "graduation_anthology"
    assert _count(db) == 0


def test_override_note_registers_and_is_kept(db, library_id, today):
    note = "開校50周年記念のため保存・貸出する"
    request = CopyRequest(Book("卒業文集"), category="graduation_anthology", override_note=note)
    result = register(db, library_id, donation(today), [request], actor="司書")
    with db.read() as session:
        copy = session.scalar(select(Copy))
        assert (copy.override_note, copy.eligibility_category) == (note, "graduation_anthology")
        registered = [e for e in events_for(session, library_id) if e.action == "registered"]
        assert registered[0].details["override_note"] == note and registered[0].actor == "司書"
    assert result.copies[0].number == 1001


def test_loaned_magazine_is_registered_unloaned_is_not(db, library_id, today):
    with pytest.raises(NotEligible):
        register(db, library_id, purchase(today), [CopyRequest(Book("こどものとも"), price=450, category="magazine")],
                 actor="t")
    result = register(db, library_id, purchase(today),
                      [CopyRequest(Book("こどものとも"), price=450, category="magazine", loaned=True)], actor="t")
    assert result.copies[0].number == 1001


def test_every_registration_is_in_the_event_log(db, library_id, today):
    register_n(db, library_id, purchase(today), 3)
    with db.read() as session:
        events = [e for e in events_for(session, library_id) if e.action == "registered"]
    assert [e.number for e in events] == [1001, 1002, 1003]
    assert events[0].details["source"] == "ひまわり書店" and events[0].details["price"] == 1100


def test_ledger_rows_carry_the_ten_fields(db, library_id, today):
    book = Book("日本の歴史", isbn="9784062748681", volume="1", series_title="学研まんが", authors="山田太郎 著",
                publisher="学研プラス", year=2016, classification="210", author_mark="ヤ")
    register(db, library_id, purchase(today), [CopyRequest(book, price=1650)], actor="t")
    with db.read() as session:
        row = ledger_sheets(session, library_id)[0].rows[0].to_json()
    assert {k: row[k] for k in ("acquired_on", "source", "number", "call_number", "title", "authors", "publisher",
                                "year", "price", "fund")} == {
        "acquired_on": today.isoformat(), "source": "ひまわり書店", "number": 1001, "call_number": "210 ヤ",
        "title": "日本の歴史 1（学研まんが）", "authors": "山田太郎 著", "publisher": "学研プラス", "year": 2016,
        "price": 1650, "fund": "city",
    }


def test_a_1000_copy_delivery_is_one_transaction(db, library_id, today):
    result = register_n(db, library_id, purchase(today), 1000)
    assert [c.number for c in result.copies] == list(range(1001, 2001))
    assert result.copies[-1].sheet == 100 and result.amount == 1_100_000


def test_work_in_the_same_transaction_failing_rolls_the_numbers_back(db, library_id, today):
    def fail(session, copies):
        assert [c.number for c in copies] == [1001, 1002]
        raise RuntimeError("power cut while marking the delivery")

    with pytest.raises(RuntimeError):
        register(db, library_id, purchase(today), copies(2), actor="t", in_same_transaction=fail)
    assert _count(db) == 0 and _next_number(db, library_id) == 1001
    assert register_n(db, library_id, purchase(today), 1).copies[0].number == 1001
