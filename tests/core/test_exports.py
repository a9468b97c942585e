"""Exports read back by the real readers and compared with the ledger: xlsx with openpyxl,
MARC 21 with pymarc, TSV with csv; each names the library. On SQLite and PostgreSQL, through
the use case, the command and the ledger screen."""

import csv
import io
import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pymarc import MARCReader

from kiosk.ledger.accession import Book, CopyRequest, register
from kiosk.ledger.exports import export
from kiosk.ledger.funds import Fund
from kiosk.ledger.ledger_import import import_ledger
from kiosk.ledger.lost_numbers import continue_after
from kiosk.ledger.sheets import ledger_sheets
from kiosk.ledger.tsv_export import HEADINGS as TSV_HEADINGS
from kiosk.ledger.withdrawal import WithdrawalReason, withdraw
from kiosk.ledger.xlsx_export import COLUMNS
from kiosk.library import create_library
from kiosk_app.cli import main
from tests.core.helpers import donation, purchase

OLD_LEDGER = ("受入年月日,受入先,登録番号,請求記号,書名,著者名,発行所,刊年,価格,財源,バーコード\r\n"
              "2018-04-02,ひまわり書店,1,913 カ,かいけつゾロリ,原ゆたか,ポプラ社,1987,990,市費,OLD-1\r\n"
              "2018-04-02,ひまわり書店,2,913 カ,=かいけつゾロリ2,原ゆたか,ポプラ社,1988,990,市費,OLD-2\r\n")


@pytest.fixture
def ledger(db, tmp_path):
    """A library with imported copies (kept barcodes), a purchase of two copies of one book and
    one of another, a donation at 0 yen, a withdrawn copy, and 欠番 from a restore."""
    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校図書館", isil="JP-1234567", first_number=1, actor="t").id
    (tmp_path / "old.csv").write_text(OLD_LEDGER, encoding="utf-8")
    import_ledger(db, library_id, tmp_path / "old.csv", dry_run=False, actor="t")
    today = date.today()
    guri = Book("ぐりとぐら", isbn="9784834000825", authors="なかがわりえこ 文／おおむらゆりこ 絵", publisher="福音館書店",
                year=1967, classification="E", author_mark="ナ")
    bunko = Book("坊っちゃん", isbn="9784003101018", volume="上", series_title="岩波文庫", authors="夏目漱石",
                 publisher="岩波書店", year=1929, classification="913.6", author_mark="ナ")
    register(db, library_id, purchase(today), [CopyRequest(guri, price=1100), CopyRequest(guri, price=1100),
                                               CopyRequest(bunko, list_price=500)], actor="t")
    register(db, library_id, donation(today, Fund.PTA),
             [CopyRequest(Book("寄贈の本", classification="289", author_mark="ヤ"), price=0)], actor="t")
    withdraw(db, library_id, 1, WithdrawalReason.WORN, on=today, actor="t")
    with db.write() as session:
        continue_after(session, library_id, 9, source="復元: test", actor="t")
    return library_id


def ledger_rows(db, library_id):
    with db.read() as session:
        return [(s.series, s.fiscal_year, s.sheet, r) for s in ledger_sheets(session, library_id) for r in s.rows]


def test_the_xlsx_has_a_typed_sheet_per_series_and_year_with_a_frozen_header(db, ledger):
    made = export(db, ledger, "xlsx")
    assert made.file_name == "ledger-JP-1234567.xlsx" and made.rows == 6
    book = load_workbook(io.BytesIO(made.data))
    year = date.today().year if date.today().month >= 4 else date.today().year - 1
    assert book.sheetnames == ["購入 2018年度", f"購入 {year}年度", f"寄贈 {year}年度", "欠番"]
    seen = []
    for name in book.sheetnames[:3]:
        sheet = book[name]
        assert sheet.freeze_panes == "A3"
        assert sheet["A1"].value == f"ひまわり小学校図書館（ISIL JP-1234567） 図書台帳 {name}"
        assert [c.value for c in sheet[2]] == COLUMNS
        for row in sheet.iter_rows(min_row=3):
            cells = {heading: cell for heading, cell in zip(COLUMNS, row)}
            assert isinstance(cells["受入年月日"].value, datetime) and cells["受入年月日"].number_format == "yyyy-mm-dd"
            assert cells["登録番号"].data_type == "n" and cells["価格"].data_type == "n"
            seen.append((cells["登録番号"].value, cells["受入年月日"].value.date(), cells["書名"].value,
                         cells["価格"].value, cells["財源"].value, cells["除籍"].value, cells["葉"].value, cells["行"].value))
    expected = []
    for series, fiscal, sheet_no, r in ledger_rows(db, ledger):
        withdrawn = f"{r.withdrawn_on} 破損・汚損" if r.status == "withdrawn" else None
        expected.append((r.number, r.acquired_on, r.title, r.price, r.fund_label, withdrawn, sheet_no))
    assert [s[:7] for s in seen] == expected
    assert [s[7] for s in seen] == [1, 2, 1, 2, 3, 1]  # 行 within each sheet
    assert "=かいけつゾロリ2" in [s[2] for s in seen]  # a text cell as written, never a formula
    lost = [[c.value for c in row] for row in book["欠番"].iter_rows(min_row=3)]
    assert [(row[0], row[1], row[2], row[3]) for row in lost] == [(7, 9, 3, "復元時に失われた番号")]


