"""kiosk.xlsx_writer read back by openpyxl: every cell's value, type, number format and boldness,
the frozen heading rows and the column widths are what openpyxl reads from a workbook it wrote
itself from the same rows (openpyxl being the reference the direct writer replaced)."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from kiosk.xlsx_writer import XlsxWorkbook, column_letter

WIDTHS = [12, 18, 10, 40]
STYLES = {0: "date", 3: "yen"}
ROWS = [
    [date(2026, 4, 1), "ひまわり書店", 1001, 1100],
    [date(1999, 12, 31), "=SUM(A1:A2)", 1002, 0],  # text that looks like a formula stays text
    [date(2026, 3, 31), "  前後に空白  ", 1003, 1_234_567],
    [date(2026, 5, 5), "<b>&amp;\"'</b>", 1004, None],
    [None, None, 1005, 990],
]
FORMATS = {"date": "yyyy-mm-dd", "yen": "#,##0"}


def ours() -> bytes:
    book = XlsxWorkbook(title="図書台帳 & 試し", creator="ひまわり小学校")
    sheet = book.add_sheet("購入 2026年度", widths=WIDTHS, styles=STYLES, frozen_rows=2)
    sheet.append(["ひまわり小学校図書館 図書台帳"], bold=True)
    sheet.append(["受入年月日", "受入先", "登録番号", "価格"], bold=True)
    for row in ROWS:
        sheet.append(row)
    other = book.add_sheet("欠番 <A&B>", widths=[], frozen_rows=0)
    other.append([1.5, True, "最後"])
    return book.to_bytes()


def openpyxls() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "購入 2026年度"
    sheet.freeze_panes = "A3"
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[column_letter(index)].width = width
    for values in (["ひまわり小学校図書館 図書台帳"], ["受入年月日", "受入先", "登録番号", "価格"]):
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(row)
        for index, style in STYLES.items():
            sheet.cell(sheet.max_row, index + 1).number_format = FORMATS[style]
    sheet.cell(4, 2).data_type = "s"  # openpyxl would make "=SUM(…)" a formula: the kiosk never does
    other = book.create_sheet("欠番 <A&B>")
    other.append([1.5, True, "最後"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(data: bytes, read_only: bool = False):
    book = load_workbook(io.BytesIO(data), read_only=read_only)
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    number_format = cell.number_format if not isinstance(cell.value, str) else "General"
                    found[(sheet.title, cell.coordinate)] = (cell.value, cell.data_type, number_format, cell.font.b)
    return book, found


def test_openpyxl_reads_back_what_it_reads_from_its_own_workbook():
    book, mine = cells(ours())
    reference_book, reference = cells(openpyxls())
    assert mine == reference
    assert book.sheetnames == reference_book.sheetnames == ["購入 2026年度", "欠番 <A&B>"]
    sheet = book["購入 2026年度"]
    assert sheet.freeze_panes == "A3" and book["欠番 <A&B>"].freeze_panes is None
    assert [sheet.column_dimensions[column_letter(i)].width for i in range(4)] == WIDTHS
    assert mine[("購入 2026年度", "B4")][:2] == ("=SUM(A1:A2)", "s")
    assert mine[("購入 2026年度", "A3")][0] == datetime(2026, 4, 1) and mine[("購入 2026年度", "B5")][0] == "  前後に空白  "
    assert book.properties.title == "図書台帳 & 試し" and book.properties.creator == "ひまわり小学校"
    _, streamed = cells(ours(), read_only=True)  # the reader import-ledger uses
    assert {key: value[:2] for key, value in streamed.items()} == {key: value[:2] for key, value in mine.items()}


def test_control_characters_are_left_out_and_wide_rows_get_their_letters():
    book = XlsxWorkbook()
    sheet = book.add_sheet("s")
    sheet.append(["改\x00行\x1fなし"] + list(range(1, 80)))
    read = load_workbook(io.BytesIO(book.to_bytes()))["s"]
    assert read["A1"].value == "改行なし" and read["CA1"].value == 78 and column_letter(78) == "CA"
    with pytest.raises(TypeError), XlsxWorkbook() as failed:
        failed.add_sheet("s").append([object()])
    assert failed.zip.fp is None  # closed all the same


def test_the_package_is_a_valid_zip_with_every_part():
    names = zipfile.ZipFile(io.BytesIO(ours())).namelist()
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= set(names)
    with pytest.raises(ValueError):
        XlsxWorkbook().to_bytes()
    for name in ("[1]", "a/b", "", "x" * 32):
        with pytest.raises(ValueError):
            XlsxWorkbook().add_sheet(name)
