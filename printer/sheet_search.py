"""Find a label sheet as a librarian knows it: by maker and the product number printed on the
package (``28368`` finds エーワン 44面; ``キハラ 606906``, ``ひさご op3015``, ``a-one 44面``).

What a settings screen lists: each sheet's ``BRAND:PART`` name (what find_template takes and the
settings keep), its maker in Japanese, labels per sheet and label size. Only sheets the kiosk
can print on are found; ``find_refused_sheets`` gives the refused ones that match, with why.
"""

import re
import unicodedata
from dataclasses import dataclass

from printer.templates import RefusedSheet, all_templates, refused_templates

# brand (lower case, as in the templates) → the maker's name in Japanese, and what people type for it
MAKERS = {
    "a-one": ("エーワン", ("a-one", "a one", "aone", "エーワン", "エー・ワン")),
    "kihara": ("キハラ", ("kihara", "キハラ")),
    "askul": ("アスクル", ("askul", "アスクル")),
    "sanwa": ("サンワサプライ", ("sanwa supply", "sanwa", "サンワサプライ", "サンワ")),
    "hisago": ("ヒサゴ", ("hisago", "ヒサゴ")),
    "daiso": ("ダイソー", ("daiso", "ダイソー")),
}
MAX_RESULTS = 50


@dataclass(frozen=True)
class SheetMatch:
    name: str  # BRAND:PART
    maker_ja: str
    part: str
    per_sheet: int
    label_mm: tuple[float, float]
    page_mm: tuple[float, float]
    description: str


@dataclass(frozen=True)
class Query:
    makers: frozenset  # brands (lower case); empty: any
    parts: tuple  # product-number fragments, normalised; all must be in the part
    per_sheet: int | None  # "44面"

    @property
    def empty(self) -> bool:
        return not self.makers and not self.parts and self.per_sheet is None


def maker_ja(brand: str) -> str:
    return MAKERS.get(brand.lower(), (brand,))[0]


def find_sheets(text: str, limit: int = MAX_RESULTS) -> list[SheetMatch]:
    """The printable sheets matching ``text``: exact product numbers first, then those that begin
    with it, then those that contain it; Japanese makers before the rest."""
    query = parse_query(text)
    if query.empty:
        return []
    found = [(rank, sheet) for sheet in all_templates().values()
             if (rank := _rank(query, sheet.brand, sheet.part)) is not None
             and query.per_sheet in (None, sheet.per_sheet)]
    found.sort(key=lambda item: (item[0], item[1].brand.lower() not in MAKERS, item[1].brand.lower(), _natural(item[1].part)))
    return [SheetMatch(sheet.name, maker_ja(sheet.brand), sheet.part, sheet.per_sheet, sheet.label_mm, sheet.page_mm,
                       sheet.description) for _, sheet in found[:limit]]


def find_refused_sheets(text: str) -> list[RefusedSheet]:
    """Refused sheets matching ``text`` (no count filter: they have no layout), to say why."""
    query = parse_query(text)
    if query.empty:
        return []
    return sorted((sheet for sheet in refused_templates().values() if _rank(query, sheet.brand, sheet.part) is not None),
                  key=lambda sheet: sheet.name.lower())


def parse_query(text: str) -> Query:
    """Maker names (romaji, katakana or hiragana, any width), ``N面``, and product-number fragments;
    ``BRAND:PART`` works too."""
    rest = _katakana(unicodedata.normalize("NFKC", text or "").lower())
    makers = set()
    aliases = sorted(((alias, brand) for brand, (_, names) in MAKERS.items() for alias in names),
                     key=lambda pair: -len(pair[0]))
    for alias, brand in aliases:
        if alias in rest:
            makers.add(brand)
            rest = rest.replace(alias, " ")
    per_sheet = None
    if count := re.search(r"(\d+)\s*(?:面|pcs)", rest):
        per_sheet = int(count.group(1))
        rest = rest[:count.start()] + " " + rest[count.end():]
    words = [w for w in re.split(r"[\s,、:：/]+", rest) if w]
    brands = {sheet.brand.lower() for sheet in all_templates().values()}
    makers |= {w for w in words if w in brands}  # a gLabels brand typed as it is named (avery)
    parts = tuple(p for w in words if w not in brands and (p := _normal(w)))
    return Query(frozenset(makers), parts, per_sheet)


def _rank(query: Query, brand: str, part: str) -> int | None:
    if query.makers and brand.lower() not in query.makers:
        return None
    normal = _normal(part)
    if not all(fragment in normal for fragment in query.parts):
        return None
    if not query.parts or any(fragment == normal for fragment in query.parts):
        return 0
    return 1 if any(normal.startswith(fragment) for fragment in query.parts) else 2


def _normal(text: str) -> str:
    """A product number as compared: letters and digits only (606-906 = 60690-6 = 606906)."""
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).lower())


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _natural(part: str) -> tuple:
    return tuple((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk) for chunk in re.findall(r"\d+|\D+", part.lower()))
