"""A label sheet as the settings screen shows it: its maker, size and labels per sheet, and its
layout drawn to scale as SVG from the template's own figures (printer.templates), or, for a
sheet the kiosk refuses, the reason in Japanese.

The SVG's user unit is the millimetre (viewBox = the page), so what is drawn is what the
template says; it carries no style attribute or script (the kiosk's Content-Security-Policy).
"""

from dataclasses import dataclass
from typing import ClassVar
from xml.sax.saxutils import escape, quoteattr

from printer.sheet_search import maker_ja
from printer.templates import SheetTemplate, TemplateNotFound, TemplateRefused, find_template

NUMBERED_UP_TO = 100  # labels are numbered (start positions) on sheets with at most this many
# The labels a library chooses a sheet for, and the printing setting that keeps it.
SHEET_ROLES = {"spine": "spine_template", "barcode": "barcode_template"}
SHEET_ROLE_LABELS_JA = {"spine": "背ラベル", "barcode": "バーコードラベル"}


@dataclass(frozen=True)
class SheetView:
    ROLE_LABELS_JA: ClassVar = SHEET_ROLE_LABELS_JA  # the buttons that choose it

    name: str  # BRAND:PART as typed or stored
    maker_ja: str = ""
    part: str = ""
    per_sheet: int = 0
    label_mm: tuple[float, float] = (0.0, 0.0)
    page_mm: tuple[float, float] = (0.0, 0.0)
    description: str = ""
    svg: str | None = None  # the layout_svg markup; None: not printable
    refused_ja: str | None = None  # why it cannot be used, for the screen

    @property
    def printable(self) -> bool:
        return self.svg is not None


def sheet_view(name: str) -> SheetView:
    """The sheet ``name`` (BRAND:PART) to show; a refused or unknown one with the Japanese reason."""
    try:
        template = find_template(name)
    except (TemplateRefused, TemplateNotFound) as refusal:
        brand, _, part = name.partition(":")
        return SheetView(name, maker_ja(brand), part, refused_ja=refusal.ja)
    return SheetView(template.name, maker_ja(template.brand), template.part, template.per_sheet, template.label_mm,
                     template.page_mm, template.description, layout_svg(template))


def layout_svg(template: SheetTemplate) -> str:
    """The page and every label on it, to scale, numbered in print order (the start positions)."""
    page_w, page_h = template.page_mm
    label_w, label_h = template.label_mm
    title = f"{maker_ja(template.brand)} {template.part}（{template.per_sheet}面、{_mm(label_w)}×{_mm(label_h)}mm）"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sheet-layout" viewBox="0 0 {_mm(page_w)} {_mm(page_h)}" '
             f'role="img" aria-label={quoteattr(title)} data-labels="{template.per_sheet}">',
             f"<title>{escape(title)}</title>",
             f'<rect class="page" x="0" y="0" width="{_mm(page_w)}" height="{_mm(page_h)}" fill="#fff" stroke="#666" stroke-width="0.5"/>']
    font = min(label_w, label_h) * 0.4
    for position, (x, y) in enumerate(template.origins_mm, start=1):
        parts.append(f'<rect class="label" data-position="{position}" x="{_mm(x)}" y="{_mm(y)}" width="{_mm(label_w)}" '
                     f'height="{_mm(label_h)}" rx="0.8" fill="#e8f0fa" stroke="#2b5c94" stroke-width="0.3"/>')
        if template.per_sheet <= NUMBERED_UP_TO:
            parts.append(f'<text x="{_mm(x + label_w / 2)}" y="{_mm(y + label_h / 2 + font * 0.35)}" font-size="{_mm(font)}" '
                         f'text-anchor="middle" fill="#244c7a">{position}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _mm(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
