"""Delivery slips (納品書): a bookseller's CSV read into lines, with the slip's own errors found.

Real slips vary: column names and order, a totals row or none, blank lines, quoted fields,
half-width katakana, UTF-8 or Shift_JIS. Columns are found by their (Japanese) header names;
a vendor whose headers the kiosk does not know gets a mapping that is remembered.
Rows that cannot be read are reported with their line number; the others are kept.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from kiosk.errors import KioskError
from kiosk.codes.isbn import InvalidISBN, to_isbn13
from kiosk.textfiles import decode_japanese_text, without_controls

FIELDS = ("received_on", "vendor", "slip_number", "line_no", "title", "authors", "publisher", "isbn",
          "list_price", "unit_price", "quantity", "amount", "c_code")

# Header names seen on Japanese booksellers' slips → field. Compared after NFKC, without
# spaces, brackets and case.
HEADER_NAMES = {
    "received_on": ("納品日", "納品日付", "納入日", "日付", "伝票日付"),
    "vendor": ("書店名", "書店", "納入業者", "業者名", "取引先", "販売店"),
    "slip_number": ("伝票番号", "伝票no", "納品書番号", "伝票"),
    "line_no": ("行", "行番号", "no", "番号", "明細番号"),
    "title": ("書名", "タイトル", "品名", "商品名"),
    "authors": ("著者", "著者名", "作者"),
    "publisher": ("出版社", "発行所", "出版社名"),
    "isbn": ("isbn", "isbnコード", "janコード", "jan", "商品コード"),
    "list_price": ("本体価格", "本体", "定価税抜", "税抜価格", "本体定価"),
    "unit_price": ("税込単価", "単価", "税込価格", "定価税込", "税込定価"),
    "quantity": ("数量", "冊数", "部数"),
    "amount": ("金額", "税込金額", "合計金額", "小計"),
    "c_code": ("cコード", "分類コード", "ccode"),
}
_LOOKUP = {name: field_ for field_, names in HEADER_NAMES.items() for name in names}
_JUNK = re.compile(r"[\s()（）［］\[\]・._\-]")
TOTAL_WORDS = ("合計", "総計", "計", "合計金額", "総合計")


class SlipError(KioskError):
    """A slip file that cannot be read at all."""


class UnknownSlipColumns(SlipError):
    """The slip's header lacks the columns the kiosk needs: staff map them (once per vendor)."""

    def __init__(self, message: str, ja: str, header: list[str]):
        super().__init__(message, ja)
        self.header = header


FIELD_LABELS_JA = {
    "received_on": "納品日", "vendor": "書店名", "slip_number": "伝票番号", "line_no": "行", "title": "書名",
    "authors": "著者", "publisher": "出版社", "isbn": "ISBN", "list_price": "本体価格", "unit_price": "税込単価",
    "quantity": "数量", "amount": "金額", "c_code": "Cコード",
}


@dataclass(frozen=True)
class SlipLine:
    line: int  # line in the file, for messages
    title: str
    isbn13: str | None = None
    isbn_text: str | None = None  # as printed, when it is not a valid ISBN
    authors: str | None = None
    publisher: str | None = None
    list_price: int | None = None  # 本体価格
    unit_price: int | None = None  # 税込単価
    quantity: int = 1
    amount: int | None = None  # 金額
    c_code: str | None = None

    @property
    def expected_amount(self) -> int | None:
        if self.amount is not None:
            return self.amount
        return None if self.unit_price is None else self.unit_price * self.quantity


@dataclass(frozen=True)
class SlipProblem:
    line: int
    message: str
    ja: str


@dataclass
class Slip:
    encoding: str
    lines: list[SlipLine] = field(default_factory=list)
    problems: list[SlipProblem] = field(default_factory=list)
    received_on: date | None = None
    vendor: str | None = None
    slip_number: str | None = None
    total_quantity: int | None = None  # from the totals row, when there is one
    total_amount: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # header as written → field

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def amount(self) -> int:
        return sum(line.expected_amount or 0 for line in self.lines)


def header_field(name: str) -> str | None:
    key = _JUNK.sub("", unicodedata.normalize("NFKC", name)).lower()
    return _LOOKUP.get(key)


def map_header(header: list[str], remembered: dict[str, str] | None = None) -> dict[int, str]:
    """Column index → field: the vendor's remembered mapping first, then the known names."""
    remembered = remembered or {}
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        field_ = remembered.get(name.strip()) or header_field(name)
        if field_ in FIELDS and field_ not in mapping.values():
            mapping[index] = field_
    return mapping


