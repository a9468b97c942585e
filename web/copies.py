"""A registered copy: find it by number or by scanning its barcode; staff may withdraw it
(除籍), re-accession it when a lost copy turns up, or split it (分本); and many at once:
withdraw them (a weeding) or bind them into one volume (合本)."""

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for

from kiosk.errors import KioskError
from kiosk.events import ACTION_LABELS_JA, events_for
from kiosk.ledger.sheets import copy_row, find_copy
from kiosk.ledger.number_ranges import parse_numbers, typed_items
from kiosk.ledger.rebinding import bind, split
from kiosk.ledger.scanned_copies import copy_number_scanned
from kiosk.ledger.typed_numbers import numbers_entered
from kiosk.ledger.withdrawal import (CORRECTABLE_LABELS_JA, REASON_LABELS_JA, WITHDRAWAL_LABELS_JA, correct, correctable_values,
                              parse_reason, reaccession, withdraw, withdraw_many, withdrawal_candidates)
from web.context import actor, current_library, scan_settings
from web.db import get_db
from web.security import staff_required

bp = Blueprint("copies", __name__, url_prefix="/copies")


@bp.get("/")
def find():
    """Type a number (``code``) or scan the copy's barcode (``scan``: what the page's scanner
    listener caught, never a short number)."""
    scanned = request.args.get("scan", "").strip()
    code = scanned or request.args.get("code", "").strip()
    if not code:
        return render_template("copies/find.html")
    with get_db().read() as session:
        number = copy_number_scanned(session, current_library().id, code, scan_settings(), typed=not scanned)
    return redirect(url_for("copies.show", number=number))


@bp.get("/withdraw")
@staff_required
def weeding():
    """Withdraw many copies at once (a year-end weeding): scan or type each, see the list as the
    ledger has it, choose the reason, withdraw all. ``numbers`` is the list so far, ``add`` a
    typed number (or range) and ``scan`` a scanned barcode to put on it, ``drop`` one to take off."""
    numbers = parse_numbers(request.args["numbers"]) if request.args.get("numbers", "").strip() else []
    scanned = request.args.get("scan", "").strip()
    added, error = scanned or request.args.get("add", "").strip(), None
    if added:
        try:  # a misread scan is said on this screen: the list so far stays
            with get_db().read() as session:
                numbers += numbers_entered(added, scan_settings(), scanned=bool(scanned), session=session,
                                           library_id=current_library().id)
        except KioskError as refused:
            error = f"「{added}」: {refused.ja}"
    drop = request.args.get("drop", "")
    numbers = [n for n in dict.fromkeys(numbers) if str(n) != drop]
    with get_db().read() as session:
        candidates = withdrawal_candidates(session, current_library().id, numbers)
    return render_template("copies/weeding.html", numbers=",".join(map(str, numbers)), candidates=candidates,
                           reasons=WITHDRAWAL_LABELS_JA, reason=request.args.get("reason", ""),
                           note=request.args.get("note", ""), error=error)


@bp.post("/withdraw")
@staff_required
def do_weeding():
    numbers = parse_numbers(request.form.get("numbers", ""))
    withdraw_many(get_db(), current_library().id, numbers, parse_reason(request.form.get("reason", "")),
                  note=request.form.get("note") or None, actor=actor())
    return redirect(url_for("copies.withdrawn", numbers=",".join(map(str, numbers))))


@bp.post("/bind")
@staff_required
def do_bind():
    """合本: the copies on the list bound into one volume, with a new number."""
    new = bind(get_db(), current_library().id, parse_numbers(request.form.get("numbers", "")),
               title=request.form.get("title") or None, volume=request.form.get("volume") or None, actor=actor())
    return redirect(url_for("copies.show", number=new.number))


@bp.post("/<int:number>/split")
@staff_required
def do_split(number: int):
    """分本: this copy split into one copy per volume typed (上、下 or 1、2、3); on to the first."""
    made = split(get_db(), current_library().id, number, typed_items(request.form.get("volumes", "")), actor=actor())
    return redirect(url_for("copies.show", number=made[0].number))


@bp.get("/withdrawn")
def withdrawn():
    """The copies just withdrawn, as a list to print (除籍リスト) and file."""
    numbers = parse_numbers(request.args.get("numbers", ""))
    with get_db().read() as session:
        rows = [copy_row(session, current_library().id, number) for number in numbers]
    return render_template("copies/withdrawn.html", rows=rows, reasons=REASON_LABELS_JA, library=current_library(),
                           today=date.today().isoformat())


@bp.get("/<int:number>")
def show(number: int):
    library = current_library()
    with get_db().read() as session:
        row = copy_row(session, library.id, number)
        current = correctable_values(find_copy(session, library.id, number))
        events = events_for(session, library.id, number)
    return render_template("copies/show.html", row=row, current=current, correctable=CORRECTABLE_LABELS_JA,
                           events=events, reasons=WITHDRAWAL_LABELS_JA, reason_labels=REASON_LABELS_JA,
                           actions=ACTION_LABELS_JA)


@bp.post("/<int:number>/withdraw")
@staff_required
def do_withdraw(number: int):
    withdraw(get_db(), current_library().id, number, parse_reason(request.form.get("reason", "")),
             note=request.form.get("note") or None, actor=actor())
    return redirect(url_for("copies.show", number=number))


@bp.post("/<int:number>/correct")
@staff_required
def do_correct(number: int):
    """Staff correct a ledger row; the value before stays in the event log."""
    with get_db().read() as session:
        current = correctable_values(find_copy(session, current_library().id, number))
    changes = {key: request.form[key].strip() for key in current
               if key in request.form and request.form[key].strip() != current[key]}
    if not changes:
        raise KioskError("nothing was changed", "変更された項目がありません")
    correct(get_db(), current_library().id, number, changes, reason=request.form.get("reason", ""), actor=actor())
    return redirect(url_for("copies.show", number=number))


@bp.post("/<int:number>/reaccession")
@staff_required
def do_reaccession(number: int):
    new = reaccession(get_db(), current_library().id, number, actor=actor())
    return redirect(url_for("copies.show", number=new.number))
