"""Printing from the touch screen: labels of just-registered copies (at once, as a PDF sheet,
or kept to print later on one sheet with others), and the print queue (retry, send elsewhere,
cancel).

A request names a printer only by its id among those staff configured (kiosk.printing.printers); the
URLs are staff's, set on the settings screen, and checked again before each use."""

import re

from flask import Blueprint, Response, redirect, render_template, request, url_for

from kiosk.labels.basic_cards import catalogue_cards
from kiosk.errors import KioskError
from kiosk.ledger.number_ranges import parse_numbers
from kiosk.labels.processing_checklist import processing_checklist
from kiosk.printing.printers import check_printer_url, configured_printers, default_printer_id, edit_printers, printer_url
from kiosk.printing_settings import PrintingSettings
from kiosk.printing.queue import (PrinterError, cancel, check_job_library, collected, enqueue, jobs, resolve_unknown, retry_elsewhere, send,
                               sheet_printed)
from printer.card_pdf import cards_pdf
from printer.checklist_pdf import checklist_pdf
from printer.copy_labels import LabelOptions, collected_pdf, labels_pdf
from printer.dispatch import deliverer, print_now
from web.context import actor, current_library, kiosk_settings
from web.db import get_db
from web.i18n import error_text

bp = Blueprint("printing", __name__, url_prefix="/printing")
_PRINTER_ROW = re.compile(r"printer_(\d{1,9})_(name|url|remove)")


@bp.app_context_processor
def _printer_choices():
    """``label_printers()`` for every print form: the configured printers, to choose by name."""
    return {"label_printers": label_printers}


def label_printers() -> dict:
    """The configured printers (kiosk.printing_settings.ConfiguredPrinter) and the default's id
    (None: the browser's PDF)."""
    printing = kiosk_settings().printing
    return {"printers": configured_printers(printing), "default": default_printer_id(printing)}


@bp.get("/")
def index():
    library = current_library()
    choices = label_printers()
    names = {p.url: p.name for p in choices["printers"]}
    default = next((p for p in choices["printers"] if p.id == choices["default"]), None)
    return render_template("printing.html", jobs=jobs(get_db(), library.id), collected=collected(get_db(), library.id),
                           printer=default, printer_names=names, error=request.args.get("error"))


def printers_from_form(printing: PrintingSettings, values: dict) -> dict:
    """The settings screen's printer list (rows ``printer_ID_name``, ``_url``, ``_remove``, a
    new one, ``default_printer``) as printing values to save; ``values`` unchanged when the form
    had no list. ``printing``: the settings before."""
    if "default_printer" not in values:
        return values
    rows: dict[int, dict] = {}
    for key in [key for key in values if _PRINTER_ROW.fullmatch(key)]:
        number, field = _PRINTER_ROW.fullmatch(key).groups()
        rows.setdefault(int(number), {})[field] = values.pop(key)
    added = {"name": values.pop("new_printer_name", ""), "url": values.pop("new_printer_url", "")}
    default = values.pop("default_printer").strip()
    return {**values, **edit_printers(printing, rows, added if added["name"] or added["url"] else None, default)}


@bp.post("/later")
def later():
    """Keep the labels to print later, on one sheet with other deliveries' (no sheet half used)."""
    numbers = parse_numbers(request.form.get("numbers", ""))
    enqueue(get_db(), current_library().id, numbers, kind=request.form.get("kind", "both"), printer=None, actor=actor())
    return redirect(url_for("printing.index"))


@bp.get("/collected.pdf")
def collected_sheet():
    """The labels kept for later, the jobs named in ``jobs`` (those the page showed), as one PDF."""
    library_id = current_library().id
    wanted = set(_job_ids(request.args.get("jobs", "")))
    pdf = collected_pdf(get_db(), library_id, [job for job in collected(get_db(), library_id) if job.id in wanted],
                        start=_start(request.args.get("start", "")))
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": 'inline; filename="labels-sheet.pdf"'})


@bp.post("/collected/printed")
def collected_printed():
    """Staff printed the sheet: the jobs on it are done."""
    sheet_printed(get_db(), current_library().id, _job_ids(request.form.get("jobs", "")), actor=actor())
    return redirect(url_for("printing.index"))


