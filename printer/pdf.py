"""Vector PDF of labels on a sheet (reportlab), with the Japanese font embedded."""

import io
from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kiosk.errors import KioskError
from printer.fonts import label_font_path
from printer.layout import Box, Text, layout
from printer.templates import SheetTemplate

MM = 72 / 25.4  # points per millimetre
FONT = "KioskLabel"


@lru_cache(maxsize=1)
def _font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(label_font_path())))
    return FONT


def text_width_mm(text: str, size_mm: float) -> float:
    return pdfmetrics.stringWidth(text, _font(), size_mm * MM) / MM


def render_sheet_pdf(labels: list, template: SheetTemplate, *, start: int = 1,
                     offset_mm: tuple[float, float] = (0.0, 0.0), outline: bool = False) -> bytes:
    """Labels in order on as many sheets as they need, beginning at position ``start`` of the
    first sheet (to use up a partly used sheet). ``offset_mm`` moves everything by the printer's
    calibration; ``outline`` draws each label's edge (the calibration test page)."""
    return render_sheets_pdf([(labels, template, start)], offset_mm=offset_mm, outline=outline)


def render_sheets_pdf(groups: list, *, offset_mm: tuple[float, float] = (0.0, 0.0), outline: bool = False) -> bytes:
    """Several runs of labels, each ``(labels, template, start)``, one after another in one PDF
    (e.g. spine labels on their sheets, then barcode labels on theirs)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    pdf.setTitle("ラベル")
    for labels, template, start in groups:
        if not 1 <= start <= template.per_sheet:
            raise KioskError(f"start position must be 1 to {template.per_sheet} on {template.name}",
                             f"開始位置は1〜{template.per_sheet}で指定してください")
        _sheets(pdf, labels, template, start, offset_mm, outline)
    pdf.save()
    return buffer.getvalue()


def _sheets(pdf, labels, template: SheetTemplate, start: int, offset_mm, outline: bool) -> None:
    page_w, page_h = template.page_mm
    pdf.setPageSize((page_w * MM, page_h * MM))
    positions = list(range(start - 1, template.per_sheet))
    label_w, label_h = template.label_mm
    index = 0
    for label in labels:
        if index == len(positions):
            pdf.showPage()
            positions, index = list(range(template.per_sheet)), 0
        x, y = template.origins_mm[positions[index]]
        _draw(pdf, label, x + offset_mm[0], y + offset_mm[1], label_w, label_h, page_h, outline)
        index += 1
    if not labels and outline:
        for x, y in template.origins_mm:
            _draw(pdf, None, x + offset_mm[0], y + offset_mm[1], label_w, label_h, page_h, True)
    pdf.showPage()


def _draw(pdf, label, x, y, width, height, page_h, outline) -> None:
    def px(x_mm):
        return (x + x_mm) * MM

    def py(y_mm):  # PDF's origin is the bottom-left corner
        return (page_h - y - y_mm) * MM

    if outline:
        pdf.setStrokeColor(HexColor("#999999"))
        pdf.setLineWidth(0.3)
        pdf.rect(px(0), py(height), width * MM, height * MM, stroke=1, fill=0)
    if label is None:
        return
    for shape in layout(label, width, height, text_width_mm):
        if isinstance(shape, Box):
            pdf.setFillColor(HexColor(shape.colour))
            pdf.rect(px(shape.x), py(shape.y + shape.h), shape.w * MM, shape.h * MM, stroke=0, fill=1)
        elif isinstance(shape, Text):
            pdf.setFillColor(HexColor(shape.colour))
            pdf.setFont(_font(), shape.size * MM)
            pdf.drawCentredString(px(shape.x), py(shape.baseline), shape.text)
