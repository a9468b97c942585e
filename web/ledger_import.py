"""Importing an existing ledger on the touch screen (staff only), the way `kiosk import-ledger`
does it and through the same use case (kiosk.ledger.ledger_import): upload a CSV or xlsx, see
the dry run's report (what would be imported, or every refused row with its column and the
Japanese reason), then import it all, or nothing, by a deliberate confirmation.

The checked file travels with the confirmation form (base64, as the delivery screen carries a
slip across its column mapping), so no upload is kept on the kiosk; the import checks the
whole file again in its own transaction, under the counter's lock."""

import base64
from pathlib import PurePath

from flask import Blueprint, current_app, render_template, request

from kiosk.errors import KioskError
from kiosk.ledger.ledger_import import LedgerRefused, import_uploaded_ledger
from web.context import actor, current_library
from web.db import get_db
from web.i18n import error_text
from web.security import staff_required

bp = Blueprint("ledger_import", __name__, url_prefix="/ledger/import")
SHOWN_PROBLEMS = 300  # the rest are counted: a wrong file refuses on its first rows already


@bp.get("/")
@staff_required
def form():
    return render_template("ledger_import.html", library=current_library())


@bp.post("/")
@staff_required
def check_or_import():
    """Without ``confirm``: the dry run of the uploaded file. With it: the import of the file the
    dry run showed, all or nothing."""
    confirmed = request.form.get("confirm") == "1"
    try:
        name, data = _uploaded()
        report = import_uploaded_ledger(get_db(), current_library().id, name, data, dry_run=not confirmed,
                                        actor=actor())
    except LedgerRefused as refused:
        current_app.logger.info("ledger import refused: %s", refused)
        return render_template("ledger_import.html", library=current_library(), report=refused.report,
                               refused=True, shown=SHOWN_PROBLEMS), 422
    except KioskError as unreadable:  # no file, or one that is not a ledger at all
        current_app.logger.info("ledger import refused: %s", unreadable)
        return render_template("ledger_import.html", library=current_library(), error=error_text(unreadable)), 400
    return render_template("ledger_import.html", library=current_library(), report=report, imported=confirmed,
                           carried=None if confirmed else base64.b64encode(data).decode("ascii"), name=name)


def _uploaded() -> tuple[str, bytes]:
    """The file chosen on the form, or the one the dry run's confirmation form carries."""
    upload = request.files.get("ledger")
    if upload is not None and upload.filename:
        return PurePath(upload.filename).name[:200], upload.read()
    if request.form.get("ledger_data"):
        try:
            data = base64.b64decode(request.form["ledger_data"], validate=True)
        except ValueError:
            raise KioskError("the carried-over ledger file is damaged: choose it again",
                             "台帳のファイルをもう一度選んでください") from None
        return PurePath(request.form.get("ledger_name") or "ledger.csv").name[:200], data
    raise KioskError("choose the ledger file (CSV or xlsx) to import", "取り込む台帳のファイル（CSV・xlsx）を選んでください")
