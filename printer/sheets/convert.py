"""Write the Japanese label sheets into ``printer/templates/`` from the sources in ``sources/``.

    python -m printer.sheets.convert          # rewrite the template files
    python -m printer.sheets.convert --check  # exit 1 if they differ from what the sources give

Rerun it when a source changes; tests/printer/test_label_sheets.py fails while the shipped
files and the sources disagree. One file per source, each carrying that source's licence
notice (LibreOffice's is MPL-2.0, so its derived file stays MPL-2.0, apart from the others).

The sources, and what is done with their known faults (docs/labels.md, "Japanese sheets"):

- LibreOffice's ``labels.xml``: A-one, Hisago, Sanwa Supply, Daiso. A Hisago part that
  gLabels has (``sources/glabels-hisago-parts.txt``) is left out: gLabels' wins, so OP869 keeps
  gLabels' 20.3 mm margins and GB863 / GB865 their portrait page. "A4L" sheets are written
  with the landscape page the source gives (297 × 210), never as A4 portrait.
- CALIL's ajime: A-one 44面 / 95面, Askul 65面, Kihara 36面, one template per product
  number on the package. It wins over LibreOffice for the A-one parts both have, after the
  two are checked to agree. Its sheets are A4 (it gives no page size; every margin fits A4).
- enju_trunk's Kihara 60690-6: the same product as CALIL's 606-906 (same digits), checked to
  agree and written as an alias of it; its 290 mm page height is read as A4, as its name says.

A sheet the kiosk would refuse on reading it (printer.sheet_check: LibreOffice's A-one 29233,
whose labels do not fit its page) is left out, with the reason in its file's header. Two sources that disagree about one product, or a name that
states other counts or sizes than the geometry, stop the converter (SourceFault): a person
decides, nothing is written.
"""

import hashlib
import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree

from printer.sheet_check import Grid, SheetFault, lay_out

SOURCES = Path(__file__).parent / "sources"
OUTPUT = Path(__file__).parent.parent / "templates"
A4 = (210.0, 297.0)
AGREE_MM = 0.05  # two sources "agree" within this
LIBREOFFICE_BRANDS = {"A-one": "A-one", "HISAGO": "Hisago", "SANWA SUPPLY": "Sanwa", "DAISO": "Daiso"}
AJIME_BRANDS = {"aone": "A-one", "askul": "Askul", "kihara": "Kihara"}
ENJU_BRANDS = {"キハラ": "Kihara"}


class SourceFault(Exception):
    """The sources contradict themselves or each other: nothing is written."""


@dataclass(frozen=True)
class Sheet:
    """One product's layout: a grid of equal rectangular labels on a page, in millimetres."""

    brand: str
    part: str
    description: str
    page_mm: tuple[float, float]
    label_mm: tuple[float, float]
    counts: tuple[int, int]  # columns, rows
    margins_mm: tuple[float, float]  # left and top edge of the first label
    pitch_mm: tuple[float, float]  # from one label's left (top) edge to the next one's
    round_mm: float = 0.0
    url: str = ""
    equiv: str = ""  # written as an alias of this part (same brand)

    @property
    def name(self) -> str:
        return f"{self.brand}:{self.part}"

    def geometry(self) -> tuple:
        return (*self.page_mm, *self.label_mm, *self.counts, *self.margins_mm, *self.pitch_mm)


@dataclass(frozen=True)
class Output:
    """One template file: its sheets, what was left out or corrected (and why), its notice."""

    filename: str
    source: str
    notice: str
    sheets: list
    left_out: list  # (name, reason)
    corrected: list  # (name, what)


def product_key(brand: str, part: str) -> tuple[str, str]:
    """Two spellings of one product number are one product: 606-906 and 60690-6 are Kihara's
    same sheet, as printed and as Enju wrote it."""
    return brand.lower(), re.sub(r"[^0-9a-z]", "", part.lower())


# ---- reading the sources -------------------------------------------------------------------

