"""`kiosk import-ledger`: an existing ledger imported whole or not at all, numbers kept, withdrawn
rows withdrawn, kept barcodes found by a scan; on SQLite and PostgreSQL, CSV (UTF-8, BOM,
Shift_JIS) and xlsx read by the real readers, and through the real command."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from kiosk.db.models import Copy, Event, Library
from kiosk.ledger.csv_export import ledger_csv
from kiosk.ledger.ledger_import import LedgerRefused, import_ledger
from kiosk.ledger.lost_numbers import lost_numbers
from kiosk.ledger.scanned_copies import copy_number_scanned
from kiosk.ledger.sheets import ledger_sheets
from kiosk.library import create_library
from kiosk.scan.parser import ScanSettings
from kiosk_app.cli import main
from tests.core.helpers import purchase, register_n

HEADER = "受入年月日,受入先,登録番号,請求記号,書名,著者名,発行所,刊年,価格,財源,区分,除籍,バーコード,ISBN"
GOOD = [
    "2019-05-10,ひまわり書店,1,913 カ,はらぺこあおむし,エリック・カール,偕成社,1976,1320,市費,購入,,S10001,9784033280103",
    "2019/5/10,ひまわり書店,2,913 ナ,ぐりとぐら,なかがわりえこ,福音館書店,1967,\"1,100\",市費（図書費）,,,S10002,",
    "令和2年6月1日,山田花子さん,3,E ヤ,寄贈の絵本,,,,0,寄贈,寄贈,2023-03-31 破損・汚損,,",
    "2020-06-01,PTA,5,K ピ,ピーターラビット,ビアトリクス・ポター,福音館書店,2019年,880,PTA会費,,,S10005,",
]


@pytest.fixture
def school(db):
    """A library starting its kiosk where the paper ledger starts: number 1."""
    with db.write() as session:
        return create_library(session, "ひまわり小学校図書館", isil="JP-1234567", first_number=1, actor="t").id


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding))
    return path


def counts(db, library_id):
    with db.read() as session:
        return (session.scalar(select(func.count()).select_from(Copy).where(Copy.library_id == library_id)),
                session.scalar(select(func.count()).select_from(Event).where(Event.library_id == library_id)),
                session.get(Library, library_id).next_number)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_a_csv_ledger_is_imported_with_its_numbers_withdrawals_and_barcodes(db, school, tmp_path, encoding):
    path = write_csv(tmp_path / "台帳.csv", GOOD, encoding)
    report = import_ledger(db, school, path, dry_run=False, actor="t")
    assert (report.rows, report.withdrawn, report.barcodes, report.numbers, report.next_number) == (4, 1, 3, (1, 5), 6)
    assert report.lost == [(4, 4)] and report.written
    with db.read() as session:
        rows = {r.number: r for s in ledger_sheets(session, school) for r in s.rows}
        copies = {c.number: c for c in session.scalars(select(Copy).where(Copy.library_id == school))}
        assert [(g.first, g.last, g.reason) for g in lost_numbers(session, school)] == [(4, 4, "import")]
        scan = ScanSettings()
        assert copy_number_scanned(session, school, "S10002", scan) == 2
        assert copy_number_scanned(session, school, "ｓ１０００５", scan) == 5  # full-width, lower case
    assert sorted(rows) == [1, 2, 3, 5]
    assert (rows[1].acquired_on, rows[1].call_number, rows[1].price, rows[1].fund, rows[1].isbn) == (
        date(2019, 5, 10), "913 カ", 1320, "city", "9784033280103")
    assert (rows[2].price, rows[2].fund) == (1100, "city")
    assert (rows[3].status, rows[3].withdrawn_on, rows[3].withdrawal_reason, rows[3].acquired_on, rows[3].kind) == (
        "withdrawn", date(2023, 3, 31), "worn", date(2020, 6, 1), "donation")
    assert (copies[5].series, copies[5].fund, copies[5].year, copies[5].item_barcode) == ("donation", "pta", 2019, "S10005")
    assert (copies[1].fiscal_year, copies[1].sheet, copies[1].row, copies[2].row) == (2019, 1, 1, 2)
    assert register_n(db, school, purchase(date.today()), 1).copies[0].number == 6  # the counter continues


def test_control_characters_in_a_ledger_file_are_dropped_not_sent_to_the_database(db, school, tmp_path):
    # As in delivery slips (tests/fuzz/test_slip_regressions.py): PostgreSQL refuses a NUL in text.
    lines = [GOOD[0].replace("はらぺこあおむし", "はらぺこ\x00あお\x1fむし").replace("偕成社", "偕成\x7f社")]
    report = import_ledger(db, school, write_csv(tmp_path / "台帳.csv", lines), dry_run=False, actor="t")
    assert report.rows == 1 and report.written
    with db.read() as session:
        copy = session.scalar(select(Copy).where(Copy.library_id == school))
    assert (copy.title, copy.publisher) == ("はらぺこあおむし", "偕成社")


def test_an_xlsx_ledger_with_a_title_row_and_typed_cells(db, school, tmp_path):
    book = Workbook()
    cover = book.active
    cover.title = "表紙"
    cover["A1"] = "ひまわり小学校 図書原簿"
    sheet = book.create_sheet("購入")
    sheet.append(["ひまわり小学校 図書台帳（購入）"])
    sheet.append(HEADER.split(","))
    sheet.append([datetime(2018, 4, 2), "ひまわり書店", 10, "913 カ", "かいけつゾロリ", None, "ポプラ社", 1987, 990, "市費",
                  None, None, "OLD-10", None])
    sheet.append([None] * 14)  # a blank row is skipped
    sheet.append([datetime(2018, 4, 2), "ひまわり書店", 11.0, None, "ぐりとぐら", None, None, None, 1100.0, "市費",
                  None, "2022-03-01 紛失", None, None])
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    report = import_ledger(db, school, path, dry_run=False, actor="t")
    assert (report.format, report.rows, report.withdrawn, report.numbers, report.next_number) == ("xlsx", 2, 1, (10, 11), 12)
    assert report.lost == [(1, 9)]  # the kiosk's first number is 1: 1-9 are in no ledger
    with db.read() as session:
        assert copy_number_scanned(session, school, "OLD-10", ScanSettings()) == 10
        (sheet_rows,) = [s.rows for s in ledger_sheets(session, school)]
    assert [(r.number, r.price, r.status) for r in sheet_rows] == [(10, 990, "active"), (11, 1100, "withdrawn")]


def test_bad_rows_refuse_the_whole_file_with_a_report(db, school, tmp_path):
    bad = GOOD + [
        "2020-13-01,ひまわり書店,6,,月のない日,,,,500,市費,,,,",  # no such date
        "2020-06-01,ひまわり書店,2,,二度目の2,,,,500,市費,,,,",  # number twice
        "2020-06-01,,7,,受入先なし,,,,abc,謎の財源,,,,",  # no source, bad price, unknown fund
        "2020-06-01,ひまわり書店,8,,除籍が先,,,,500,PTA会費,購入,2019-01-01 廃棄,S10001,9784033280104",
    ]
    path = write_csv(tmp_path / "bad.csv", bad)
    before = counts(db, school)
    with pytest.raises(LedgerRefused) as refused:
        import_ledger(db, school, path, dry_run=False, actor="t")
    problems = {(p.where, p.column): p.reason_ja for p in refused.value.report.problems}
    assert "日付はありません" in problems[("6行目", "受入年月日")]
    assert "3行目と重なっています" in problems[("7行目", "登録番号")]
    assert problems[("8行目", "受入先")] == "受入先が空欄です"
    assert "0以上の整数ではありません" in problems[("8行目", "価格")] and "謎の財源" in problems[("8行目", "財源")]
    assert "寄贈" in problems[("9行目", "区分")]  # PTA money is a donation
    assert "受入年月日 2020-06-01 より前" in problems[("9行目", "除籍")]
    assert "チェックディジット" in problems[("9行目", "ISBN")] or "ISBN" in problems[("9行目", "ISBN")]
    assert "2行目と重なっています" in problems[("9行目", "バーコード")]
    assert "1行も取り込んでいません" in refused.value.ja
    assert counts(db, school) == before  # nothing written


def test_a_dry_run_reports_and_writes_nothing(db, school, tmp_path):
    before = counts(db, school)
    report = import_ledger(db, school, write_csv(tmp_path / "l.csv", GOOD), dry_run=True, actor="t")
    assert (report.rows, report.next_number, report.written) == (4, 6, False)
    assert counts(db, school) == before


def test_numbers_the_library_used_or_retired_are_refused(db, library_id, tmp_path):
    """The kiosk has given 1001-1002 and a restore retired 1003-1005: none can come from a file,
    and a barcode that is the kiosk's own label of another number cannot be kept."""
    from kiosk.ledger.lost_numbers import continue_after

    register_n(db, library_id, purchase(date.today()), 2)
    with db.write() as session:
        continue_after(session, library_id, 1005, source="t", actor="t")
    label_of_1001 = encode_item_number(1001, ItemCodeSettings())
    path = write_csv(tmp_path / "l.csv", [
        "2019-05-10,ひまわり書店,1001,,a,,,,100,市費,,,,",
        "2019-05-10,ひまわり書店,1004,,b,,,,100,市費,,,,",
        f"2019-05-10,ひまわり書店,900,,c,,,,100,市費,,,{label_of_1001},",
        "2019-05-10,ひまわり書店,1006,,d,,,,100,市費,,,,",
    ])
    with pytest.raises(LedgerRefused) as refused:
        import_ledger(db, library_id, path, dry_run=True, actor="t")
    problems = {(p.where, p.column): p.reason_ja for p in refused.value.report.problems}
    assert "すでに台帳にあります" in problems[("2行目", "登録番号")]
    assert "欠番として記録された番号" in problems[("3行目", "登録番号")]
    assert "登録番号 1001 を表します" in problems[("4行目", "バーコード")]
    assert ("5行目", "登録番号") not in problems  # after the counter: allowed


