"""The ledger (図書台帳) as an Excel workbook: one worksheet per series and fiscal year
(「購入 2026年度」), the library's name and ISIL on its first row, the header on the second and
frozen, one row per copy in ledger order with typed cells (dates as dates, numbers and yen as
numbers), each copy's sheet (葉) and row; the recorded 欠番 on a worksheet of their own.

The columns are those of the ledger CSV (kiosk.ledger.csv_export), so `kiosk import-ledger` reads
the workbook back. Written in openpyxl's write-only mode: 100,000 rows in seconds, little memory.
Text that Excel would run as a formula stays text: openpyxl writes strings as strings, never as
formulas, unless they start with "=" — those get the CSV's leading "'".
"""

import io
from itertools import groupby

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kiosk.ledger.csv_export import HEADINGS
from kiosk.ledger.funds import SERIES_LABELS_JA
from kiosk.ledger.holdings import LibraryName
from kiosk.ledger.lost_numbers import LostNumbers
from kiosk.ledger.sheets import LedgerSheet
from kiosk.ledger.withdrawal import REASON_LABELS_JA

COLUMNS = HEADINGS[:11] + ["葉", "行"] + HEADINGS[12:]  # 台帳 as two numbers: sheet and row
WIDTHS = {"受入年月日": 12, "受入先": 18, "登録番号": 10, "請求記号": 12, "書名": 40, "著者名": 22, "発行所": 16,
          "除籍": 20, "ISBN": 15}
DATE_FORMAT = "yyyy-mm-dd"
YEN_FORMAT = "#,##0"


def ledger_xlsx(library: LibraryName, sheets: list[LedgerSheet], lost: list[LostNumbers] = ()) -> bytes:
    book = Workbook(write_only=True)
    book.properties.title = f"{library.heading} 図書台帳"
    book.properties.creator = library.heading
    for (series, year), group in groupby(sheets, key=lambda sheet: (sheet.series, sheet.fiscal_year)):
        name = f"{SERIES_LABELS_JA[series]} {year}年度"
        worksheet = _start(book, name, f"{library.heading} 図書台帳 {name}", COLUMNS)
        for sheet in group:
            for line, row in enumerate(sheet.rows, start=1):  # rows fill a sheet from its first line
                worksheet.append(_row(worksheet, sheet, line, row))
    if lost:
        worksheet = _start(book, "欠番", f"{library.heading} 欠番（どの本にも付いていない、二度と使わない登録番号）",
                           ["登録番号（から）", "登録番号（まで）", "番号の数", "理由", "記録した日", "備考"])
        for gap in lost:
            worksheet.append([gap.first, gap.last, gap.count, gap.reason_ja,
                              _typed(worksheet, gap.noted_on, DATE_FORMAT), gap.note])
    if not book.worksheets:
        _start(book, "図書台帳", f"{library.heading} 図書台帳（登録された本はありません）", COLUMNS)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _start(book: Workbook, name: str, title: str, columns: list[str]):
    worksheet = book.create_sheet(name[:31])
    worksheet.freeze_panes = "A3"  # the title and the header stay in view
    for index, heading in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(heading, 10)
    title_cell = WriteOnlyCell(worksheet, title)
    title_cell.font = Font(bold=True)
    worksheet.append([title_cell])
    header = []
    for heading in columns:
        cell = WriteOnlyCell(worksheet, heading)
        cell.font = Font(bold=True)
        header.append(cell)
    worksheet.append(header)
    return worksheet


def _row(worksheet, sheet: LedgerSheet, line: int, row) -> list:
    withdrawn = (f"{row.withdrawn_on.isoformat()} {REASON_LABELS_JA.get(row.withdrawal_reason, row.withdrawal_reason)}"
                 if row.status == "withdrawn" else None)
    return [_typed(worksheet, row.acquired_on, DATE_FORMAT), _text(row.source), row.number, _text(row.call_number),
            _text(row.title), _text(row.authors), _text(row.publisher), row.year, _typed(worksheet, row.price, YEN_FORMAT),
            _text(row.fund_label), SERIES_LABELS_JA[sheet.series], sheet.sheet, line,
            "端数調整" if row.rounding_adjusted else None, withdrawn, row.reaccession_of, row.isbn]


def _typed(worksheet, value, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value)
    cell.number_format = number_format
    return cell


def _text(value: str | None) -> str | None:
    if not value:
        return None
    return "'" + value if value.startswith("=") else value
