"""Labels as data: what goes on a spine label and a barcode label, in millimetres.

Made in one place from a copy's ledger row and the settings; drawn elsewhere (printer.sheet_pdf,
printer.raster). Tests check this data and the decoded output, not pixels by hand.
"""

import re
from dataclasses import dataclass

from kiosk.labels.callnumber import CallNumber
from kiosk.errors import KioskError
from kiosk.printing_settings import PrintingSettings
from printer.barcode import BarcodePattern

# Colours by NDC main class (0–9) and for picture books: a common school-library habit. A
# school's palette (settings → printing → palette) is laid over it: "E=#ec407a, R=#3949ab".
DEFAULT_PALETTE = {
    "0": "#9e9e9e", "1": "#8e24aa", "2": "#6d4c41", "3": "#fb8c00", "4": "#43a047",
    "5": "#00897b", "6": "#c0ca33", "7": "#e53935", "8": "#1e88e5", "9": "#fdd835", "E": "#ec407a",
}
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_PREFIX = re.compile(r"[^\d\s.]+")  # the letters a shelving prefix starts with: E, R, K, YA…


@dataclass(frozen=True)
class SpineLabel:
    number: int
    tiers: tuple[str, ...]  # 分類記号, 図書記号 (, 巻冊記号)
    band: str | None = None  # colour of the band at the top, "#rrggbb"
    background: str | None = None  # colour of the whole label (pale, so black tiers stay legible)


@dataclass(frozen=True)
class BarcodeLabel:
    number: int
    pattern: BarcodePattern
    library: str
    title: str  # shortened to fit


def spine_label(number: int, call: CallNumber, *, palette: dict | None = DEFAULT_PALETTE,
                colour: str = "band") -> SpineLabel:
    """The label of a call number, coloured by its class: a shelving prefix's own colour (E, R…)
    where the palette has one, else the NDC main class's (the first digit)."""
    tiers = call.tiers or ("",)
    chosen = None
    if palette and call.top and colour != "none":
        prefix = _PREFIX.match(call.top)
        chosen = (palette.get(prefix.group()) if prefix else None) or palette.get(call.top[0])
    if colour == "background" and chosen:
        return SpineLabel(number, tiers, background=_pale(chosen))
    return SpineLabel(number, tiers, band=chosen)


def parse_palette(text: str) -> dict[str, str]:
    """'E=#ec407a, 9=#fdd835' (or one per line) as {'E': '#ec407a', '9': '#fdd835'}."""
    palette = {}
    for entry in filter(None, (part.strip() for part in re.split(r"[,\n、]", text or ""))):
        key, equals, value = (part.strip() for part in entry.partition("="))
        if not equals or not key or not _COLOUR.fullmatch(value):
            raise KioskError(f"palette entry {entry!r} is not CLASS=#rrggbb (e.g. E=#ec407a, 9=#fdd835)",
                             f"色の指定「{entry}」は 分類=#rrggbb の形で（例 E=#ec407a, 9=#fdd835）")
        palette[key] = value.lower()
    return palette


def colours_from_settings(printing: PrintingSettings) -> tuple[dict, str]:
    """(palette, style) from the printing settings: the school's colours over the defaults, and
    one of its COLOUR_STYLES (a band across the top, a pale background, no colour)."""
    return {**DEFAULT_PALETTE, **printing.palette}, printing.colour


def _pale(colour: str) -> str:
    """The colour mixed with three parts white: a background black text reads well on."""
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - value) * 0.3):02x}" for value in channels)


def barcode_label(number: int, pattern: BarcodePattern, library: str, title: str, *, title_chars: int = 16) -> BarcodeLabel:
    short = title if len(title) <= title_chars else title[: title_chars - 1] + "…"
    return BarcodeLabel(number, pattern, library, short)
