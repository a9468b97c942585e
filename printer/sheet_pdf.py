"""Vector PDF of labels on a sheet, with the Japanese label font embedded (subset)."""

import re
from functools import lru_cache

from kiosk.errors import KioskError
from printer.barcode import BAR_RUNS, QUIET_ZONE_MODULES, BarcodePattern
from printer.fonts import label_font_path
from printer.layout import Bars, Box, Text, layout
from printer.pdf_writer import PdfDocument
from printer.templates import SheetTemplate
from printer.truetype import TrueTypeFont, load_font

MM = 72 / 25.4  # points per millimetre


def _font() -> TrueTypeFont:
    return load_font(label_font_path())


def text_width_mm(text: str, size_mm: float) -> float:
    return _font().width(text, size_mm)


def render_sheet_pdf(labels: list, template: SheetTemplate, *, start: int = 1,
                     offset_mm: tuple[float, float] = (0.0, 0.0), outline: bool = False) -> bytes:
    """Labels in order on as many sheets as they need, beginning at position ``start`` of the
    first sheet (to use up a partly used sheet). ``offset_mm`` moves everything by the printer's
    calibration; ``outline`` draws each label's edge (the calibration test page)."""
    return render_sheets_pdf([(labels, template, start)], offset_mm=offset_mm, outline=outline)


def render_sheets_pdf(groups: list, *, offset_mm: tuple[float, float] = (0.0, 0.0), outline: bool = False) -> bytes:
    """Several runs of labels, each ``(labels, template, start)``, one after another in one PDF
    (e.g. spine labels on their sheets, then barcode labels on theirs)."""
    document = PdfDocument(_font(), title="ラベル")
    for labels, template, start in groups:
        if not 1 <= start <= template.per_sheet:
            raise KioskError(f"start position must be 1 to {template.per_sheet} on {template.name}",
                             f"開始位置は1〜{template.per_sheet}で指定してください")
        _sheets(document, labels, template, start, offset_mm, outline)
    return document.to_bytes()


def _sheets(document: PdfDocument, labels, template: SheetTemplate, start: int, offset_mm, outline: bool) -> None:
    page_w, page_h = template.page_mm
    label_w, label_h = template.label_mm
    positions = list(range(start - 1, template.per_sheet))
    ops = document.new_page(page_w * MM, page_h * MM)
    index = 0
    for label in labels:
        if index == len(positions):
            ops = document.new_page(page_w * MM, page_h * MM)
            positions, index = list(range(template.per_sheet)), 0
        x, y = template.origins_mm[positions[index]]
        _draw(document, ops, label, x + offset_mm[0], y + offset_mm[1], label_w, label_h, page_h, outline)
        index += 1
    if not labels and outline:
        for x, y in template.origins_mm:
            _draw(document, ops, None, x + offset_mm[0], y + offset_mm[1], label_w, label_h, page_h, True)


def _draw(document: PdfDocument, ops: list, label, x, y, width, height, page_h, outline) -> None:
    """One label's shapes as PDF operators, its top-left corner at (x, y) mm from the sheet's."""
    def px(x_mm):
        return (x + x_mm) * MM

    def py(y_mm):  # PDF's origin is the bottom-left corner
        return (page_h - y - y_mm) * MM

    if outline:
        ops.append(f"q 0.6 G 0.3 w {px(0):.2f} {py(height):.2f} {width * MM:.2f} {height * MM:.2f} re S Q")
    if label is None:
        return
    for shape in layout(label, width, height, text_width_mm):
        if isinstance(shape, Bars):  # in module units under one matrix: ~40 bars, one short string
            ops.append(f"q {shape.module * MM:.4f} 0 0 {shape.h * MM:.3f} {px(shape.x):.3f} "
                       f"{py(shape.y + shape.h):.3f} cm 0 g {_bar_ops(shape.pattern)} f Q")
        elif isinstance(shape, Box):
            ops.append(f"q {_rgb(shape.colour)} rg {px(shape.x):.3f} {py(shape.y + shape.h):.3f} "
                       f"{shape.w * MM:.3f} {shape.h * MM:.3f} re f Q")
        elif isinstance(shape, Text):
            size = shape.size * MM
            left = px(shape.x) - document.font.width(shape.text, size) / 2
            ops.append(f"q {_rgb(shape.colour)} rg {document.text_ops(shape.text, left, py(shape.baseline), size)} Q")


def _bar_ops(pattern: BarcodePattern) -> str:
    """``x 0 w 1 re`` for every bar, in modules: the hot loop of a sheet of barcode labels.

    Made from 12-module slices of the pattern, each made once and kept: the slices of one
    symbology repeat from label to label (Code 39: ~50 distinct in 1,000 labels), so a sheet
    costs a few dictionary lookups a label. A bar cut by a slice's edge becomes two touching
    rectangles of one path, which fills exactly as one."""
    modules, ops = pattern.modules, []
    for at in range(0, len(modules), _SLICE):
        key = (at, modules[at:at + _SLICE])
        slice_ops = _SLICES.get(key)
        if slice_ops is None:
            if len(_SLICES) > 50_000:  # random Code 128 data could grow it without end
                _SLICES.clear()
            slice_ops = _SLICES[key] = " ".join(f"{QUIET_ZONE_MODULES + at + start} 0 {end - start} 1 re"
                                                for start, end in map(re.Match.span, BAR_RUNS.finditer(key[1])))
        if slice_ops:
            ops.append(slice_ops)
    return " ".join(ops)


_SLICE = 12
_SLICES: dict[tuple[int, str], str] = {}


@lru_cache(maxsize=64)
def _rgb(colour: str) -> str:
    """'#e91e63' as PDF's 'r g b' operands."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise KioskError(f"not a colour: {colour!r} (use #rrggbb)", f"色「{colour}」は #rrggbb で指定してください")
    return " ".join(f"{int(value[i:i + 2], 16) / 255:.3f}" for i in (0, 2, 4))
