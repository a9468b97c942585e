"""Ledger pages: the library's sheets (図書台帳) with their totals, the ledger as CSV for Excel,
and the fiscal year's figures for the audit (監査)."""

from datetime import date

from flask import Blueprint, Response, render_template, request

from kiosk.errors import KioskError
from kiosk.ledger.funds import SERIES_LABELS_JA
from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.sheets import ledger_sheets, ledger_years
from kiosk.ledger.csv_export import ledger_csv
from kiosk.ledger.exports import export
from kiosk.ledger.lost_numbers import lost_numbers
from kiosk.library import find_library, list_libraries
from kiosk.ledger.year_figures import year_report
from web.context import current_library
from web.db import get_db

bp = Blueprint("ledger", __name__, url_prefix="/ledger")


@bp.get("/")
def index():
    with get_db().read() as session:
        libraries = list_libraries(session)
        if not libraries:
            return render_template("setup_needed.html")
        library = find_library(session, request.args.get("library") or libraries[0].id)
        all_lost = lost_numbers(session, library.id)
        years = sorted(set(ledger_years(session, library.id)) | {gap.fiscal_year for gap in all_lost}, reverse=True)
        # One year at a time unless asked for all: years of sheets would be megabytes on a kiosk.
        year = None if request.args.get("year") == "all" else _year_arg() or (years[0] if years else None)
        sheets = ledger_sheets(session, library.id, fiscal_year=year)
        lost = [gap for gap in all_lost if year is None or gap.fiscal_year == year]
    return render_template("ledger.html", library=library, libraries=libraries, sheets=sheets, lost=lost,
                           series_labels=SERIES_LABELS_JA, own=_is_this_kiosks(library), year=year, years=years,
                           this_year=fiscal_year(date.today()))


@bp.get("/ledger.csv")
def csv_file():
    """The ledger's rows (one fiscal year's with ``year``) as CSV: ``encoding`` utf-8 or sjis."""
    with get_db().read() as session:
        library = _library(session)
        year = _year_arg()
        sheets = ledger_sheets(session, library.id, fiscal_year=year)
        lost = lost_numbers(session, library.id, fiscal_year=year)
    data = ledger_csv(sheets, request.args.get("encoding", "utf-8"), lost)
    charset = "shift_jis" if request.args.get("encoding") == "sjis" else "utf-8"
    name = f"ledger-{year}.csv" if year else "ledger.csv"
    return Response(data, content_type=f"text/csv; charset={charset}",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/export/<format>")
def export_file(format):
    """The ledger as xlsx (one fiscal year's with ``year``), or the holdings as MARC 21 or TSV."""
    with get_db().read() as session:
        library_id = _library(session).id
    made = export(get_db(), library_id, format, fiscal_year=_year_arg())
    return Response(made.data, content_type=made.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{made.file_name}"'})


@bp.get("/report/<name>.pdf")
def report_file(name):
    """The ledger (one fiscal year's with ``year``, a cover included) or the audit as a PDF."""
    from printer.reports import report_pdf

    with get_db().read() as session:
        library_id = _library(session).id
    pdf = report_pdf(get_db(), library_id, name, fiscal_year=_year_arg(), series=request.args.get("series") or None,
                     sheets=request.args.get("sheets") or None)
    return Response(pdf, content_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


@bp.get("/year")
def year_figures():
    """The fiscal year's figures for the audit, to print from the browser."""
    with get_db().read() as session:
        library = _library(session)
        report = year_report(session, library.id, _year_arg() or fiscal_year(date.today()))
    return render_template("ledger_year.html", library=library, report=report,
                           library_arg=request.args.get("library") or None)


def _library(session):
    """The library named by ``library`` (as on the ledger page), else the first."""
    libraries = list_libraries(session)
    if not libraries:
        raise KioskError("no library yet: run 'kiosk init'", "図書館がまだ登録されていません")
    return find_library(session, request.args.get("library") or libraries[0].id)


def _is_this_kiosks(library) -> bool:
    """Whether ``library`` is the one this kiosk works for: only its copies can be printed here."""
    try:
        return current_library().id == library.id
    except KioskError:  # several libraries and none chosen for this kiosk
        return False


def _year_arg() -> int | None:
    value = request.args.get("year", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise KioskError(f"year {value!r} is not a number", "年度は数字で指定してください")
    return int(value)
