"""The documents a school office files, as PDFs from the kiosk itself, each read in one
transaction: the ledger (図書台帳, printer.ledger_pdf) of a fiscal year or any range of its
sheets, the audit (監査資料, printer.audit_pdf) of a fiscal year, the delivery discrepancy report
for the bookseller (納品差異, printer.discrepancy_pdf) and the 除籍リスト (printer.withdrawals_pdf)
of a fiscal year, a date range or one weeding. One use case for `kiosk report` and the screens'
buttons."""

from datetime import date

from kiosk.db.storage import Database
from kiosk.errors import KioskError
from kiosk.intake.discrepancy import delivery_discrepancy
from kiosk.ledger.fiscal import fiscal_year as fiscal_year_of
from kiosk.ledger.holdings import library_name
from kiosk.ledger.lost_numbers import lost_numbers
from kiosk.ledger.number_ranges import parse_numbers
from kiosk.ledger.sheets import ledger_sheets
from kiosk.ledger.withdrawal_list import withdrawal_list
from kiosk.ledger.year_figures import year_report
from printer.audit_pdf import audit_pdf
from printer.discrepancy_pdf import discrepancy_pdf
from printer.ledger_pdf import LedgerDocument, ledger_pdf
from printer.withdrawals_pdf import withdrawals_pdf

REPORTS = ("ledger", "audit", "discrepancy", "withdrawals")
REPORT_LABELS_JA = {"ledger": "図書台帳", "audit": "監査資料", "discrepancy": "納品差異報告書", "withdrawals": "除籍リスト"}


def report_pdf(db: Database, library_id: int, report: str, *, fiscal_year: int | None = None,
               series: str | None = None, sheets: str | None = None, delivery: int | None = None,
               start: date | None = None, end: date | None = None, numbers: str | None = None) -> bytes:
    """``report`` as PDF bytes. The ledger: one fiscal year (with its cover), or every year;
    ``series`` and ``sheets`` ("3-5") narrow it. The audit: ``fiscal_year``, else this one. The
    discrepancy report: of ``delivery``. The 除籍リスト: ``fiscal_year``, or ``start``..``end``, or
    the copies ``numbers`` ("1001-1005,1010"); with none of these, this fiscal year."""
    if report not in REPORTS:
        raise KioskError(f"unknown report {report!r}: use {', '.join(REPORTS)}",
                         f"帳票「{report}」はありません（ledger: 図書台帳、audit: 監査資料、discrepancy: 納品差異報告書、"
                         "withdrawals: 除籍リスト）")
    if series not in (None, "purchase", "donation"):
        raise KioskError(f"unknown series {series!r}", "台帳の種類は purchase（購入）か donation（寄贈）です")
    if report == "discrepancy" and delivery is None:
        raise KioskError("the discrepancy report needs --delivery ID", "納品差異報告書には納品の番号（--delivery）が必要です")
    wanted = set(parse_numbers(sheets)) if sheets else None
    with db.read() as session:
        if report == "discrepancy":
            return discrepancy_pdf(delivery_discrepancy(session, library_id, delivery))
        if report == "withdrawals":
            if numbers:
                listing = withdrawal_list(session, library_id, numbers=parse_numbers(numbers))
            elif start or end:
                listing = withdrawal_list(session, library_id, start=start, end=end, fiscal_year=fiscal_year)
            else:
                listing = withdrawal_list(session, library_id, fiscal_year=fiscal_year or fiscal_year_of(date.today()))
            return withdrawals_pdf(listing)
        library = library_name(session, library_id)
        if report == "audit":
            year = fiscal_year or fiscal_year_of(date.today())
            return audit_pdf(library, year_report(session, library_id, year))
        chosen = ledger_sheets(session, library_id, fiscal_year=fiscal_year, series=series)
        if wanted is not None:
            chosen = [sheet for sheet in chosen if sheet.sheet in wanted]
            if not chosen:
                raise KioskError(f"no ledger sheets {sheets}", f"台帳の第{sheets}葉はありません")
        lost = [] if wanted is not None else lost_numbers(session, library_id, fiscal_year=fiscal_year)
    cover = fiscal_year if wanted is None and series is None else None
    return ledger_pdf(LedgerDocument(library, chosen, lost, cover))
