"""1-bit raster of one label at a printer's dpi (thermal label printers), and a PNG preview."""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from printer.fonts import label_font_path
from printer.layout import Bars, Text, Tint, layout


@lru_cache(maxsize=64)
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(label_font_path()), size_px)


def render_label_image(label, width_mm: float, height_mm: float, dpi: int = 300) -> Image.Image:
    """The label as a 1-bit image (white paper, black print) at ``dpi``."""
    scale = dpi / 25.4

    def text_width(text: str, size_mm: float) -> float:
        size_px = max(1, round(size_mm * scale))
        return _font(size_px).getlength(text) / scale

    image = Image.new("1", (round(width_mm * scale), round(height_mm * scale)), 1)
    draw = ImageDraw.Draw(image)
    for shape in layout(label, width_mm, height_mm, text_width):
        if isinstance(shape, Text):
            draw.text((shape.x * scale, shape.baseline * scale), shape.text, fill=0,
                      font=_font(max(1, round(shape.size * scale))), anchor="ms")
            continue
        if isinstance(shape, Tint):
            continue
        if isinstance(shape, Bars):
            rectangles = _bar_dots(shape, scale)
        else:  # a colour band: solid black on a one-colour printer
            rectangles = [(round(shape.x * scale), round(shape.y * scale),
                           round((shape.x + shape.w) * scale) - 1, round((shape.y + shape.h) * scale) - 1)]
        for rectangle in rectangles:
            draw.rectangle(rectangle, fill=0)
    return image


def _bar_dots(bars: Bars, scale: float) -> list[tuple[int, int, int, int]]:
    """The bars on whole dots: every module the same number of dots (as many as fit), the
    symbol kept centred. Rounding each edge on its own would make bars of one width print 1
    or 2 dots apart at 203 dpi, which a scanner reads as another width."""
    dots = max(1, int(bars.module * scale))
    modules = bars.pattern.width_modules
    left = round((bars.x + bars.module * modules / 2) * scale) - dots * modules // 2
    top, bottom = round(bars.y * scale), round((bars.y + bars.h) * scale) - 1
    return [(left + first * dots, top, left + (first + count) * dots - 1, bottom) for first, count in bars.pattern.bars()]


def png_preview(label, width_mm: float, height_mm: float, dpi: int = 150) -> bytes:
    buffer = io.BytesIO()
    render_label_image(label, width_mm, height_mm, dpi).convert("L").save(buffer, format="PNG")
    return buffer.getvalue()