def libreoffice_sheets(path: Path) -> list[Sheet]:
    """The Japanese makers' sheets of LibreOffice's labels.xml (measures in 1/100 mm)."""
    sheets = []
    for maker in ElementTree.parse(path).getroot().iter("manufacturer"):
        brand = LIBREOFFICE_BRANDS.get(maker.get("name", ""))
        if brand is None:
            continue
        for label in maker.iter("label"):
            name, measure = label.findtext("name", "").strip(), label.findtext("measure", "").strip()
            fields = measure.split(";")
            if len(fields) != 11 or fields[0] != "S":
                raise SourceFault(f"LibreOffice {brand} {name!r}: measure {measure!r} is not a sheet's 11 fields")
            hdist, vdist, width, height, left, upper = (int(f) / 100 for f in fields[1:7])
            cols, rows = int(fields[7]), int(fields[8])
            page = (int(fields[9]) / 100, int(fields[10]) / 100)
            part, _, description = name.partition(" ")
            sheet = Sheet(brand, part, description, page, (width, height), (cols, rows), (left, upper), (hdist, vdist))
            _check_stated(sheet, name)
            sheets.append(sheet)
    return sheets


def _check_stated(sheet: Sheet, name: str) -> None:
    """LibreOffice names state the count and size ("44pcs(4*11) 48.3*25.4mm"): they must be the measure's."""
    stated = re.search(r"(\d+)pcs\((\d+)\*(\d+)\)\s+([\d.]+)\*([\d.]+)mm", name)
    if stated is None:
        return
    count, cols, rows = (int(g) for g in stated.group(1, 2, 3))
    width, height = float(stated.group(4)), float(stated.group(5))
    if (count, cols, rows) != (cols * rows, *sheet.counts) or not _close((width, height), sheet.label_mm):
        raise SourceFault(f"{sheet.name}: its name says {stated.group(0)!r}, its measure {sheet.counts[0]}×"
                          f"{sheet.counts[1]} labels of {sheet.label_mm[0]:g}×{sheet.label_mm[1]:g} mm")


def ajime_sheets(folder: Path) -> list[Sheet]:
    """CALIL ajime's sheets, one per product number (``sku``) on the package."""
    sheets = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        brand = AJIME_BRANDS.get(data["id"].split("-")[0])
        if brand is None:
            raise SourceFault(f"{path.name}: unknown maker in id {data['id']!r}")
        label = (_length(data["labelWidth"]), _length(data["labelHeight"]))
        counts = (int(data["labelCountX"]), int(data["labelCountY"]))
        stated = re.search(r"(\d+)面", data["name"])
        if stated and int(stated.group(1)) != counts[0] * counts[1]:
            raise SourceFault(f"{path.name}: {data['name']!r} but {counts[0]}×{counts[1]} labels")
        pitch = (label[0] + _length(data["gapX"]), label[1] + _length(data["gapY"]))
        margins = (_length(data["marginLeft"]), _length(data["marginTop"]))
        for sku, url in data["sku"]:
            part, _, what = sku.partition(" ")
            sheets.append(Sheet(brand, part, f"{data['name']} {what}".strip(), A4, label, counts, margins, pitch,
                                _length(data.get("borderRadius", "0")), url))
    return sheets


def enju_sheets(path: Path) -> tuple[list[Sheet], list]:
    """enju_trunk's sheets.yml (a flat list of mappings), and what was corrected in it."""
    sheets, corrected = [], []
    for entry in _flat_yaml(path.read_text(encoding="utf-8")):
        maker, part = entry["name"].split()[:2]
        brand = ENJU_BRANDS.get(maker)
        if brand is None:
            raise SourceFault(f"{path.name}: unknown maker {maker!r} in {entry['name']!r}")
        number = {key: float(entry[key]) for key in ("width", "height", "cell_w", "cell_h", "margin_w", "margin_h",
                                                     "space_w", "space_h")}
        page = (number["width"], number["height"])
        if "(A4)" in entry["name"] and page != A4:
            corrected.append((f"{brand}:{part}", f"page {page[0]:g} × {page[1]:g} mm read as A4, as its name says"))
            page = A4
        label = (number["cell_w"], number["cell_h"])
        sheets.append(Sheet(brand, part, entry.get("note", ""), page, label, (int(entry["cell_x"]), int(entry["cell_y"])),
                            (number["margin_w"], number["margin_h"]),
                            (label[0] + number["space_w"], label[1] + number["space_h"])))
    return sheets, corrected