def _start(text: str) -> int:
    """The first free position on a partly used sheet, as typed (blank: the first)."""
    if not text.strip():
        return 1
    if not text.strip().isdigit():
        raise KioskError(f"start position {text!r} is not a number", "開始位置は数字で入力してください")
    return int(text)


def _job_ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


@bp.get("/labels.pdf")
def labels():
    numbers = parse_numbers(request.args.get("numbers", ""))
    options = LabelOptions(kind=request.args.get("kind", "both"), start=_start(request.args.get("start", "")))
    pdf = labels_pdf(get_db(), current_library().id, numbers, options)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="labels-{numbers[0]}.pdf"'})


@bp.get("/checklist.pdf")
def checklist():
    """The processing checklist (装備チェックリスト) of the copies ``numbers``: to tick at the work table."""
    numbers = parse_numbers(request.args.get("numbers", ""))
    pdf = checklist_pdf(processing_checklist(get_db(), current_library().id, numbers))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="checklist-{numbers[0]}.pdf"'})


@bp.get("/cards.pdf")
def cards():
    """The basic cards (基本カード) of the copies ``numbers``, on the settings' paper (``layout``
    a4 or card overrides it)."""
    numbers = parse_numbers(request.args.get("numbers", ""))
    layout = request.args.get("layout") or kiosk_settings().printing.card_layout
    pdf = cards_pdf(catalogue_cards(get_db(), current_library().id, numbers), layout)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="cards-{numbers[0]}.pdf"'})


@bp.get("/test-page.pdf")
def test_page():
    from printer.copy_labels import test_page_pdf

    pdf = test_page_pdf(get_db(), current_library().id, request.args.get("template") or None,
                        printer_url(kiosk_settings().printing, request.args.get("printer")))
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": 'inline; filename="test-page.pdf"'})


@bp.get("/preview/<int:number>-<kind>.png")
def preview(number: int, kind: str):
    """A copy's spine or barcode label as a PNG, for the screen, as it will come out: in
    colour from a sheet printer, in black from a thermal roll printer."""
    from printer.calibration import is_roll_printer
    from printer.copy_labels import labels_for
    from printer.raster import png_preview

    if kind not in ("spine", "barcode"):
        return Response(status=404)
    (label,), ((width, height),) = labels_for(get_db(), current_library().id, [number],
                                                 LabelOptions(kind=kind, incomplete_spines=True))
    colour = not is_roll_printer(kiosk_settings().printing.printer)
    return Response(png_preview(label, width, height, dpi=150, colour=colour), mimetype="image/png")


@bp.post("/print")
def print_labels():
    """Print at once on the printer chosen by its id (none: the default); a printer fault leaves
    the job queued. With no printer configured, the PDF sheet opens."""
    numbers = parse_numbers(request.form.get("numbers", ""))
    printer = printer_url(kiosk_settings().printing, request.form.get("printer"))
    if not printer:
        return redirect(url_for("printing.labels", numbers=request.form.get("numbers"), kind=request.form.get("kind", "both")))
    try:
        print_now(get_db(), current_library().id, numbers, printer, actor=actor(),
                  options=LabelOptions(kind=request.form.get("kind", "both")), allowed=check_printer_url)
    except PrinterError as error:
        return redirect(url_for("printing.index", error=error_text(error)))
    return redirect(url_for("printing.index"))


@bp.post("/jobs/<int:job_id>")
def job_action(job_id: int):
    db, library = get_db(), current_library()
    action = request.form.get("action")
    check_job_library(db, job_id, library.id)
    try:
        if action == "retry":  # on the job's own printer, or another chosen by its id
            if request.form.get("printer", "").strip():
                retry_elsewhere(db, job_id, printer_url(kiosk_settings().printing, request.form["printer"]))
            send(db, job_id, deliverer(db, library.id, LabelOptions(), allowed=check_printer_url), actor=actor())
        elif action == "cancel":
            cancel(db, job_id, actor=actor())
        elif action in ("printed", "not_printed"):
            resolve_unknown(db, job_id, printed=action == "printed", actor=actor())
    except PrinterError as error:
        return redirect(url_for("printing.index", error=error_text(error)))
    return redirect(url_for("printing.index"))
