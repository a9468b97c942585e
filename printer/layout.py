"""Where things go on one label, in millimetres from the label's top-left corner.

One layout, painted by two renderers (vector PDF, 1-bit raster), so a label looks the same on
an A4 sheet and on a thermal roll.
"""

from dataclasses import dataclass

from printer.barcode import BarcodePattern
from printer.labels import BarcodeLabel, SpineLabel

MARGIN_MM = 1.5


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    colour: str = "#000000"


@dataclass(frozen=True)
class Tint(Box):
    """A pale colour area: printed in colour, left out by a one-colour printer (where it would
    be solid black under the text)."""


@dataclass(frozen=True)
class Bars:
    """A barcode's bars, each ``module`` mm wide: ``pattern.bars()`` gives (first module, modules
    wide) of each, counted from the left edge of the quiet zone at ``x``."""
    x: float
    y: float
    module: float
    h: float
    pattern: BarcodePattern


@dataclass(frozen=True)
class Text:
    x: float  # centre
    baseline: float
    size: float  # em height in mm
    text: str
    colour: str = "#000000"


def layout(label, width: float, height: float, text_width) -> list:
    """Shapes for ``label`` on a width × height mm label. ``text_width(text, size_mm)`` gives a
    text's width in mm in the label font (the renderers know their font)."""
    if isinstance(label, SpineLabel):
        return _spine(label, width, height, text_width)
    if isinstance(label, BarcodeLabel):
        return _barcode(label, width, height, text_width)
    raise TypeError(f"not a label: {label!r}")


def _spine(label: SpineLabel, width, height, text_width) -> list:
    shapes = []
    top = MARGIN_MM
    if label.background:
        shapes.append(Tint(0, 0, width, height, label.background))
    if label.band:
        band = height * 0.16
        shapes.append(Box(0, 0, width, band, label.band))
        top = band + MARGIN_MM
    tiers = label.tiers
    room = (height - top - MARGIN_MM) / len(tiers)
    for index, tier in enumerate(tiers):
        size = _fit(tier, room * 0.95, width - 2 * MARGIN_MM, text_width)
        baseline = top + room * index + room / 2 + size * 0.36
        shapes.append(Text(width / 2, baseline, size, tier))
    return shapes


def _barcode(label: BarcodeLabel, width, height, text_width) -> list:
    pattern = label.pattern
    small = min(height * 0.11, 3.2)
    shapes = [Text(width / 2, MARGIN_MM + small * 0.85, _fit(label.library, small, width - 2 * MARGIN_MM, text_width),
                   label.library)]
    module = (width - 2 * MARGIN_MM) / pattern.width_modules
    bars_top = MARGIN_MM + small * 1.3
    bars_height = height * 0.48
    shapes.append(Bars(MARGIN_MM, bars_top, module, bars_height, pattern))
    number_size = _fit(pattern.text, min(height * 0.14, 4.0), width - 2 * MARGIN_MM, text_width)
    number_baseline = bars_top + bars_height + number_size * 1.0
    shapes.append(Text(width / 2, number_baseline, number_size, pattern.text))
    title_size = _fit(label.title, small, width - 2 * MARGIN_MM, text_width)
    shapes.append(Text(width / 2, min(height - MARGIN_MM * 0.6, number_baseline + title_size * 1.3), title_size,
                       label.title))
    return shapes


def _fit(text: str, size: float, room: float, text_width) -> float:
    """The size (at most ``size``) at which ``text`` fits in ``room`` mm."""
    if not text:
        return size
    natural = text_width(text, size)
    return size if natural <= room else size * room / natural
