"""The ledger (図書台帳) as an Excel workbook: one worksheet per series and fiscal year
(「購入 2026年度」), the library's name and ISIL on its first row, the header on the second and
frozen, one row per copy in ledger order with typed cells (dates as dates, numbers and yen as
numbers), each copy's sheet (葉) and row; the recorded 欠番 on a worksheet of their own.

The columns are those of the ledger CSV (kiosk.ledger.csv_export), so `kiosk import-ledger` reads
the workbook back. Written by kiosk.xlsx_writer (100,000 rows in a few seconds, not openpyxl's
44): text is always a text cell, so a title that starts with "=" is that title in Excel, never a
formula, and needs no guard.
"""

from itertools import groupby

from kiosk.ledger.csv_export import HEADINGS
from kiosk.ledger.funds import SERIES_LABELS_JA
from kiosk.ledger.holdings import LibraryName
from kiosk.ledger.lost_numbers import LostNumbers
from kiosk.ledger.sheets import LedgerRow, LedgerSheet
from kiosk.ledger.withdrawal import REASON_LABELS_JA
from kiosk.xlsx_writer import XlsxWorkbook

COLUMNS = HEADINGS[:11] + ["葉", "行"] + HEADINGS[12:]  # 台帳 as two numbers: sheet and row
WIDTHS = {"受入年月日": 12, "受入先": 18, "登録番号": 10, "請求記号": 12, "書名": 40, "著者名": 22, "発行所": 16,
          "除籍": 20, "ISBN": 15}
LOST_COLUMNS = ["登録番号（から）", "登録番号（まで）", "番号の数", "理由", "記録した日", "備考"]


def ledger_xlsx(library: LibraryName, sheets: list[LedgerSheet], lost: list[LostNumbers] = ()) -> bytes:
    with XlsxWorkbook(title=f"{library.heading} 図書台帳", creator=library.heading) as book:
        for (series, year), group in groupby(sheets, key=lambda sheet: (sheet.series, sheet.fiscal_year)):
            name = f"{SERIES_LABELS_JA[series]} {year}年度"
            worksheet = _start(book, name, f"{library.heading} 図書台帳 {name}", COLUMNS, {0: "date", 8: "yen"})
            label = SERIES_LABELS_JA[series]
            for sheet in group:
                for line, row in enumerate(sheet.rows, start=1):  # rows fill a sheet from its first line
                    worksheet.append(_row(label, sheet.sheet, line, row))
        if lost:
            worksheet = _start(book, "欠番", f"{library.heading} 欠番（どの本にも付いていない、二度と使わない登録番号）",
                               LOST_COLUMNS, {4: "date"})
            for gap in lost:
                worksheet.append([gap.first, gap.last, gap.count, gap.reason_ja, gap.noted_on, gap.note or None])
        if not book.sheet_names:
            _start(book, "図書台帳", f"{library.heading} 図書台帳（登録された本はありません）", COLUMNS, {})
        return book.to_bytes()


def _start(book: XlsxWorkbook, name: str, title: str, columns: list[str], styles: dict[int, str]):
    worksheet = book.add_sheet(name[:31], widths=[WIDTHS.get(heading, 10) for heading in columns], styles=styles,
                               frozen_rows=2)  # the title and the header stay in view
    worksheet.append([title], bold=True)
    worksheet.append(columns, bold=True)
    return worksheet


def _row(series_label: str, sheet: int, line: int, row: LedgerRow) -> list:
    withdrawn = (f"{row.withdrawn_on.isoformat()} {REASON_LABELS_JA.get(row.withdrawal_reason, row.withdrawal_reason)}"
                 if row.status == "withdrawn" else None)
    return [row.acquired_on, row.source or None, row.number, row.call_number or None, row.title or None,
            row.authors or None, row.publisher or None, row.year, row.price, row.fund_label or None, series_label,
            sheet, line, "端数調整" if row.rounding_adjusted else None, withdrawn, row.reaccession_of, row.isbn or None]
