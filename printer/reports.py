"""The documents a school office files, as PDFs from the kiosk itself, read in one transaction:
the ledger (図書台帳, printer.ledger_pdf) of a fiscal year or any range of its sheets, and the
audit (監査資料, printer.audit_pdf) of a fiscal year. One use case for `kiosk report` and the
ledger screen's buttons."""

from datetime import date

from kiosk.db.storage import Database
from kiosk.errors import KioskError
from kiosk.ledger.fiscal import fiscal_year as fiscal_year_of
from kiosk.ledger.holdings import library_name
from kiosk.ledger.lost_numbers import lost_numbers
from kiosk.ledger.number_ranges import parse_numbers
from kiosk.ledger.sheets import ledger_sheets
from kiosk.ledger.year_figures import year_report
from printer.audit_pdf import audit_pdf
from printer.ledger_pdf import LedgerDocument, ledger_pdf

REPORTS = ("ledger", "audit")


def report_pdf(db: Database, library_id: int, report: str, *, fiscal_year: int | None = None,
               series: str | None = None, sheets: str | None = None) -> bytes:
    """``report`` (ledger or audit) as PDF bytes. The ledger: one fiscal year (with its cover),
    or every year; ``series`` and ``sheets`` ("3-5") narrow it. The audit: ``fiscal_year``,
    else this one."""
    if report not in REPORTS:
        raise KioskError(f"unknown report {report!r}: use ledger or audit",
                         f"帳票「{report}」はありません（ledger: 図書台帳、audit: 監査資料）")
    if series not in (None, "purchase", "donation"):
        raise KioskError(f"unknown series {series!r}", "台帳の種類は purchase（購入）か donation（寄贈）です")
    wanted = set(parse_numbers(sheets)) if sheets else None
    with db.read() as session:
        library = library_name(session, library_id)
        if report == "audit":
            year = fiscal_year or fiscal_year_of(date.today())
            figures = year_report(session, library_id, year)
            return audit_pdf(library, figures, lost_numbers(session, library_id, fiscal_year=year))
        chosen = ledger_sheets(session, library_id, fiscal_year=fiscal_year, series=series)
        if wanted is not None:
            chosen = [sheet for sheet in chosen if sheet.sheet in wanted]
            if not chosen:
                raise KioskError(f"no ledger sheets {sheets}", f"台帳の第{sheets}葉はありません")
        lost = [] if wanted is not None else lost_numbers(session, library_id, fiscal_year=fiscal_year)
    cover = fiscal_year if wanted is None and series is None else None
    return ledger_pdf(LedgerDocument(library, chosen, lost, cover))
