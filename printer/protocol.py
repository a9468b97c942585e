"""The one interface every printer backend has (printer/backends.py chooses one by URL).

A backend says what it prints on and at what resolution; printer/dispatch.py renders the job
for that and hands it to the backend's one ``send``:

- ``Medium.SHEET_PDF``: an A4 sheet of labels as a PDF (``send(pdf_bytes, name)``), for a
  folder, CUPS or an IPP printer; ``dpi`` is None (the printer rasterises the PDF itself);
- ``Medium.ROLL_RASTER``: one 1-bit image per label at the head's ``dpi``
  (``send([PIL image, …], name)``), for a thermal roll printer (ZPL, Brother QL).

``send`` returns what the printer called the job (a path, a CUPS or IPP job id) or None, and
raises ``kiosk.printing.errors.PrinterError`` (``PrintOutcomeUnknown`` when the bytes may have
printed) with a message staff can act on.
"""

from enum import StrEnum
from typing import Protocol


class Medium(StrEnum):
    SHEET_PDF = "sheet-pdf"
    ROLL_RASTER = "roll-raster"


class Printer(Protocol):
    medium: Medium
    dpi: int | None

    def send(self, document, name: str) -> str | None:
        """Print ``document`` (the PDF's bytes, or the labels' images: see ``medium``)."""
