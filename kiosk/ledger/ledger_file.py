"""Reading a ledger file to import: CSV (UTF-8, UTF-8 with BOM, Shift_JIS, by
kiosk.textfiles) or xlsx (every sheet that has a header row), as rows of cells by field.

The header row is found, not assumed: the first of the first ten rows with a 登録番号 cell (a
spreadsheet ledger often has a title above it). Headings are matched after NFKC folding, by the
kiosk's own CSV headings and the words ledgers use; unknown columns are listed, not guessed.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.ledger.ledger_values import text
from kiosk.textfiles import decode_japanese_text, without_controls

FIELD_HEADINGS = {
    "acquired_on": ("受入年月日", "受入日", "受入年月"),
    "source": ("受入先",),
    "number": ("登録番号",),
    "call_number": ("請求記号",),
    "classification": ("分類記号", "分類"),
    "author_mark": ("図書記号",),
    "title": ("書名", "タイトル"),
    "volume": ("巻次",),
    "series_title": ("叢書名", "シリーズ名"),
    "authors": ("著者名", "著者"),
    "publisher": ("発行所", "出版社"),
    "year": ("刊年", "出版年", "発行年"),
    "price": ("価格", "金額"),
    "fund": ("財源",),
    "kind": ("区分", "受入区分"),
    "rounding": ("端数調整",),
    "withdrawal": ("除籍",),
    "withdrawn_on": ("除籍日", "除籍年月日"),
    "withdrawal_reason": ("除籍理由",),
    "reaccession_of": ("再受入（旧番号）", "旧番号"),
    "isbn": ("ISBN",),
    "item_barcode": ("バーコード", "資料バーコード", "蔵書バーコード", "資料ID"),
    "note": ("備考",),
}
HEADING_OF = {text(heading): name for name, headings in FIELD_HEADINGS.items() for heading in headings}
HEADING_JA = {name: headings[0] for name, headings in FIELD_HEADINGS.items()}
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 200_000


@dataclass(frozen=True)
class FileRow:
    where: str  # 「12行目」, 「シート「購入 2024年度」の12行目」
    cells: dict  # field name -> the cell's value (str, or int/float/datetime from xlsx)


@dataclass
class LedgerFile:
    format: str  # csv / xlsx
    encoding: str | None
    rows: list[FileRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def read_ledger_file(path: Path) -> LedgerFile:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KioskError(f"cannot read {path}: {error}", f"「{path}」を読めません（ファイルの場所を確かめてください）") from None
    return read_ledger_data(data, path.name)


def read_ledger_data(data: bytes, name: str) -> LedgerFile:
    """The file's bytes (as uploaded to the import screen) read as ``name`` would be."""
    path = Path(name)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, path)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise KioskError(f"{path.name} is not an xlsx workbook",
                         f"「{path.name}」はxlsx形式のブックではありません（Excelで .xlsx として保存し直してください）")
    decoded, encoding = decode_japanese_text(data)
    sample = decoded[:4096]
    dialect = "excel-tab" if sample.count("\t") > sample.count(",") else "excel"
    table = list(csv.reader(io.StringIO(decoded, newline=""), dialect))
    ledger = LedgerFile("csv", encoding)
    _take(ledger, table, lambda index: f"{index}行目", path.name)
    return ledger


def _read_xlsx(data: bytes, path: Path) -> LedgerFile:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zip or XML errors of a damaged workbook: all said the same way
        raise KioskError(f"{path.name} cannot be read as an xlsx workbook: {error}",
                         f"「{path.name}」をExcelのブックとして読めません（壊れているか、別の形式です）") from None
    ledger = LedgerFile("xlsx", None)
    found = False
    try:
        for sheet in workbook.worksheets:
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
            found |= _take(ledger, table, lambda index, name=sheet.title: f"シート「{name}」の{index}行目", None)
    finally:
        workbook.close()
    if not found:
        raise _no_header(path.name)
    return ledger


def _take(ledger: LedgerFile, table: list[list], where, file_name: str | None) -> bool:
    """Add ``table``'s rows under its header; False when it has no header (a cover sheet)."""
    header_at = next((i for i, row in enumerate(table[:HEADER_SEARCH_ROWS])
                      if any(HEADING_OF.get(text(cell)) == "number" for cell in row)), None)
    if header_at is None:
        if file_name is not None:
            raise _no_header(file_name)
        return False
    columns: dict[int, str] = {}
    for index, cell in enumerate(table[header_at]):
        heading = text(cell)
        if not heading:
            continue
        name = HEADING_OF.get(heading)
        if name is None or name in columns.values():
            if heading not in ledger.ignored_columns:
                ledger.ignored_columns.append(heading)
            continue
        columns[index] = name
    for offset, row in enumerate(table[header_at + 1:], start=header_at + 2):
        cells = {name: _cell(row[index]) if index < len(row) else None for index, name in columns.items()}
        if all(text(value) == "" for value in cells.values()):
            continue
        ledger.rows.append(FileRow(where(offset), cells))
        if len(ledger.rows) > MAX_ROWS:
            raise KioskError(f"more than {MAX_ROWS} rows", f"一度に取り込めるのは{MAX_ROWS:,}行までです")
    return True


def _cell(value):
    """A cell as read (text, a number, a date), text without control characters."""
    return without_controls(value) if isinstance(value, str) else value


def _no_header(name: str) -> KioskError:
    return KioskError(f"{name} has no header row with 登録番号 in its first {HEADER_SEARCH_ROWS} rows",
                      f"「{name}」の先頭{HEADER_SEARCH_ROWS}行に「登録番号」の見出しがありません"
                      "（見出しの行に 受入年月日・登録番号・書名・価格 などを書いてください）")
