"""Printing a queued job: render the job's labels for its printer's backend and send them."""

from typing import Callable

from kiosk.errors import KioskError
from kiosk.print_queue import JobView, PrinterError, enqueue, send
from kiosk.storage import Database
from printer.backends import BrotherQL, ZplPrinter, get_backend
from printer.copies import LabelOptions, labels_for, labels_pdf
from printer.raster import render_label_image

THERMAL_DPI = 203  # the usual Zebra-style head
BROTHER_DPI = 300  # Brother QL heads


def deliverer(db: Database, library_id: int, options: LabelOptions, allowed: Callable[[str], str] | None = None):
    """A function the print queue calls with a job: renders and sends it, or raises PrinterError.
    ``allowed`` (kiosk.printers.check_printer_url, from the web) checks the job's printer first:
    one it refuses fails the job with the reason, and nothing is sent."""

    def deliver(job: JobView) -> None:
        url = job.printer
        if allowed is not None:
            try:
                url = allowed(job.printer or "")
            except KioskError as error:
                raise PrinterError(str(error), error.ja) from None
        backend = get_backend(url)
        job_options = LabelOptions(**{**options.__dict__, "kind": job.kind, "printer": job.printer})
        if isinstance(backend, (ZplPrinter, BrotherQL)):
            dpi = BROTHER_DPI if isinstance(backend, BrotherQL) else THERMAL_DPI
            labels, sizes = labels_for(db, library_id, job.numbers, job_options)
            backend.send_images([render_label_image(label, *size, dpi=dpi) for label, size in zip(labels, sizes)])
        else:
            backend.send(labels_pdf(db, library_id, job.numbers, job_options), f"labels-{job.id}")

    return deliver


def print_now(db: Database, library_id: int, numbers: list[int], printer: str, *, actor: str,
              options: LabelOptions = LabelOptions(), allowed: Callable[[str], str] | None = None) -> JobView:
    """Queue the labels and send them at once; on a printer fault the job stays queued (the
    PrinterError still reaches the caller, to be shown)."""
    job_id = enqueue(db, library_id, numbers, kind=options.kind, printer=printer, actor=actor)
    return send(db, job_id, deliverer(db, library_id, options, allowed), actor=actor)
