"""The delivery discrepancy report for the bookseller and the 除籍リスト as PDFs, on SQLite and
PostgreSQL: rasterised with pdftoppm and read back with pdftotext (Japanese text, each figure and
total), from the use case, the command and the screens' buttons; and the 欠番 in the audit
(`kiosk audit --json`, the year-figures screen, the audit PDF)."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.errors import NotFound
from kiosk.intake.delivery import add_scan, attach_slip, open_intake, update_item
from kiosk.intake.slip import parse_slip
from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.funds import Fund, Kind
from kiosk.ledger.lost_numbers import continue_after
from kiosk.ledger.withdrawal import WithdrawalReason, withdraw_many
from kiosk.library import create_library
from kiosk.lookup.record import BibRecord
from kiosk_app.cli import main
from printer.reports import report_pdf
from tests.core.helpers import purchase, register_n
from tests.printer.test_report_pdfs import pages_text, pytestmark, rasterised, squeeze  # noqa: F401 (poppler or skip)

YEAR = fiscal_year(date.today())
SLIP = parse_slip((Path(__file__).parents[1] / "delivery" / "fixtures" / "slip-himawari-sjis.csv").read_bytes())


@pytest.fixture
def school(db):
    with db.write() as session:
        return create_library(session, "ひまわり小学校図書館", isil="JP-1234567", first_number=1001, actor="t").id


def delivery_with_every_discrepancy(db, library_id) -> int:
    """The slip's 9 copies less the last two 日本の歴史, one copy not on the slip, the first
    (はらぺこあおむし) defective, 魔女の宅急便 with a list price of 1,900 on the book (1,800 on the slip)."""
    intake = open_intake(db, library_id, source="ひまわり書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    attach_slip(db, intake, SLIP)
    isbns = [line.isbn13 for line in SLIP.lines for _ in range(line.quantity)]
    items = [add_scan(db, intake, isbn) for isbn in isbns[:-2]]
    extra = add_scan(db, intake, "9784834014655", record=BibRecord(isbn13="9784834014655", source="typed",
                                                                   title="しろくまちゃんのほっとけーき"))
    update_item(db, items[0], inspection="defective")
    update_item(db, items[4], list_price=1900)
    for item in items[1:] + [extra]:
        update_item(db, item, inspection="ok")
    return intake


def test_the_discrepancy_report_names_every_difference(db, school, tmp_path):
    intake = delivery_with_every_discrepancy(db, school)
    pdf = report_pdf(db, school, "discrepancy", delivery=intake)
    pages = [squeeze(page) for page in pages_text(pdf, tmp_path)]
    assert len(rasterised(pdf, tmp_path)) == len(pages) == 1
    text = pages[0]
    assert "納品差異報告書" in text and "ひまわり書店 御中" in text and "ひまわり小学校図書館（ISIL JP-1234567）" in text
    assert "納品日 2026-11-20" in text and "伝票番号 A-20261120-01" in text and "受入 購入・市費（図書費）" in text
    assert "納品書の冊数 9冊 届いた冊数 8冊" in text and "落丁・乱丁（交換） 1冊" in text
    assert "納品書の合計（税込） 11,550円 明細の合計（税込） 11,550円" in text
    assert "6 日本の歴史 1 9784062748681 3冊 1冊 2冊 3,300円" in text and "不足 計 2冊 3,300円" in text
    assert "しろくまちゃんのほっとけーき 9784834014655" in text and "過剰 計 1冊" in text
    assert "はらぺこあおむし 9784033280103 1行目" in text and "交換 計 1冊" in text
    assert "魔女の宅急便 9784834006254 1,800円 1,900円 +100円" in text
    assert "差異はありません" not in text


def test_a_delivery_that_agrees_says_so_and_another_schools_is_not_found(db, school, tmp_path):
    intake = open_intake(db, school, source="ひまわり書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    attach_slip(db, intake, SLIP)
    for line in SLIP.lines:
        for _ in range(line.quantity):
            update_item(db, add_scan(db, intake, line.isbn13), inspection="ok")
    text = squeeze(pages_text(report_pdf(db, school, "discrepancy", delivery=intake), tmp_path)[0])
    assert "納品書と届いた本に差異はありません" in text and "不足（" not in text
    with db.write() as session:
        other = create_library(session, "あさがお小学校図書館", first_number=1, actor="t").id
    with pytest.raises(NotFound):
        report_pdf(db, other, "discrepancy", delivery=intake)


@pytest.fixture
def weeded(db, school):
    """Last year: 2 copies, one withdrawn then; this year: 30 copies, 3 lost and 24 worn."""
    last_year = date(YEAR - 1, 6, 1)
    register_n(db, school, purchase(last_year), 2, title="むかしの本")
    withdraw_many(db, school, [1001], WithdrawalReason.DISCARDED, on=date(YEAR - 1, 9, 1), actor="t")
    register_n(db, school, purchase(date.today()), 30, title="かいけつゾロリ")
    withdraw_many(db, school, [1003, 1004, 1005], WithdrawalReason.LOST, note="返却されず", actor="t")
    withdraw_many(db, school, list(range(1006, 1030)), WithdrawalReason.WORN, actor="t")
    return school


def test_the_withdrawals_list_of_a_year_over_pages_with_totals_by_reason(db, weeded, tmp_path):
    pdf = report_pdf(db, weeded, "withdrawals", fiscal_year=YEAR)
    pages = [squeeze(page) for page in pages_text(pdf, tmp_path)]
    assert len(rasterised(pdf, tmp_path)) == len(pages) == 2
    assert all(f"{n} / 2 ページ" in page and "除籍リスト" in page for n, page in enumerate(pages, start=1))
    assert f"{YEAR}年度（{YEAR}-04-01〜{YEAR + 1}-03-31） 27冊 29,700円" in pages[0]
    today = date.today().isoformat()
    assert f"{today} 1003 かいけつゾロリ {today} 1,100 紛失 返却されず" in pages[0]
    assert "むかしの本" not in " ".join(pages) and "1001" not in pages[0].split("ページ", 1)[1]
    assert "紛失 3冊 3,300円" in pages[1] and "破損・汚損 24冊 26,400円" in pages[1] and "合計 27冊 29,700円" in pages[1]


def test_the_withdrawals_list_of_dates_and_of_one_weeding(db, weeded, tmp_path):
    last_year = [squeeze(p) for p in pages_text(
        report_pdf(db, weeded, "withdrawals", start=date(YEAR - 1, 4, 1), end=date(YEAR - 1, 12, 31)), tmp_path)]
    assert len(last_year) == 1 and "むかしの本" in last_year[0] and "廃棄 1冊 1,100円" in last_year[0]
    assert "合計 1冊 1,100円" in last_year[0] and f"{YEAR - 1}-04-01〜{YEAR - 1}-12-31" in last_year[0]
    weeding = squeeze(pages_text(report_pdf(db, weeded, "withdrawals", numbers="1003-1005,1006"), tmp_path)[0])
    assert "登録番号 1003〜1006" in weeding and "紛失 3冊 3,300円" in weeding and "合計 4冊 4,400円" in weeding
    empty = squeeze(pages_text(report_pdf(db, weeded, "withdrawals", start=date.today() + timedelta(days=1)),
                               tmp_path)[0])
    assert "この期間に除籍した本はありません" in empty and "合計 0冊 0円" in empty


def _env(database_url, tmp_path):
    return {"KIOSK_DATABASE_URL": database_url, "KIOSK_STAFF": "t", "KIOSK_LIBRARY": None,
            "KIOSK_DATA_DIR": str(tmp_path / "data")}


def test_the_commands(database_url, db, weeded, tmp_path):
    intake = delivery_with_every_discrepancy(db, weeded)
    env, out = _env(database_url, tmp_path), tmp_path / "r.pdf"
    result = CliRunner().invoke(main, ["report", "discrepancy", "--delivery", str(intake), "-o", str(out)], env=env)
    assert result.exit_code == 0 and "納品差異報告書を" in result.stdout
    assert "不足 計 2冊 3,300円" in squeeze(pages_text(out.read_bytes(), tmp_path)[0])
    result = CliRunner().invoke(main, ["report", "discrepancy", "-o", str(out)], env=env)
    assert result.exit_code == 2 and "--delivery" in result.stderr
    result = CliRunner().invoke(main, ["report", "withdrawals", "--year", str(YEAR), "-o", str(out)], env=env)
    assert result.exit_code == 0 and "除籍リストを" in result.stdout
    assert "合計 27冊 29,700円" in squeeze(pages_text(out.read_bytes(), tmp_path)[-1])
    result = CliRunner().invoke(main, ["report", "withdrawals", "--from", f"{YEAR - 1}-09-01", "--to",
                                       f"{YEAR - 1}-09-01", "-o", str(out)], env=env)
    assert result.exit_code == 0 and "合計 1冊 1,100円" in squeeze(pages_text(out.read_bytes(), tmp_path)[0])


def test_the_screens_buttons(database_url, db, weeded, tmp_path):
    from web import create_app

    intake = delivery_with_every_discrepancy(db, weeded)
    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "t", "LOOKUP_OFFLINE": True})
    try:
        http = app.test_client()
        check = http.get(f"/deliveries/{intake}/check").get_data(as_text=True)
        assert f'href="/deliveries/{intake}/discrepancy.pdf"' in check
        got = http.get(f"/deliveries/{intake}/discrepancy.pdf")
        assert got.content_type == "application/pdf"
        assert "魔女の宅急便 9784834006254 1,800円 1,900円 +100円" in squeeze(pages_text(got.data, tmp_path)[0])
        assert http.get("/deliveries/9999/discrepancy.pdf").status_code == 404
        ledger = http.get(f"/ledger/?year={YEAR}").get_data(as_text=True)
        assert f'href="/ledger/report/withdrawals.pdf?year={YEAR}"' in ledger
        got = http.get(f"/ledger/report/withdrawals.pdf?year={YEAR}")
        assert "合計 27冊 29,700円" in squeeze(pages_text(got.data, tmp_path)[-1])
        listed = http.get("/copies/withdrawn?numbers=1003,1004").get_data(as_text=True)
        assert 'id="withdrawn-pdf" href="/copies/withdrawn.pdf?numbers=1003,1004"' in listed, listed[-3000:]
        got = http.get("/copies/withdrawn.pdf?numbers=1003,1004")
        assert "合計 2冊 2,200円" in squeeze(pages_text(got.data, tmp_path)[0])
    finally:
        app.extensions["kiosk_db"].dispose()


def test_lost_numbers_in_the_audit(database_url, db, weeded, tmp_path):
    """30 numbers given this year (1003-1032), 欠番 1033-1040 lost at a restore: in the JSON, on the
    year-figures screen and in the audit PDF."""
    with db.write() as session:
        continue_after(session, weeded, 1040, source="復元: test", actor="t")
    result = CliRunner().invoke(main, ["audit", "--year", str(YEAR), "--json"], env=_env(database_url, tmp_path))
    data = json.loads(result.stdout)
    assert data["numbers"] == [1003, 1032] and data["numbers_given"] == 30 and data["numbers_lost"] == 8
    assert [(gap["first"], gap["last"], gap["reason"]) for gap in data["lost_numbers"]] == [(1033, 1040, "restore")]
    last_year = json.loads(CliRunner().invoke(main, ["audit", "--year", str(YEAR - 1), "--json"],
                                              env=_env(database_url, tmp_path)).stdout)
    assert last_year["numbers_given"] == 2 and last_year["numbers_lost"] == 0 and last_year["lost_numbers"] == []
    audit = squeeze(pages_text(report_pdf(db, weeded, "audit", fiscal_year=YEAR), tmp_path)[0])
    assert "付けた番号 30個 欠番 8個" in audit and "欠番 1033 〜 1040（8番号、復元時に失われた番号" in audit

    from web import create_app

    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "t", "LOOKUP_OFFLINE": True})
    try:
        page = app.test_client().get(f"/ledger/year?year={YEAR}").get_data(as_text=True)
        assert '<td class="number" id="numbers-given">30</td>' in page
        assert '<td class="number" id="numbers-lost">8</td>' in page and "1033〜1040" in page
        assert f'href="/ledger/report/audit.pdf?year={YEAR}"' in page
    finally:
        app.extensions["kiosk_db"].dispose()