def _flat_yaml(text: str) -> list[dict]:
    """Rails fixtures as enju writes them: ``name:`` then indented ``key: value`` lines. Not
    YAML in general (no PyYAML for one 14-line file)."""
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.strip() == "---":
            continue
        key, _, value = line.strip().partition(":")
        if not line.startswith(" "):
            entries.append({})
        else:
            entries[-1][key.strip()] = value.strip().strip("'\"")
    return entries


def _length(text) -> float:
    match = re.fullmatch(r"\s*([\d.]+)\s*(mm)?\s*", str(text))
    if match is None:
        raise SourceFault(f"not a length in millimetres: {text!r}")
    return float(match.group(1))


def _close(a, b) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= AGREE_MM for x, y in zip(a, b))


# ---- deciding what is shipped --------------------------------------------------------------

def fault(sheet: Sheet) -> str | None:
    """Why the kiosk would refuse the sheet (printer.sheet_check, as when it is read), or None."""
    grid = Grid(*sheet.counts, *sheet.margins_mm, *sheet.pitch_mm)
    try:
        lay_out(sheet.page_mm, sheet.label_mm, [grid])
    except SheetFault as refused:
        return str(refused)
    return None


def outputs(sources: Path = SOURCES) -> list[Output]:
    ajime = ajime_sheets(sources / "calil-ajime")
    enju, enju_corrected = enju_sheets(sources / "enju_trunk-sheets.yml")
    libreoffice = libreoffice_sheets(sources / "libreoffice-labels.xml")
    glabels_hisago = {product_key("Hisago", p) for p in (sources / "glabels-hisago-parts.txt").read_text().split()}
    for sheets in (ajime, enju, libreoffice):
        _no_part_twice(sheets)
    by_product = {product_key(s.brand, s.part): s for s in ajime}

    enju_written, enju_left_out = [], []
    for sheet in enju:
        original = by_product.get(product_key(sheet.brand, sheet.part))
        if original is None:
            enju_written.append(sheet)
            continue
        _agree(sheet, original, "enju_trunk", "CALIL ajime")
        if sheet.part == original.part:
            enju_left_out.append((sheet.name, "CALIL ajime has the same sheet under the same name"))
        else:
            enju_written.append(replace(sheet, equiv=original.part))

    lo_written, lo_left_out = [], []
    for sheet in libreoffice:
        key = product_key(sheet.brand, sheet.part)
        if key in glabels_hisago:
            lo_left_out.append((sheet.name, "gLabels' own Hisago template wins"))
        elif key in by_product:
            _agree(sheet, by_product[key], "LibreOffice", "CALIL ajime")
            lo_left_out.append((sheet.name, "CALIL ajime's wins (the same geometry, with the product page)"))
        elif reason := fault(sheet):
            lo_left_out.append((sheet.name, reason))
        else:
            lo_written.append(sheet)

    for sheet in ajime:
        if reason := fault(sheet):
            raise SourceFault(f"CALIL ajime {sheet.name}: {reason}")
    return [
        Output("calil-ajime-templates.xml", "calil-ajime/*.json", _notice(sources / "calil-ajime" / "LICENSE"),
               ajime, [], []),
        Output("enju-trunk-templates.xml", "enju_trunk-sheets.yml", _notice(sources / "enju_trunk-LICENSE"),
               enju_written, enju_left_out, enju_corrected),
        Output("libreoffice-ja-templates.xml", "libreoffice-labels.xml",
               _libreoffice_notice(sources / "libreoffice-labels.xml"), lo_written, lo_left_out, []),
    ]


def _no_part_twice(sheets: list[Sheet]) -> None:
    seen = {}
    for sheet in sheets:
        key = product_key(sheet.brand, sheet.part)
        if key in seen and seen[key].geometry() != sheet.geometry():
            raise SourceFault(f"{sheet.name} is given twice by one source, with different layouts")
        seen[key] = sheet


