"""The ledger and the audit as PDFs, on SQLite and PostgreSQL: rasterised with pdftoppm (one
sheet a page) and read back with pdftotext (Japanese text, each sheet's count and amount, the
audit's totals), from the use case, the command and the ledger screen."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.funds import Fund
from kiosk.ledger.lost_numbers import continue_after
from kiosk.ledger.withdrawal import WithdrawalReason, withdraw
from kiosk.library import create_library
from kiosk_app.cli import main
from printer.reports import report_pdf
from tests.core.helpers import donation, purchase, register_n

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                reason="poppler-utils (pdftotext, pdftoppm) not installed: scripts/install-system-packages.sh")
YEAR = fiscal_year(date.today())


@pytest.fixture
def school(db):
    """13 purchases (sheets of 10: 2 sheets), 2 donations at 0 yen, one withdrawn, 欠番 1016-1020."""
    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校図書館", isil="JP-1234567", first_number=1001, actor="t").id
    register_n(db, library_id, purchase(date.today()), 13, title="ぐりとぐら")
    register_n(db, library_id, donation(date.today(), Fund.GIFT), 2, title="寄贈の絵本", price=0)
    withdraw(db, library_id, 1002, WithdrawalReason.WORN, actor="t")
    with db.write() as session:
        continue_after(session, library_id, 1020, source="復元: test", actor="t")
    return library_id


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def rasterised(pdf: bytes, tmp_path: Path) -> list[Path]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page-*.png"))


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_the_ledger_pdf_is_one_sheet_a_page_with_its_totals_and_a_cover(db, school, tmp_path):
    pdf = report_pdf(db, school, "ledger", fiscal_year=YEAR)
    pages = [squeeze(page) for page in pages_text(pdf, tmp_path)]
    assert len(rasterised(pdf, tmp_path)) == len(pages) == 5  # cover, 購入 第1葉, 第2葉, 寄贈 第1葉, 欠番
    cover, first, second, gift, lost = pages
    assert f"図書台帳 {YEAR}年度" in cover and "ひまわり小学校図書館（ISIL JP-1234567）" in cover
    assert "購入 第1葉〜第2葉（2葉） 13冊 14,300円 登録番号 1001〜1013" in cover
    assert "欠番 1016〜1020（5番号、復元時に失われた番号）" in cover
    assert f"購入 {YEAR}年度 第1葉" in first and "この葉の合計 10冊 11,000円" in first
    assert "① 受入年月日" in first and "⑩ 財源" in first and "市費（図書費）" in first
    assert "除籍" in first and "破損・汚損" in first and "除籍 " + date.today().isoformat() + " 破損・汚損（番号は永久欠番）" in first
    assert first.count("ぐりとぐら") == 10
    assert f"購入 {YEAR}年度 第2葉" in second and "この葉の合計 3冊 3,300円" in second
    assert f"寄贈 {YEAR}年度 第1葉" in gift and "この葉の合計 2冊 0円" in gift and "寄贈（無償）" in gift
    assert "登録番号 1016〜1020 5番号 復元時に失われた番号" in lost


def test_a_range_of_sheets_and_a_long_sheet_over_pages(db, school, tmp_path):
    pages = [squeeze(p) for p in pages_text(report_pdf(db, school, "ledger", fiscal_year=YEAR, series="purchase",
                                                        sheets="2-2"), tmp_path)]
    assert len(pages) == 1 and f"購入 {YEAR}年度 第2葉" in pages[0] and "1011" in pages[0] and "1001" not in pages[0]
    from kiosk.library import find_library, update_settings

    with db.write() as session:  # 30 rows a sheet: more than a page holds; sheet 2 fills up to 30
        update_settings(session, find_library(session, school), sheet_rows=30, actor="t")
    register_n(db, school, purchase(date.today()), 40, title="かいけつゾロリ")
    pages = [squeeze(p) for p in pages_text(report_pdf(db, school, "ledger", fiscal_year=YEAR, series="purchase",
                                                        sheets="2"), tmp_path)]
    assert len(pages) == 3 and all(f"第2葉（{n}/3）" in page for n, page in enumerate(pages, start=1))
    assert "この葉の合計" not in pages[0] and "この葉の合計 30冊 33,000円" in pages[2]
    with pytest.raises(Exception) as refused:
        report_pdf(db, school, "ledger", fiscal_year=YEAR, series="purchase", sheets="99")
    assert "第99葉はありません" in refused.value.ja


def test_the_audit_pdf(db, school, tmp_path):
    pages = [squeeze(p) for p in pages_text(report_pdf(db, school, "audit", fiscal_year=YEAR), tmp_path)]
    assert len(pages) == 1
    audit = pages[0]
    assert f"監査資料 {YEAR}年度" in audit and "ひまわり小学校図書館（ISIL JP-1234567）" in audit
    assert "購入 市費（図書費） 13冊 0冊 14,300円" in audit
    assert "寄贈 寄贈（無償） 2冊 2冊 0円" in audit  # donations counted by copies at 0 yen
    assert "受入 合計 15冊 2冊 14,300円" in audit and "破損・汚損 1冊 1,100円" in audit
    assert "この年度に付けた登録番号 1001 〜 1015" in audit and "欠番 1016 〜 1020" in audit
    assert "年度初め" in audit and "14冊 （= 0 + 受入 15 − 除籍 1）" in audit


def test_the_command_and_the_ledger_screen(database_url, db, school, tmp_path):
    env = {"KIOSK_DATABASE_URL": database_url, "KIOSK_STAFF": "t", "KIOSK_LIBRARY": None,
           "KIOSK_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(main, ["report", "ledger", "--year", str(YEAR), "--output", str(tmp_path / "l.pdf")],
                                env=env)
    assert result.exit_code == 0 and "図書台帳を" in result.stdout
    assert len(pages_text((tmp_path / "l.pdf").read_bytes(), tmp_path)) == 5
    result = CliRunner().invoke(main, ["report", "audit", "--output", str(tmp_path / "a.pdf")], env=env)
    assert result.exit_code == 0 and "監査資料" in squeeze(pages_text((tmp_path / "a.pdf").read_bytes(), tmp_path)[0])

    from web import create_app

    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "t", "LOOKUP_OFFLINE": True})
    try:
        http = app.test_client()
        page = http.get("/ledger/").get_data(as_text=True)
        assert f'href="/ledger/report/ledger.pdf?year={YEAR}"' in page and "監査資料PDF" in page
        got = http.get(f"/ledger/report/ledger.pdf?year={YEAR}")
        assert got.content_type == "application/pdf" and got.data == report_pdf(db, school, "ledger", fiscal_year=YEAR)
        assert http.get("/ledger/report/bogus.pdf").status_code == 400
    finally:
        app.extensions["kiosk_db"].dispose()
