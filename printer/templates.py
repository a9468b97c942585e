"""Label sheet layouts from the gLabels template database (Debian ``glabels-data``: about
1,700 products, Hisago's among them) and from ``printer/templates/*.xml`` in the same format:
the Japanese sheets (A-one, Kihara, Askul, Sanwa, more Hisago, Daiso) that
``python -m printer.sheets.convert`` writes from ``printer/sheets/sources/``.

A template is named ``BRAND:PART`` (e.g. ``Hisago:ELM022``). Only rectangular labels on a
sheet are used; positions are counted left to right, top to bottom, from 1.
"""

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from defusedxml import ElementTree

from kiosk.errors import KioskError
from printer.sheet_check import Grid, SheetFault, lay_out

log = logging.getLogger(__name__)

GLABELS_DIRS = (Path("/usr/share/libglabels-3.0/templates"), Path("/usr/share/glabels-qt/templates"))
PROJECT_DIR = Path(__file__).parent / "templates"
# B4 and B5 are JIS sizes: Japanese sheets (gLabels' only B4 sheet, Hisago GB865, is 6 × 42.83 =
# 257 mm wide, too wide for ISO B4's 250).
PAPER_MM = {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0), "A6": (105.0, 148.0),
            "B4": (257.0, 364.0), "B5": (182.0, 257.0), "US-Letter": (215.9, 279.4), "US-Legal": (215.9, 355.6)}
UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "": 25.4 / 72}


class TemplateNotFound(KioskError):
    """No label sheet with that brand and part number."""


class TemplateRefused(KioskError):
    """A label sheet whose figures cannot be printed on (printer.sheet_check): never laid out."""


@dataclass(frozen=True)
class RefusedSheet:
    brand: str
    part: str
    reason: str  # for the log
    reason_ja: str  # for the screen

    @property
    def name(self) -> str:
        return f"{self.brand}:{self.part}"


@dataclass(frozen=True)
class SheetTemplate:
    brand: str
    part: str
    page_mm: tuple[float, float]
    label_mm: tuple[float, float]
    origins_mm: tuple[tuple[float, float], ...]  # each label's top-left corner, in reading order
    description: str = ""

    @property
    def name(self) -> str:
        return f"{self.brand}:{self.part}"

    @property
    def per_sheet(self) -> int:
        return len(self.origins_mm)


def length_mm(text: str) -> float:
    match = re.fullmatch(r"\s*([-+]?[\d.]+(?:[eE][-+]?\d+)?)\s*([a-z]*)\s*", text or "")
    if not match or match.group(2) not in UNITS_MM:
        raise ValueError(f"not a length: {text!r}")
    return float(match.group(1)) * UNITS_MM[match.group(2)]


def find_template(name: str) -> SheetTemplate:
    """The sheet named ``BRAND:PART``; TemplateNotFound, or TemplateRefused with the reason
    when its figures cannot be printed on."""
    brand, _, part = name.partition(":")
    found = _lookup((brand.strip().lower(), part.strip().lower()))
    if found is None:
        raise TemplateNotFound(f"no label sheet {name!r} (use BRAND:PART as in gLabels, e.g. Hisago:ELM022)",
                               f"ラベル用紙「{name}」が見つかりません（例 Hisago:ELM022）")
    if isinstance(found, RefusedSheet):
        log.warning("label sheet %s refused: %s", found.name, found.reason)
        raise TemplateRefused(f"label sheet {found.name} cannot be printed on: {found.reason}",
                              f"ラベル用紙「{found.name}」は使えません: {found.reason_ja}。別の用紙を選んでください")
    return found


@lru_cache(maxsize=64)
def _lookup(key: tuple[str, str]) -> SheetTemplate | RefusedSheet | None:
    """Kept: a running kiosk asks for the same two sheets at every print (~5 ms each uncached)."""
    return _find_quickly(key) or all_templates().get(key) or refused_templates().get(key)


def _template_files() -> list[Path]:
    files = [f for d in GLABELS_DIRS if d.is_dir() for f in sorted(d.glob("*-templates.xml"))]
    return files + sorted(PROJECT_DIR.glob("*.xml"))  # the project's own come last and win


