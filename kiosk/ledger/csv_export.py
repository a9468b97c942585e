"""The ledger (図書台帳) as a CSV file for Excel: the manual's ten fields and the marks, one row
per copy in ledger order.

UTF-8 with a BOM by default (Excel then reads the Japanese right); Shift_JIS (cp932) for older
software, with a character cp932 cannot hold replaced by 〓 (geta, the printer's mark for a
missing character) rather than failing the export. A text cell that a spreadsheet would take
as a formula (= + - @, tab, CR) is written with a leading ' so it stays text: titles come from
remote sources and donors' names from whoever typed them.

The recorded 欠番 (numbers lost at a restore, kiosk.ledger.lost_numbers) follow the copies, one
row per number, 区分 欠番 and the reason and date in the 除籍 column: every number the library has
used appears once.
"""

import codecs
import csv
import io

from kiosk.errors import KioskError
from kiosk.ledger.funds import SERIES_LABELS_JA
from kiosk.ledger.lost_numbers import LostNumbers
from kiosk.ledger.sheets import LedgerSheet
from kiosk.ledger.withdrawal import REASON_LABELS_JA

ENCODINGS = {"utf-8": "utf-8-sig", "sjis": "cp932"}
HEADINGS = ["受入年月日", "受入先", "登録番号", "請求記号", "書名", "著者名", "発行所", "刊年", "価格", "財源",
            "区分", "台帳", "端数調整", "除籍", "再受入（旧番号）", "ISBN"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _geta(error: UnicodeEncodeError):
    return "〓" * (error.end - error.start), error.end


codecs.register_error("kiosk-geta", _geta)


def ledger_csv(sheets: list[LedgerSheet], encoding: str = "utf-8", lost: list[LostNumbers] = ()) -> bytes:
    if encoding not in ENCODINGS:
        raise KioskError(f"encoding must be one of {', '.join(ENCODINGS)}", "文字コードは utf-8 か sjis です")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for sheet in sheets:
        place = f"{SERIES_LABELS_JA[sheet.series]} {sheet.fiscal_year}年度 第{sheet.sheet}葉"
        for row in sheet.rows:
            withdrawn = (f"{row.withdrawn_on.isoformat()} {REASON_LABELS_JA.get(row.withdrawal_reason, row.withdrawal_reason)}"
                         if row.status == "withdrawn" else "")
            writer.writerow([row.acquired_on.isoformat(), _text(row.source), row.number, _text(row.call_number),
                             _text(row.title), _text(row.authors), _text(row.publisher), row.year or "", row.price,
                             _text(row.fund_label), SERIES_LABELS_JA[sheet.series], place,
                             "端数調整" if row.rounding_adjusted else "", withdrawn, row.reaccession_of or "",
                             row.isbn or ""])
    for gap in lost:
        for number in gap.numbers():
            writer.writerow(["", "", number, "", "", "", "", "", "", "", "欠番", "",
                             "", f"{gap.noted_on.isoformat()} 欠番（{gap.reason_ja}）", "", ""])
    return out.getvalue().encode(ENCODINGS[encoding], errors="kiosk-geta")


def table_csv(rows: list[list], encoding: str = "utf-8") -> bytes:
    """Rows (the first the headings) as the ledger CSV is written: UTF-8 with a BOM or Shift_JIS
    (cp932, 〓 for what it cannot hold), CRLF, a text cell Excel would run as a formula quoted."""
    if encoding not in ENCODINGS:
        raise KioskError(f"encoding must be one of {', '.join(ENCODINGS)}", "文字コードは utf-8 か sjis です")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[_text(cell) if isinstance(cell, str) else cell for cell in row] for row in rows])
    return out.getvalue().encode(ENCODINGS[encoding], errors="kiosk-geta")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
