"""A registered copy: find it by number or by scanning its barcode; staff may withdraw it
(除籍) or re-accession it when a lost copy turns up."""

from flask import Blueprint, redirect, render_template, request, url_for

from kiosk.errors import KioskError
from kiosk.events import events_for
from kiosk.ledger import copy_row
from kiosk.scan import parse_scan
from kiosk.withdrawal import WITHDRAWAL_LABELS_JA, parse_reason, reaccession, withdraw
from web.context import actor, current_library, scan_settings
from web.db import get_db
from web.security import staff_required

bp = Blueprint("copies", __name__, url_prefix="/copies")


@bp.get("/")
def find():
    """Type a number or scan the copy's barcode (item code or plain number)."""
    code = request.args.get("code", "").strip()
    if not code:
        return render_template("copies/find.html")
    if code.isdigit() and len(code) <= 10:
        number = int(code)
    else:
        scan = parse_scan(code, scan_settings())
        if scan.kind != "item" or scan.number is None:
            raise KioskError(f"{code!r} is not one of this library's item barcodes",
                             "この図書館の本のバーコード（登録番号）ではありません")
        number = scan.number
    return redirect(url_for("copies.show", number=number))


@bp.get("/<int:number>")
def show(number: int):
    library = current_library()
    with get_db().read() as session:
        row = copy_row(session, library.id, number)
        events = events_for(session, library.id, number)
    return render_template("copies/show.html", row=row, events=events, reasons=WITHDRAWAL_LABELS_JA)


@bp.post("/<int:number>/withdraw")
@staff_required
def do_withdraw(number: int):
    withdraw(get_db(), current_library().id, number, parse_reason(request.form.get("reason", "")),
             note=request.form.get("note") or None, actor=actor())
    return redirect(url_for("copies.show", number=number))


@bp.post("/<int:number>/reaccession")
@staff_required
def do_reaccession(number: int):
    new = reaccession(get_db(), current_library().id, number, actor=actor())
    return redirect(url_for("copies.show", number=new.number))