def _find_quickly(key: tuple[str, str], depth: int = 0) -> SheetTemplate | RefusedSheet | None:
    """Parse only the <Template> element that names the part instead of all 1,700 products:
    ~1 ms against ~140 ms, which matters to a ``kiosk labels`` run. None sends the caller to
    the full database (e.g. a part made equivalent to one in another file)."""
    part = re.compile(r'part\s*=\s*"' + re.escape(key[1]) + '"', re.IGNORECASE)
    for path in reversed(_template_files()):  # the project's own first: they win
        text = path.read_text(encoding="utf-8")
        for match in part.finditer(text):
            start, tag_end = text.rfind("<Template", 0, match.start()), text.find(">", match.end())
            end = tag_end + 1 if text[tag_end - 1] == "/" else text.find("</Template>", tag_end) + len("</Template>")
            if start < 0 or tag_end < 0 or end < start or text.find("<Template", start + 1, end) >= 0:
                continue
            element = ElementTree.fromstring(text[start:end])
            if element.get("brand", "").lower() != key[0]:
                continue
            if element.get("equiv"):
                original = _find_quickly((key[0], element.get("equiv").lower()), depth + 1) if depth < 3 else None
                return original and _renamed(original, element.get("brand", ""), element.get("part", ""))
            return _read(element)
    return None


@lru_cache(maxsize=1)
def all_templates() -> dict[tuple[str, str], SheetTemplate]:
    """Every sheet the kiosk can print on, by (brand, part) in lower case."""
    return {key: sheet for key, sheet in _database().items() if isinstance(sheet, SheetTemplate)}


@lru_cache(maxsize=1)
def refused_templates() -> dict[tuple[str, str], RefusedSheet]:
    """The rectangular sheets whose figures cannot be printed on, with the reason."""
    return {key: sheet for key, sheet in _database().items() if isinstance(sheet, RefusedSheet)}


def _database() -> dict:
    sheets: dict[tuple[str, str], SheetTemplate | RefusedSheet] = {}
    equivalents: dict[tuple[str, str], tuple[str, str, str]] = {}
    for path in _template_files():
        in_file, equivalent = _read_file(path)
        sheets.update(in_file)
        equivalents.update(equivalent)
    for key, (brand, part, equiv) in equivalents.items():
        original = sheets.get((brand.lower(), equiv.lower()))
        if original is not None:
            sheets[key] = _renamed(original, brand, part)
    return sheets


@lru_cache(maxsize=64)
def _read_file(path: Path) -> tuple[dict, dict]:
    """A template file's rectangular sheets by (brand, part), refused ones included, and its
    parts that are declared equivalent to another (``equiv``), as (brand, part, equiv)."""
    templates, equivalents = {}, {}
    for element in ElementTree.parse(path).getroot().iter():
        if element.tag.rsplit("}", 1)[-1] != "Template":
            continue
        brand, part = element.get("brand", ""), element.get("part", "")
        if element.get("equiv"):
            equivalents[(brand.lower(), part.lower())] = (brand, part, element.get("equiv"))
            continue
        template = _read(element)
        if template is not None:
            templates[(template.brand.lower(), template.part.lower())] = template
    return templates, equivalents


def _renamed(original: SheetTemplate | RefusedSheet, brand: str, part: str) -> SheetTemplate | RefusedSheet:
    if isinstance(original, RefusedSheet):
        return RefusedSheet(brand, part, original.reason, original.reason_ja)
    return SheetTemplate(brand, part, original.page_mm, original.label_mm, original.origins_mm, original.description)


def _read(element) -> SheetTemplate | RefusedSheet | None:
    """A rectangular-label sheet, checked (printer.sheet_check); None for other shapes (round,
    CD, continuous rolls: not for this kiosk)."""
    label = next((child for child in element if child.tag.rsplit("}", 1)[-1] == "Label-rectangle"), None)
    if label is None:
        return None
    brand, part = element.get("brand", ""), element.get("part", "")
    try:
        page, grids, size = _page(element), [], (length_mm(label.get("width")), length_mm(label.get("height")))
        for layout in (child for child in label if child.tag.rsplit("}", 1)[-1] == "Layout"):
            grids.append(Grid(int(layout.get("nx")), int(layout.get("ny")),
                              length_mm(layout.get("x0", "0")), length_mm(layout.get("y0", "0")),
                              length_mm(layout.get("dx", "0")), length_mm(layout.get("dy", "0"))))
        label_mm, origins = lay_out(page, size, grids)
    except SheetFault as fault:
        return RefusedSheet(brand, part, str(fault), fault.ja)
    except (TypeError, ValueError) as error:
        return RefusedSheet(brand, part, f"unreadable figures: {error}", "用紙の寸法が読めません")
    return SheetTemplate(brand, part, page, label_mm, origins, element.get("_description") or element.get("description") or "")


def _page(element) -> tuple[float, float]:
    size = element.get("size", "")
    if size in PAPER_MM:
        return PAPER_MM[size]
    if element.get("width") is None and element.get("height") is None:
        raise SheetFault(f"paper size {size!r} is not one the kiosk knows ({', '.join(PAPER_MM)}, or width and height)",
                         f"用紙サイズ「{size}」が分かりません")
    return length_mm(element.get("width")), length_mm(element.get("height"))
