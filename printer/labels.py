"""Labels as data: what goes on a spine label and a barcode label, in millimetres.

Made in one place from a copy's ledger row and the settings; drawn elsewhere (printer.pdf,
printer.raster). Tests check this data and the decoded output, not pixels by hand.
"""

from dataclasses import dataclass

from kiosk.callnumber import CallNumber
from printer.barcode import BarcodePattern

# Colour bands by NDC main class (0–9) and for picture books: a common school-library habit.
DEFAULT_PALETTE = {
    "0": "#9e9e9e", "1": "#8e24aa", "2": "#6d4c41", "3": "#fb8c00", "4": "#43a047",
    "5": "#00897b", "6": "#c0ca33", "7": "#e53935", "8": "#1e88e5", "9": "#fdd835", "E": "#ec407a",
}


@dataclass(frozen=True)
class SpineLabel:
    number: int
    tiers: tuple[str, ...]  # 分類記号, 図書記号 (, 巻冊記号)
    band: str | None = None  # colour of the band at the top, "#rrggbb"


@dataclass(frozen=True)
class BarcodeLabel:
    number: int
    pattern: BarcodePattern
    library: str
    title: str  # shortened to fit


def spine_label(number: int, call: CallNumber, *, palette: dict | None = DEFAULT_PALETTE) -> SpineLabel:
    tiers = call.tiers or ("",)
    band = None
    if palette and call.top:
        band = palette.get("E" if call.top.startswith("E") else call.top[0])
    return SpineLabel(number, tiers, band)


def barcode_label(number: int, pattern: BarcodePattern, library: str, title: str, *, title_chars: int = 16) -> BarcodeLabel:
    short = title if len(title) <= title_chars else title[: title_chars - 1] + "…"
    return BarcodeLabel(number, pattern, library, short)