def test_the_kiosks_own_csv_imports_back_into_a_new_library(db, school, tmp_path):
    import_ledger(db, school, write_csv(tmp_path / "l.csv", GOOD), dry_run=False, actor="t")
    with db.read() as session:
        exported = ledger_csv(ledger_sheets(session, school), "sjis", lost_numbers(session, school))
    with db.write() as session:
        other = create_library(session, "写しの図書館", first_number=1, actor="t").id
    (tmp_path / "export.csv").write_bytes(exported)
    with pytest.raises(LedgerRefused) as refused:  # the 欠番 row 4 has no title: the kiosk says so
        import_ledger(db, other, tmp_path / "export.csv", dry_run=True, actor="t")
    assert {p.where for p in refused.value.report.problems} == {"6行目"}
    lines = exported.decode("cp932").splitlines()
    (tmp_path / "copies.csv").write_text("\n".join(lines[:5]), encoding="cp932")
    report = import_ledger(db, other, tmp_path / "copies.csv", dry_run=False, actor="t")
    assert (report.rows, report.lost, report.next_number) == (4, [(4, 4)], 6)
    with db.read() as session:
        def seen(library):
            return [(r.number, r.title, r.price, r.fund, r.status, r.withdrawn_on, r.call_number)
                    for s in ledger_sheets(session, library) for r in s.rows]
        assert seen(other) == seen(school)


