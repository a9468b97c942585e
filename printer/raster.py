"""1-bit raster of one label at a printer's dpi (thermal label printers), and a PNG preview."""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from printer.fonts import label_font_path
from printer.layout import Bars, Text, layout


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
        # Colour bands print as solid black on a one-colour printer; bars are black anyway.
        for box in shape.boxes() if isinstance(shape, Bars) else [shape]:
            left, top = round(box.x * scale), round(box.y * scale)
            right, bottom = round((box.x + box.w) * scale) - 1, round((box.y + box.h) * scale) - 1
            draw.rectangle((left, top, right, bottom), fill=0)
    return image


def png_preview(label, width_mm: float, height_mm: float, dpi: int = 150) -> bytes:
    buffer = io.BytesIO()
    render_label_image(label, width_mm, height_mm, dpi).convert("L").save(buffer, format="PNG")
    return buffer.getvalue()