def parse_slip(data: bytes, remembered: dict[str, str] | None = None) -> Slip:
    """Read a delivery slip: CSV/TSV (UTF-8 or Shift_JIS) or Excel (.xlsx, its first sheet).
    ``remembered``: header name → field for this vendor."""
    if data[:4] == b"PK\x03\x04":
        rows, encoding = _xlsx_rows(data), "xlsx"
    else:
        text, encoding = decode_japanese_text(data)
        delimiter = "\t" if "\t" in text.split("\n", 1)[0] else ","
        rows = _csv_rows(text, delimiter)
    header_at = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_at is None:
        raise SlipError("the slip file is empty", "納品書のファイルが空です")
    header = rows[header_at]
    mapping = map_header(header, remembered)
    missing = [f for f in ("title", "quantity") if f not in mapping.values()]
    if missing or not {"isbn", "title"} <= set(mapping.values()):
        raise UnknownSlipColumns(
            f"the slip's header (line {header_at + 1}) has no {', '.join(missing) or 'isbn'} column: "
            f"found {', '.join(h for h in header if h.strip())[:200]}; map the columns for this vendor",
            f"納品書の見出し（{header_at + 1}行目）に書名・ISBN・数量の列が見つかりません。"
            "この書店の列の対応を設定してください",
            [h.strip() for h in header],
        )
    slip = Slip(encoding=encoding, columns={header[i]: f for i, f in mapping.items()})
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        values = {f: unicodedata.normalize("NFKC", without_controls(row[i])).strip()
                  for i, f in mapping.items() if i < len(row)}
        if _is_totals_row(values):
            try:
                slip.total_quantity = _int_or_none(values.get("quantity"))
                slip.total_amount = _int_or_none(values.get("amount"))
            except ValueError as error:  # the totals are then the lines' own sums
                slip.total_quantity = slip.total_amount = None
                slip.problems.append(SlipProblem(offset, f"the totals row cannot be read: {error}",
                                                 "合計行の冊数・金額が数字ではないため、明細の合計で確かめます"))
            continue
        _read_line(slip, offset, values)
    _check_totals(slip)
    return slip


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    """The rows of a CSV/TSV text. The csv module refuses a field over its limit (131,072
    characters: an unclosed quote swallows the rest of the file); that is the slip's fault, said
    with the line where the field began."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as error:
        line = reader.line_num
        raise SlipError(f"the slip cannot be read as CSV after line {line}: {error} (an unclosed quote?)",
                        f"納品書の{line}行目あたりが読めません（引用符 \" が閉じていないか、欄が長すぎます）") from None
    return rows


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows as text, as a CSV export of it would have them."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged or password-protected file
        raise SlipError(f"the Excel file cannot be read: {error}",
                        "Excelファイルを読み取れません。CSVで保存し直してください") from None
    rows = []
    for row in book.worksheets[0].iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in row])
    book.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y/%m/%d")
    return str(value)


def _is_totals_row(values: dict) -> bool:
    words = {values.get("title", ""), values.get("line_no", ""), values.get("isbn", "")}
    return any(word in TOTAL_WORDS for word in words) and not values.get("isbn", "").strip("-")


def _read_line(slip: Slip, line: int, values: dict) -> None:
    def problem(message: str, ja: str) -> None:
        slip.problems.append(SlipProblem(line, message, ja))

    for key in ("received_on", "vendor", "slip_number"):
        if values.get(key) and getattr(slip, key) is None:
            setattr(slip, key, _date(values[key]) if key == "received_on" else values[key])
    title = values.get("title", "")
    if not title:
        problem("a line without a title was skipped", "書名のない行は読み飛ばしました")
        return
    try:
        quantity = _int_or_none(values.get("quantity"))
        list_price = _int_or_none(values.get("list_price"))
        unit_price = _int_or_none(values.get("unit_price"))
        amount = _int_or_none(values.get("amount"))
    except ValueError as error:
        problem(f"{title}: {error}", f"「{title}」の数量・価格が数字ではありません")
        return
    if quantity is None or quantity < 1:
        problem(f"{title}: quantity {values.get('quantity')!r} is not 1 or more",
                f"「{title}」の数量が正しくありません")
        return
    isbn13, isbn_text = None, values.get("isbn") or None
    if isbn_text:
        try:
            isbn13, isbn_text = to_isbn13(isbn_text), None
        except InvalidISBN as error:
            problem(f"{title}: {error}", f"「{title}」: {error.ja}")
    slip_line = SlipLine(line=line, title=title, isbn13=isbn13, isbn_text=isbn_text,
                         authors=values.get("authors") or None, publisher=values.get("publisher") or None,
                         list_price=list_price, unit_price=unit_price, quantity=quantity, amount=amount,
                         c_code=(values.get("c_code") or "").upper().removeprefix("C") or None)
    if unit_price is not None and amount is not None and unit_price * quantity != amount:
        problem(f"{title}: {unit_price} × {quantity} is not the amount {amount}",
                f"「{title}」: 単価 {unit_price:,}円 × {quantity}冊 が金額 {amount:,}円 と合いません")
    slip.lines.append(slip_line)


def _check_totals(slip: Slip) -> None:
    if slip.total_quantity is not None and slip.total_quantity != slip.quantity:
        slip.problems.append(SlipProblem(0, f"the totals row says {slip.total_quantity} copies, the lines add up "
                                            f"to {slip.quantity}",
                                         f"合計行の冊数 {slip.total_quantity}冊 が明細の合計 {slip.quantity}冊 と合いません"))
    if slip.total_amount is not None and slip.total_amount != slip.amount:
        slip.problems.append(SlipProblem(0, f"the totals row says {slip.total_amount} yen, the lines add up "
                                            f"to {slip.amount}",
                                         f"合計行の金額 {slip.total_amount:,}円 が明細の合計 {slip.amount:,}円 と合いません"))


def _int_or_none(text: str | None) -> int | None:
    if text is None:
        return None
    cleaned = text.replace(",", "").replace("円", "").replace("¥", "").replace("\\", "").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"-?\d+", cleaned):
        raise ValueError(f"{text!r} is not a whole number")
    return int(cleaned)


def _date(text: str) -> date | None:
    match = re.fullmatch(r"(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?", text.strip())
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None
