"""Ledger pages: the library's sheets (図書台帳) with their totals, the ledger as CSV for Excel,
and the fiscal year's figures for the audit (監査)."""

from datetime import date

from flask import Blueprint, Response, render_template, request

from kiosk.errors import KioskError, NotFound
from kiosk.ledger.funds import SERIES_LABELS_JA
from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.csv_export import ledger_csv
from kiosk.ledger.exports import export
from kiosk.ledger.ledger_page import ledger_page, library_sheets, library_year_report
from kiosk.library import check_own_library
from web.context import current_library
from web.db import get_db

bp = Blueprint("ledger", __name__, url_prefix="/ledger")


@bp.get("/")
def index():
    every_year = request.args.get("year") == "all"
    try:
        library_id = _library_id()
    except NotFound:
        if request.args.get("library"):
            raise
        return render_template("setup_needed.html")  # as the home screen: no library yet
    page = ledger_page(get_db(), library_id, year=None if every_year else _year_arg(), every_year=every_year)
    return render_template("ledger.html", library=page.library, sheets=page.sheets, lost=page.lost,
                           series_labels=SERIES_LABELS_JA, year=page.year, years=page.years,
                           this_year=fiscal_year(date.today()))


@bp.get("/ledger.csv")
def csv_file():
    """The ledger's rows (one fiscal year's with ``year``) as CSV: ``encoding`` utf-8 or sjis."""
    year = _year_arg()
    _, sheets, lost = library_sheets(get_db(), _library_id(), year)
    data = ledger_csv(sheets, request.args.get("encoding", "utf-8"), lost)
    charset = "shift_jis" if request.args.get("encoding") == "sjis" else "utf-8"
    name = f"ledger-{year}.csv" if year else "ledger.csv"
    return Response(data, content_type=f"text/csv; charset={charset}",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/export/<format>")
def export_file(format):
    """The ledger as xlsx (one fiscal year's with ``year``), or the holdings as MARC 21 or TSV."""
    library_id = _library_id()
    made = export(get_db(), library_id, format, fiscal_year=_year_arg())
    return Response(made.data, content_type=made.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{made.file_name}"'})


@bp.get("/report/<name>.pdf")
def report_file(name):
    """The ledger (one fiscal year's with ``year``, a cover included) or the audit as a PDF."""
    from printer.reports import report_pdf

    library_id = _library_id()
    pdf = report_pdf(get_db(), library_id, name, fiscal_year=_year_arg(), series=request.args.get("series") or None,
                     sheets=request.args.get("sheets") or None)
    return Response(pdf, content_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


@bp.get("/year")
def year_figures():
    """The fiscal year's figures for the audit, to print from the browser."""
    library, report = library_year_report(get_db(), _library_id(), _year_arg() or fiscal_year(date.today()))
    return render_template("ledger_year.html", library=library, report=report)


def _library_id() -> int:
    """This kiosk's library; a ``library`` argument naming another is refused (404): a kiosk
    shows no other school's ledger (kiosk.library.check_own_library)."""
    library = current_library()
    check_own_library(library, request.args.get("library"))
    return library.id


def _year_arg() -> int | None:
    value = request.args.get("year", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise KioskError(f"year {value!r} is not a number", "年度は数字で指定してください")
    return int(value)
