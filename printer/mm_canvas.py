"""Drawing on a page of the kiosk's PDF writer in millimetres from the top-left corner, as the
printed forms (checklist, cards) are designed: text cut or wrapped to a width with the font's
own advances, lines and boxes."""

from printer.pdf_writer import PdfDocument
from printer.truetype import TrueTypeFont

MM = 72 / 25.4  # points per millimetre


class Canvas:
    def __init__(self, document: PdfDocument, font: TrueTypeFont, width_mm: float, height_mm: float):
        self.document, self.font, self.height = document, font, height_mm
        self.ops = document.new_page(width_mm * MM, height_mm * MM)

    def text(self, text: str, x: float, y: float, size_pt: float, *, align: str = "left",
             width: float | None = None) -> None:
        """``text`` on baseline ``y``; cut with … where it would pass ``width`` mm. Control
        characters are shown as spaces (a remote title is data, never layout)."""
        text = clean(text)
        if width is not None:
            text = self.fit(text, size_pt, width)
        shown = self.width(text, size_pt)
        left = x - shown if align == "right" else x - shown / 2 if align == "centre" else x
        self.ops.append(self.document.text_ops(text, left * MM, (self.height - y) * MM, size_pt))

    def width(self, text: str, size_pt: float) -> float:
        return self.font.width(text, size_pt / MM)

    def fit(self, text: str, size_pt: float, width: float) -> str:
        """``text`` as it fits in ``width`` mm, cut with … if it does not."""
        if self.width(text, size_pt) <= width:
            return text
        room, used = width - self.width("…", size_pt), 0.0
        for index, char in enumerate(text):
            used += self.width(char, size_pt)
            if used > room:
                return text[:index] + "…"
        return text

    def wrap(self, text: str, size_pt: float, width: float, max_lines: int) -> list[str]:
        """``text`` in lines of ``width`` mm, broken where a line is full (Japanese has no
        spaces to break at); the last line allowed is cut with … if more is left."""
        text, lines = clean(text), []
        while text and len(lines) < max_lines:
            if len(lines) == max_lines - 1:
                lines.append(self.fit(text, size_pt, width))
                break
            end = self._fitting(text, size_pt, width)
            lines.append(text[:end])
            text = text[end:].lstrip()
        return lines

    def _fitting(self, text: str, size_pt: float, width: float) -> int:
        """How many characters of ``text`` fit in ``width`` mm (at least one)."""
        used = 0.0
        for index, char in enumerate(text):
            used += self.width(char, size_pt)
            if used > width:
                return max(index, 1)
        return len(text)

    def line(self, x1: float, y1: float, x2: float, y2: float, *, width: float, grey: float = 0.0) -> None:
        self.ops.append(f"q {grey:.2f} G {width:.2f} w {x1 * MM:.2f} {(self.height - y1) * MM:.2f} m "
                        f"{x2 * MM:.2f} {(self.height - y2) * MM:.2f} l S Q")

    def box(self, x: float, y: float, width: float, height: float, *, line: float = 0.5,
            fill_grey: float | None = None) -> None:
        """A rectangle with its top-left corner at (x, y): stroked, or filled with ``fill_grey``."""
        shape = f"{x * MM:.2f} {(self.height - y - height) * MM:.2f} {width * MM:.2f} {height * MM:.2f} re"
        self.ops.append(f"q {fill_grey:.2f} g {shape} f Q" if fill_grey is not None else f"q {line:.2f} w {shape} S Q")


def clean(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