def test_the_xlsx_reads_back_with_import_ledger(db, ledger, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(export(db, ledger, "xlsx").data)
    with db.write() as session:
        copy_of = create_library(session, "写し", first_number=1, actor="t").id
    report = import_ledger(db, copy_of, path, dry_run=False, actor="t")
    assert report.rows == 6 and report.withdrawn == 1 and report.lost == []

    def facts(library_id):
        return [(r.number, r.acquired_on, r.title, r.price, r.fund_label, r.status, r.withdrawn_on, r.call_number, r.isbn)
                for *_, r in ledger_rows(db, library_id)]

    assert sorted(facts(copy_of)) == sorted(facts(ledger))


def test_the_marc_has_one_record_per_book_and_a_holdings_pair_per_copy(db, ledger):
    made = export(db, ledger, "marc")
    assert made.file_name == "holdings-JP-1234567.mrc" and made.rows == 5  # the withdrawn copy is not held
    records = list(MARCReader(made.data, to_unicode=True, force_utf8=True))
    assert all(record is not None for record in records)
    by_title = {record["245"]["a"]: record for record in records}
    assert sorted(by_title) == ["=かいけつゾロリ2", "ぐりとぐら", "坊っちゃん", "寄贈の本"]
    for record in records:
        assert record["003"].data == "JP-1234567" and record["040"]["a"] == "JP-1234567"
        assert record.leader[9] == "a"  # UTF-8
    guri = by_title["ぐりとぐら"]
    assert guri["020"]["a"] == "9784834000825" and guri["084"]["a"] == "E" and guri["264"]["b"] == "福音館書店"
    held = {int(f["p"]): f for f in guri.get_fields("852")}
    items = {int(f["a"]): f for f in guri.get_fields("876")}
    assert sorted(held) == sorted(items) == [3, 4]
    for number in (3, 4):
        assert (held[number]["a"], held[number]["b"], held[number]["h"], held[number]["i"]) == (
            "JP-1234567", "ひまわり小学校図書館", "E", "ナ")
        assert held[number]["8"] == items[number]["8"]  # the location and the item linked
        assert (items[number]["c"], items[number]["d"], items[number]["e"], items[number]["x"]) == (
            "1100", date.today().strftime("%Y%m%d"), "ひまわり書店", "財源: 市費（図書費）")
    bunko = by_title["坊っちゃん"]
    assert (bunko["245"]["n"], bunko["490"]["a"], bunko["876"]["c"]) == ("上", "岩波文庫", "550")
    gift = by_title["寄贈の本"]
    assert (gift["876"]["c"], gift["876"]["x"], gift["876"]["z"]) == ("0", "財源: PTA会費", "寄贈")
    zorori = by_title["=かいけつゾロリ2"]
    assert (zorori["876"]["a"], zorori["876"]["p"], zorori["876"]["d"]) == ("2", "OLD-2", "20180402")


def test_the_tsv_has_the_same_copies_and_names_the_library(db, ledger):
    made = export(db, ledger, "tsv")
    rows = list(csv.reader(io.StringIO(made.data.decode("utf-8")), delimiter="\t"))
    assert rows[0] == TSV_HEADINGS
    table = [dict(zip(TSV_HEADINGS, row)) for row in rows[1:]]
    assert {(r["図書館名"], r["ISIL"]) for r in table} == {("ひまわり小学校図書館", "JP-1234567")}
    marc = MARCReader(export(db, ledger, "marc").data, to_unicode=True, force_utf8=True)
    from_marc = sorted((int(f["a"]), f["p"], int(f["c"]), f["x"].removeprefix("財源: "))
                       for record in marc for f in record.get_fields("876"))
    from_tsv = sorted((int(r["登録番号"]), r["バーコード"], int(r["価格"]), r["財源"]) for r in table)
    assert from_tsv == from_marc and len(from_tsv) == 5
    guri = [r for r in table if r["書名"] == "ぐりとぐら"][0]
    assert (guri["請求記号"], guri["受入年月日"], guri["ISBN"], guri["刊年"]) == ("E ナ", date.today().isoformat(),
                                                                          "9784834000825", "1967")


def test_the_commands_and_the_ledger_screen(database_url, db, ledger, tmp_path):
    runner = CliRunner()
    env = {"KIOSK_DATABASE_URL": database_url, "KIOSK_STAFF": "t", "KIOSK_LIBRARY": None,
           "KIOSK_DATA_DIR": str(tmp_path / "data")}
    for args, name in ((["xlsx"], "a.xlsx"), (["--format", "marc"], "a.mrc"), (["tsv"], "a.tsv"),
                       (["csv-sjis", "--year", "2018"], "a.csv")):
        result = runner.invoke(main, ["export", *args, "--output", str(tmp_path / name)], env=env)
        assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "a.xlsx").sheetnames[0] == "購入 2018年度"
    assert len(list(MARCReader((tmp_path / "a.mrc").read_bytes(), to_unicode=True, force_utf8=True))) == 4
    assert (tmp_path / "a.csv").read_bytes().decode("cp932").count("\r\n") == 3  # the header and 2018's two rows
    refused = runner.invoke(main, ["export", "pdf", "--output", str(tmp_path / "x")], env=env)
    assert refused.exit_code == 2 and "出力形式「pdf」はありません" in refused.stderr

    from web import create_app

    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "t", "LOOKUP_OFFLINE": True})
    try:
        http = app.test_client()
        page = http.get("/ledger/?year=2018").get_data(as_text=True)
        assert 'href="/ledger/export/xlsx?year=2018"' in page and 'href="/ledger/export/marc"' in page
        got = http.get("/ledger/export/xlsx?year=2018")
        assert got.headers["Content-Disposition"] == 'attachment; filename="ledger-JP-1234567-2018.xlsx"'
        assert load_workbook(io.BytesIO(got.data)).sheetnames == ["購入 2018年度"]
        tsv = http.get("/ledger/export/tsv")
        assert tsv.data.decode("utf-8").count("\n") == 6
        assert http.get("/ledger/export/pdf").status_code == 400
    finally:
        app.extensions["kiosk_db"].dispose()