def test_through_the_command(database_url, tmp_path):
    runner = CliRunner()
    env = {"KIOSK_DATABASE_URL": database_url, "KIOSK_STAFF": "テスト司書", "KIOSK_LIBRARY": None,
           "KIOSK_DATA_DIR": str(tmp_path / "data")}

    def kiosk(*args, expect=0):
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    kiosk("init", "--name", "ひまわり小学校図書館", "--first-number", "1")
    path = write_csv(tmp_path / "台帳.csv", GOOD, "cp932")
    dry = kiosk("import-ledger", str(path), "--dry-run")
    assert "4行を取り込めます" in dry.stdout and "次の登録番号 6" in dry.stdout
    assert json.loads(kiosk("libraries", "--json").stdout)["libraries"][0]["next_number"] == 1
    assert "4行を取り込みました" in kiosk("import-ledger", str(path)).stdout
    again = kiosk("import-ledger", str(path), expect=2)
    assert "2行目「登録番号」: 登録番号 1 はすでに台帳にあります" in again.stderr
    assert "1行も取り込んでいません" in again.stderr
    history = json.loads(kiosk("history", "3", "--json").stdout)["events"]
    assert [e["action"] for e in history] == ["imported"] and history[0]["details"]["status"] == "withdrawn"
    unreadable = tmp_path / "bad.xlsx"
    unreadable.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "Excelのブックとして読めません" in kiosk("import-ledger", str(unreadable), expect=2).stderr
    headless = tmp_path / "headless.csv"
    headless.write_text("a,b\n1,2\n", encoding="utf-8")
    assert "「登録番号」の見出しがありません" in kiosk("import-ledger", str(headless), expect=2).stderr
