"""Printing a queued job: render the job's labels for what its printer's backend prints on (an
A4 sheet as a PDF, or each label as an image at the head's dpi) and send them."""

from dataclasses import replace
from typing import Callable

from kiosk.errors import KioskError
from kiosk.printing.queue import JobView, PrinterError, enqueue, send
from kiosk.db.storage import Database
from printer.backends import get_backend
from printer.copy_labels import LabelOptions, labels_for, labels_pdf
from printer.protocol import Medium, Printer


def deliverer(db: Database, library_id: int, options: LabelOptions, allowed: Callable[[str], str] | None = None):
    """A function the print queue calls with a job: renders and sends it, or raises PrinterError.
    ``allowed`` (kiosk.printing.printers.check_printer_url, from the web) checks the job's printer first:
    one it refuses fails the job with the reason, and nothing is sent."""

    def deliver(job: JobView) -> None:
        url = job.printer
        if allowed is not None:
            try:
                url = allowed(job.printer or "")
            except KioskError as error:
                raise PrinterError(str(error), error.ja) from None
        backend = get_backend(url)
        job_options = replace(options, kind=job.kind, printer=job.printer)
        backend.send(document_for(backend, db, library_id, job.numbers, job_options), f"labels-{job.id}")

    return deliver


def document_for(backend: Printer, db: Database, library_id: int, numbers: list[int], options: LabelOptions):
    """What ``backend`` prints: the sheet PDF, or each label as an image at its dpi."""
    if backend.medium is Medium.ROLL_RASTER:
        from printer.raster import render_label_image  # Pillow: only for a roll printer

        labels, sizes = labels_for(db, library_id, numbers, options)
        return [render_label_image(label, *size, dpi=backend.dpi) for label, size in zip(labels, sizes)]
    return labels_pdf(db, library_id, numbers, options)


def print_now(db: Database, library_id: int, numbers: list[int], printer: str, *, actor: str,
              options: LabelOptions = LabelOptions(), allowed: Callable[[str], str] | None = None) -> JobView:
    """Queue the labels and send them at once; on a printer fault the job stays queued (the
    PrinterError still reaches the caller, to be shown)."""
    job_id = enqueue(db, library_id, numbers, kind=options.kind, printer=printer, actor=actor)
    return send(db, job_id, deliverer(db, library_id, options, allowed), actor=actor)
