"""Each sheet printer's own x/y calibration.

Printers feed sheets a little off, each its own way. The printing settings keep, under
``offsets``, an [x, y] shift in mm per printer URL, "" standing for a PDF opened in the browser
(printed on the PC's own printer). The settings screen's two offset fields are the calibration
of the sheet printer in use: the configured printer when it prints sheets (pdf:, cups:, ipp:),
else the browser's PDF, since a roll printer (zpl:, brother-ql:) prints each label on its own
and needs none.
"""

from kiosk.printing_settings import PrintingSettings
from printer.backends import medium_of
from printer.protocol import Medium


def is_roll_printer(printer: str | None) -> bool:
    """A thermal roll printer (its backend's medium): it prints each label alone, in one colour."""
    return medium_of(printer) is Medium.ROLL_RASTER


def sheet_printer(printer: str | None) -> str:
    """The key a printer's calibration is kept under: its URL, or "" for the browser's PDF."""
    return "" if is_roll_printer(printer) else printer or ""


def offset_for(printing: PrintingSettings, printer: str | None) -> tuple[float, float]:
    """The shift for a sheet sent to ``printer`` (None: opened in the browser): its own
    calibration, else none (a printer nobody has calibrated is not moved by another's)."""
    key = sheet_printer(printer)
    if key == sheet_printer(printing.printer):
        return float(printing.offset_x_mm), float(printing.offset_y_mm)
    x, y = printing.offsets.get(key, (0.0, 0.0))
    return float(x), float(y)


def with_calibrations(before: PrintingSettings, values: dict) -> dict:
    """The printing ``values`` to save (as stored, from the settings screen's form), with every
    printer's calibration kept: the offsets typed are the sheet printer in use's; choosing another
    printer without typing offsets brings back that printer's own (none, if it was never calibrated)."""
    offsets = {key: list(xy) for key, xy in before.offsets.items()}
    old, new = sheet_printer(before.printer), sheet_printer(values.get("printer", before.printer))
    offsets[old] = [float(before.offset_x_mm), float(before.offset_y_mm)]
    typed = [float(values.get("offset_x_mm", before.offset_x_mm)),
             float(values.get("offset_y_mm", before.offset_y_mm))]
    if new != old and typed == offsets[old]:
        typed = offsets.get(new, [0.0, 0.0])
    offsets[new] = typed
    return {**values, "offset_x_mm": typed[0], "offset_y_mm": typed[1], "offsets": offsets}
