"""The fiscal year's figures for the audit, and the ledger as CSV (both databases)."""

import csv
import io
import random
from datetime import date, timedelta

import pytest

from kiosk.ledger.accession import Book, CopyRequest, register
from kiosk.errors import KioskError
from kiosk.ledger.funds import Fund
from kiosk.ledger.sheets import ledger_sheets
from kiosk.ledger.csv_export import HEADINGS, ledger_csv
from kiosk.ledger.withdrawal import WithdrawalReason, reaccession, withdraw
from kiosk.ledger.year_figures import year_report
from tests.core.helpers import donation, purchase, register_n


def report(db, library_id, year):
    with db.read() as session:
        return year_report(session, library_id, year)


def test_accessions_by_kind_and_fund_with_free_donations_counted(db, library_id):
    register_n(db, library_id, purchase(date(2025, 4, 1)), 3, price=1100)  # the first day of FY2025
    register_n(db, library_id, purchase(date(2026, 3, 31)), 1, price=880)  # its last day
    register_n(db, library_id, donation(date(2025, 9, 1)), 2, price=0)  # given free: 0 yen, still counted
    register_n(db, library_id, donation(date(2025, 9, 2), fund=Fund.PTA), 1, price=1650)
    register_n(db, library_id, purchase(date(2026, 4, 1)), 5, price=1100)  # FY2026
    figures = report(db, library_id, 2025)
    assert [(line.label, line.copies, line.amount, line.zero_yen) for line in figures.accessions] == [
        ("購入 市費（図書費）", 4, 4180, 0), ("寄贈 PTA会費", 1, 1650, 0), ("寄贈 寄贈（無償）", 2, 0, 2)]
    assert figures.kind_total("donation") == (3, 1650)
    assert (figures.accessioned, figures.accessioned_amount) == (7, 5830)
    assert figures.numbers == (1001, 1007)
    assert (figures.holdings_start, figures.holdings_end) == (0, 7)
    assert report(db, library_id, 2026).numbers == (1008, 1012)


def test_withdrawals_and_holdings_add_up(db, library_id):
    register_n(db, library_id, purchase(date(2024, 5, 1)), 4, price=1000)
    withdraw(db, library_id, 1001, WithdrawalReason.WORN, on=date(2025, 3, 31), actor="t")  # FY2024
    withdraw(db, library_id, 1002, WithdrawalReason.LOST, on=date(2025, 4, 1), actor="t")  # FY2025
    withdraw(db, library_id, 1003, WithdrawalReason.DISCARDED, on=date(2026, 1, 10), actor="t")
    found = reaccession(db, library_id, 1002, on=date(2025, 10, 1), actor="t")  # the lost copy turns up
    figures = report(db, library_id, 2025)
    assert [(line.label, line.copies, line.amount) for line in figures.withdrawals] == [("紛失", 1, 1000), ("廃棄", 1, 1000)]
    assert [(line.label, line.copies) for line in figures.accessions] == [("その他 市費（図書費）", 1)]
    assert figures.numbers == (found.number, found.number)
    assert figures.holdings_start == 3  # 4 accessioned in FY2024, 1 withdrawn on its last day
    assert figures.holdings_end == figures.holdings_start + figures.accessioned - figures.withdrawn == 2


def test_holdings_follow_from_the_ledger_over_random_years(db, library_id):
    """Year after year: the end of one year is the start of the next, and each year's end is
    its start plus what came in minus what went out."""
    rng = random.Random(7)
    day = date(2021, 4, 1)
    for _ in range(40):
        day += timedelta(days=rng.randint(5, 22))
        register_n(db, library_id, purchase(day), rng.randint(1, 3), price=rng.choice([0, 550, 1100]))
    active = [c.number for s in _sheets(db, library_id) for c in s.rows]
    for number in rng.sample(active, 15):
        with db.read() as session:
            acquired = next(r.acquired_on for s in ledger_sheets(session, library_id) for r in s.rows if r.number == number)
        withdraw(db, library_id, number, WithdrawalReason.DISCARDED, on=acquired + timedelta(days=rng.randint(0, 400)),
                 actor="t")
    years = [report(db, library_id, year) for year in range(2021, 2027)]
    for before, after in zip(years, years[1:]):
        assert before.holdings_end == after.holdings_start
    for figures in years:
        assert figures.holdings_end == figures.holdings_start + figures.accessioned - figures.withdrawn
    assert sum(f.accessioned for f in years) == len(active) and sum(f.withdrawn for f in years) == 15


def _sheets(db, library_id):
    with db.read() as session:
        return ledger_sheets(session, library_id)


def test_a_year_out_of_range_is_refused(db, library_id):
    with pytest.raises(KioskError) as refused:
        report(db, library_id, 1900)
    assert refused.value.ja == "年度 1900 は指定できません"


def test_the_ledger_csv_opens_in_excel_with_every_field(db, library_id):
    register(db, library_id, purchase(date(2026, 11, 20), lot_total=2201),
             [CopyRequest(Book("ぐりとぐら", authors="なかがわりえこ 文 ／ おおむらゆりこ 絵", publisher="福音館書店",
                               year=1967, classification="E", author_mark="ナ", isbn="9784834000825"), price=1100),
              CopyRequest(Book("ぐりとぐらのえんそく"), price=1100)], actor="t")
    withdraw(db, library_id, 1002, WithdrawalReason.WORN, on=date(2026, 12, 1), actor="t")
    data = ledger_csv(_sheets(db, library_id))
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADINGS
    assert rows[1] == ["2026-11-20", "ひまわり書店", "1001", "E ナ", "ぐりとぐら", "なかがわりえこ 文 ／ おおむらゆりこ 絵",
                       "福音館書店", "1967", "1100", "市費（図書費）", "購入", "購入 2026年度 第1葉", "", "", "", "9784834000825"]
    assert rows[2][8] == "1101" and rows[2][12] == "端数調整" and rows[2][13] == "2026-12-01 破損・汚損"
    assert len(rows) == 3


def test_the_csv_keeps_formulas_as_text_and_shift_jis_marks_what_it_cannot_hold(db, library_id):
    register(db, library_id, donation(date(2026, 11, 20)),
             [CopyRequest(Book('=HYPERLINK("http://evil.example","x")'), price=0),
              CopyRequest(Book("𠮷野家の本 🍚"), price=0), CopyRequest(Book("-1+2"), price=0)], actor="t")
    rows = list(csv.reader(io.StringIO(ledger_csv(_sheets(db, library_id), "sjis").decode("cp932"))))
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[2][4] == "〓野家の本 〓"  # cp932 has neither: the export still goes through
    assert rows[3][4] == "'-1+2" and rows[1][1] == "山田花子さん"
    with pytest.raises(KioskError) as refused:
        ledger_csv([], "latin-1")
    assert refused.value.ja == "文字コードは utf-8 か sjis です"
