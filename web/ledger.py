"""Ledger pages: the library's sheets (図書台帳) with their totals."""

from flask import Blueprint, render_template, request

from kiosk.errors import KioskError
from kiosk.funds import SERIES_LABELS_JA
from kiosk.ledger import ledger_sheets
from kiosk.library import find_library, list_libraries
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
        sheets = ledger_sheets(session, library.id, fiscal_year=_year_arg())
    return render_template("ledger.html", library=library, libraries=libraries, sheets=sheets,
                           series_labels=SERIES_LABELS_JA, own=_is_this_kiosks(library))


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
