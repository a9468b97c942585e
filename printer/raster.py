"""One label as a raster at a printer's dpi: 1-bit for thermal label printers, or in colour
(for the screen's preview of a sheet printer's labels); and the PNG preview."""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from printer.fonts import label_font_path
from printer.layout import Bars, Text, Tint, layout


@lru_cache(maxsize=64)
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(label_font_path()), size_px)


def render_label_image(label, width_mm: float, height_mm: float, dpi: int = 300, *,
                       colour: bool = False) -> Image.Image:
    """The label as a 1-bit image (white paper, black print) at ``dpi``; with ``colour``, as
    an RGB image with its colour band or background, as a sheet printer prints it."""
    scale = dpi / 25.4
    black = (0, 0, 0) if colour else 0

    def text_width(text: str, size_mm: float) -> float:
        size_px = max(1, round(size_mm * scale))
        return _font(size_px).getlength(text) / scale

    size = (round(width_mm * scale), round(height_mm * scale))
    image = Image.new("RGB", size, (255, 255, 255)) if colour else Image.new("1", size, 1)
    draw = ImageDraw.Draw(image)
    for shape in layout(label, width_mm, height_mm, text_width):
        if isinstance(shape, Text):
            draw.text((shape.x * scale, shape.baseline * scale), shape.text, fill=black,
                      font=_font(max(1, round(shape.size * scale))), anchor="ms")
            continue
        if isinstance(shape, Tint) and not colour:
            continue  # a pale background would be solid black under the text
        if isinstance(shape, Bars):
            rectangles, fill = _bar_dots(shape, scale), black
        else:  # a colour band (solid black on a one-colour printer) or background
            rectangles = [(round(shape.x * scale), round(shape.y * scale),
                           round((shape.x + shape.w) * scale) - 1, round((shape.y + shape.h) * scale) - 1)]
            fill = shape.colour if colour else 0
        for rectangle in rectangles:
            draw.rectangle(rectangle, fill=fill)
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


def png_preview(label, width_mm: float, height_mm: float, dpi: int = 150, *, colour: bool = True) -> bytes:
    """The label for the screen: in colour as on a sheet, or (``colour`` False) as a one-colour
    thermal printer prints it."""
    buffer = io.BytesIO()
    image = render_label_image(label, width_mm, height_mm, dpi, colour=colour)
    (image if colour else image.convert("L")).save(buffer, format="PNG")
    return buffer.getvalue()
