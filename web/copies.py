"""A registered copy: find it by number or by scanning its barcode; staff may withdraw it
(除籍), re-accession it when a lost copy turns up, or split it (分本); and many at once:
withdraw them (a weeding) or bind them into one volume (合本).

A withdrawal cannot be undone (the number is retired), so it takes two taps: the form's post
shows what would be withdrawn (kiosk.ledger.withdrawal.plan_withdrawal, checked by the same
rules) and asks once more; only a post that carries ``confirmed=1`` from that page withdraws."""

from datetime import date

from flask import Blueprint, Response, redirect, render_template, request, url_for

from kiosk.errors import KioskError
from kiosk.events import ACTION_LABELS_JA
from kiosk.ledger.copy_page import copy_page
from kiosk.ledger.sheets import rows_numbered
from kiosk.ledger.number_ranges import parse_numbers, typed_items
from kiosk.ledger.rebinding import bind, split
from kiosk.ledger.typed_numbers import copy_named, numbers_named
from kiosk.ledger.withdrawal import (CORRECTABLE_LABELS_JA, REASON_LABELS_JA, WITHDRAWAL_LABELS_JA, correct_typed,
                                     parse_reason, plan_withdrawal, reaccession, weeding_list, withdraw, withdraw_many)
from kiosk.ledger.call_numbers import set_call_number
from kiosk.ledger.desk_choices import desk_choices
from kiosk.printing.printers import check_printer_url, printer_url
from kiosk.printing.queue import PrinterError, send
from printer.copy_labels import LabelOptions
from printer.dispatch import deliverer
from web.camera import camera_panel
from web.context import actor, current_library, kiosk_settings, scan_settings
from web.db import get_db
from web.i18n import error_text, tr
from web.security import staff_required

bp = Blueprint("copies", __name__, url_prefix="/copies")


@bp.get("/")
def find():
    """Type a number (``code``) or scan the copy's barcode (``scan``: what the page's scanner
    listener caught, never a short number)."""
    scanned = request.args.get("scan", "").strip()
    code = scanned or request.args.get("code", "").strip()
    if not code:
        return render_template("copies/find.html", **camera_panel("find"))
    number = copy_named(get_db(), current_library().id, code, scan_settings(), typed=not scanned)
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
            numbers += numbers_named(get_db(), current_library().id, added, scan_settings(), scanned=bool(scanned))
        except KioskError as refused:
            error = tr("「{added}」: {problem}", added=added, problem=error_text(refused))
    drop = request.args.get("drop", "")
    numbers = [n for n in dict.fromkeys(numbers) if str(n) != drop]
    candidates = weeding_list(get_db(), current_library().id, numbers)
    return render_template("copies/weeding.html", numbers=",".join(map(str, numbers)), candidates=candidates,
                           reasons=WITHDRAWAL_LABELS_JA, reason=request.args.get("reason", ""),
                           note=request.args.get("note", ""), error=error)


@bp.post("/withdraw")
@staff_required
def do_weeding():
    numbers = parse_numbers(request.form.get("numbers", ""))
    reason, note = parse_reason(request.form.get("reason", "")), request.form.get("note") or None
    if not _confirmed():
        listed = ",".join(map(str, numbers))
        return _confirmation(numbers, reason, note, action=url_for("copies.do_weeding"),
                             back=url_for("copies.weeding", numbers=listed, reason=reason.value, note=note or ""))
    withdraw_many(get_db(), current_library().id, numbers, reason, note=note, actor=actor())
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
    rows = rows_numbered(get_db(), current_library().id, numbers)
    return render_template("copies/withdrawn.html", rows=rows, reasons=REASON_LABELS_JA, library=current_library(),
                           today=date.today().isoformat(), notes=sorted({row.withdrawal_note for row in rows} - {None}))


@bp.get("/withdrawn.pdf")
def withdrawn_pdf():
    """The 除籍リスト of the copies just withdrawn (``numbers``) as a PDF to file, with each
    reason's totals: the same document as `kiosk report withdrawals`, for one weeding."""
    from printer.reports import report_pdf

    pdf = report_pdf(get_db(), current_library().id, "withdrawals", numbers=request.args.get("numbers", ""))
    return Response(pdf, content_type="application/pdf", headers={"Content-Disposition": 'inline; filename="withdrawals.pdf"'})


@bp.get("/<int:number>")
def show(number: int):
    page = copy_page(get_db(), current_library().id, number)
    return render_template("copies/show.html", page=page, choices=desk_choices(get_db(), current_library().id), row=page.row, current=page.current, correctable=CORRECTABLE_LABELS_JA,
                           events=page.events, reasons=WITHDRAWAL_LABELS_JA, reason_labels=REASON_LABELS_JA,
                           actions=ACTION_LABELS_JA, **camera_panel("find"))


@bp.post("/<int:number>/withdraw")
@staff_required
def do_withdraw(number: int):
    reason, note = parse_reason(request.form.get("reason", "")), request.form.get("note") or None
    if not _confirmed():
        return _confirmation([number], reason, note, action=url_for("copies.do_withdraw", number=number),
                             back=url_for("copies.show", number=number))
    withdraw(get_db(), current_library().id, number, reason, note=note, actor=actor())
    return redirect(url_for("copies.show", number=number))


def _confirmed() -> bool:
    """Whether this post is the second tap, from the confirmation page."""
    return request.form.get("confirmed") == "1"


def _confirmation(numbers: list[int], reason, note: str | None, *, action: str, back: str):
    """The page that asks once more: the copies as the ledger has them, the reason, the note."""
    plan = plan_withdrawal(get_db(), current_library().id, numbers, reason, note=note)
    return render_template("copies/confirm_withdrawal.html", plan=plan, reasons=REASON_LABELS_JA, action=action,
                           back=back)


@bp.post("/<int:number>/correct")
@staff_required
def do_correct(number: int):
    """Staff correct a ledger row; the value before stays in the event log."""
    correct_typed(get_db(), current_library().id, number, request.form.to_dict(), reason=request.form.get("reason", ""),
                  actor=actor())
    return redirect(url_for("copies.show", number=number))


@bp.post("/<int:number>/callnumber")
def set_callnumber(number: int):
    """The call number of a copy registered with a tier missing or estimated, set from its page
    (the same touch editor as at the desk): its waiting spine label goes to the default printer
    at once, or joins the labels kept for the next sheet when there is none."""
    db, library_id = get_db(), current_library().id
    printer = printer_url(kiosk_settings().printing, None)  # the default printer, None: the next sheet
    done = set_call_number(db, library_id, number, top=request.form.get("top", ""),
                           bottom=request.form.get("bottom", ""), volume=request.form.get("volume") or None,
                           actor=actor(), printer=printer)
    for job_id in done.released_jobs if printer else ():
        try:
            send(db, job_id, deliverer(db, library_id, LabelOptions(), allowed=check_printer_url), actor=actor())
        except PrinterError as error:  # the job stays in the queue with the reason, shown there
            return redirect(url_for("printing.index", error=error_text(error)))
    return redirect(url_for("copies.show", number=number))


@bp.post("/<int:number>/reaccession")
@staff_required
def do_reaccession(number: int):
    new = reaccession(get_db(), current_library().id, number, actor=actor())
    return redirect(url_for("copies.show", number=new.number))