def _agree(sheet: Sheet, other: Sheet, source: str, other_source: str) -> None:
    if sheet.counts != other.counts or not _close(sheet.geometry(), other.geometry()):
        raise SourceFault(f"{source} {sheet.name} and {other_source} {other.name} disagree: "
                          f"{sheet.geometry()} against {other.geometry()} (page, label, counts, margins, pitch in mm)")


# ---- writing -------------------------------------------------------------------------------

def render(output: Output, sources: Path = SOURCES) -> str:
    digest = "; ".join(f"{p.relative_to(sources)} sha256 {hashlib.sha256(p.read_bytes()).hexdigest()[:16]}"
                       for p in sorted(sources.glob(output.source)))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<!--",
             f"  Generated by `python -m printer.sheets.convert` from printer/sheets/sources/{output.source}",
             f"  ({digest}). Do not edit: change the source or the converter and rerun it.",
             "", *(_comment(f"  {line}".rstrip()) for line in output.notice.splitlines()), "-->"]
    if output.corrected or output.left_out:
        lines += ["<!--", *(_comment(f"  Corrected {name}: {what}") for name, what in output.corrected),
                  *(_comment(f"  Left out {name}: {why}") for name, why in output.left_out), "-->"]
    lines.append("<Glabels-templates>")
    for sheet in output.sheets:
        lines += _template(sheet)
    lines.append("</Glabels-templates>")
    return "\n".join(lines) + "\n"


def _comment(line: str) -> str:
    return line.replace("--", "- -")  # "--" may not appear inside an XML comment


def _template(sheet: Sheet) -> list[str]:
    head = f"  <Template brand={quoteattr(sheet.brand)} part={quoteattr(sheet.part)}"
    if sheet.equiv:
        return [f"{head} equiv={quoteattr(sheet.equiv)}/>"]
    page = ' size="A4"' if sheet.page_mm == A4 else \
        f' size="Other" width="{_mm(sheet.page_mm[0])}" height="{_mm(sheet.page_mm[1])}"'
    lines = [f"{head}{page} _description={quoteattr(sheet.description)}>", '    <Meta category="label"/>']
    if sheet.url:
        lines.append(f"    <Meta product_url={quoteattr(sheet.url)}/>")
    (width, height), (nx, ny), (x0, y0), (dx, dy) = sheet.label_mm, sheet.counts, sheet.margins_mm, sheet.pitch_mm
    lines += [f'    <Label-rectangle id="0" width="{_mm(width)}" height="{_mm(height)}" round="{_mm(sheet.round_mm)}">',
              f'      <Layout nx="{nx}" ny="{ny}" x0="{_mm(x0)}" y0="{_mm(y0)}" dx="{_mm(dx)}" dy="{_mm(dy)}"/>',
              "    </Label-rectangle>", "  </Template>"]
    return lines


def _mm(value: float) -> str:
    return f"{round(value, 3):g}mm"


def _notice(path: Path) -> str:
    return f"Derived from it under its licence (MIT), whose notice follows.\n\n{path.read_text(encoding='utf-8').strip()}"


def _libreoffice_notice(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    header = text[text.index("<!--") + 4:text.index("-->")].strip("\n")
    return ("Derived from LibreOffice's label database, and so, like it, under the Mozilla Public\n"
            "License 2.0 (this file only; the rest of the kiosk is not). Its notice follows.\n\n" + header)


def rendered(sources: Path = SOURCES) -> dict[str, str]:
    """File name → the text the sources give now."""
    return {output.filename: render(output, sources) for output in outputs(sources)}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        files = rendered()
    except SourceFault as fault:
        print(f"convert: {fault}", file=sys.stderr)
        return 2
    stale = [name for name, text in files.items()
             if not (OUTPUT / name).is_file() or (OUTPUT / name).read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for name in stale:
            print(f"convert: printer/templates/{name} differs from what its source gives: rerun "
                  "python -m printer.sheets.convert", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (OUTPUT / name).write_text(files[name], encoding="utf-8")
    for output in outputs():
        print(f"{output.filename}: {len(output.sheets)} sheets, {len(output.left_out)} left out"
              + "".join(f"\n  left out {name}: {why}" for name, why in output.left_out if "gLabels" not in why
                        and "ajime" not in why))
    return 0


if __name__ == "__main__":
    sys.exit(main())
