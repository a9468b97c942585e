"""The ledger and the holdings leave the kiosk: one use case for the command line and the ledger
screen, each export read in one transaction and each saying which library it is of.

- ``csv`` / ``csv-sjis``: the ledger's rows for Excel (kiosk.ledger.csv_export), 欠番 included;
- ``xlsx``: the ledger, a worksheet per series and fiscal year (kiosk.ledger.xlsx_export);
- ``marc``: the holdings as MARC 21 (kiosk.ledger.marc_export);
- ``tsv``: the holdings as TSV, for a school library system (kiosk.ledger.tsv_export).
A fiscal year narrows the ledger's exports; the holdings are what the library holds now.
"""

from dataclasses import dataclass

from kiosk.db.storage import Database
from kiosk.errors import KioskError
from kiosk.ledger.csv_export import ledger_csv
from kiosk.ledger.holdings import holdings, library_name
from kiosk.ledger.lost_numbers import lost_numbers
from kiosk.ledger.marc_export import holdings_marc
from kiosk.ledger.sheets import ledger_sheets
from kiosk.ledger.tsv_export import holdings_tsv
from kiosk.ledger.xlsx_export import ledger_xlsx

FORMATS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "csv-sjis": ("csv", "text/csv; charset=shift_jis"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "marc": ("mrc", "application/marc"),
    "tsv": ("tsv", "text/tab-separated-values; charset=utf-8"),
}


@dataclass(frozen=True)
class Export:
    data: bytes
    file_name: str  # e.g. ledger-JP-1234567-2026.xlsx, holdings-JP-1234567.mrc
    content_type: str
    rows: int  # copies in it


def export(db: Database, library_id: int, format: str, *, fiscal_year: int | None = None) -> Export:
    if format not in FORMATS:
        raise KioskError(f"unknown export format {format!r}: use one of {', '.join(FORMATS)}",
                         f"出力形式「{format}」はありません（{'・'.join(FORMATS)}）")
    suffix, content_type = FORMATS[format]
    with db.read() as session:
        library = library_name(session, library_id)
        tag = library.isil or f"library{library.id}"
        if format in ("marc", "tsv"):
            held = holdings(session, library_id)
            data = holdings_marc(held) if format == "marc" else holdings_tsv(held)
            return Export(data, f"holdings-{tag}.{suffix}", content_type, held.copies)
        sheets = ledger_sheets(session, library_id, fiscal_year=fiscal_year)
        lost = lost_numbers(session, library_id, fiscal_year=fiscal_year)
    if format == "xlsx":
        data = ledger_xlsx(library, sheets, lost)
    else:
        data = ledger_csv(sheets, "sjis" if format == "csv-sjis" else "utf-8", lost)
    name = f"ledger-{tag}{f'-{fiscal_year}' if fiscal_year else ''}.{suffix}"
    return Export(data, name, content_type, sum(sheet.count for sheet in sheets))
