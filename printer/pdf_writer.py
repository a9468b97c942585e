"""A small PDF writer for label sheets: pages of filled rectangles and one embedded Japanese
font, nothing else.

Written by hand because the general libraries cost more than the sheets: reportlab takes
0.15 s to import and 0.1 s to load IPAexGothic before the first label, which alone is most of
the time budget for 1,000 labels (the issue asks for 10× gLabels). The PDF is plain PDF 1.4:
a Type0 font with Identity-H encoding over a CIDFontType2 whose CIDs are the font's own glyph
ids (see printer.truetype), a ToUnicode map so the text can be searched and copied, and
zlib-compressed streams.
"""

import zlib
from datetime import datetime, timezone

from printer.truetype import TrueTypeFont


class PdfDocument:
    def __init__(self, font: TrueTypeFont, *, title: str = ""):
        self.font = font
        self.title = title
        self.pages: list[tuple[float, float, list[str]]] = []
        self.used: dict[int, str] = {}  # glyph id -> the text it stands for
        self._codes = _Codes(self)  # character -> its glyph id in hex, as Tj shows it

    def new_page(self, width_pt: float, height_pt: float) -> list[str]:
        """A new page; returns its list of content-stream operators, to append to."""
        ops: list[str] = []
        self.pages.append((width_pt, height_pt, ops))
        return ops

    def text_ops(self, text: str, x: float, y: float, size: float) -> str:
        """Operators that show ``text`` with its left end at (x, y), in points."""
        return f"BT /F1 {size:.2f} Tf {x:.2f} {y:.2f} Td <{''.join(map(self._codes.__getitem__, text))}> Tj ET"

    def to_bytes(self) -> bytes:
        writer = _Writer()
        catalog, pages, font = writer.reserve(), writer.reserve(), writer.reserve()
        page_ids = []
        for width, height, ops in self.pages:
            # Level 3: a third the time of the default 6 for a page of bars, and a page still ~1 KB.
            contents = writer.add_stream(zlib.compress("\n".join(ops).encode("latin-1"), 3), "/Filter /FlateDecode")
            page_ids.append(writer.add(
                f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {contents} 0 R >>"))
        writer.set(pages, f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {len(page_ids)} >>")
        self._write_font(writer, font)
        writer.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>")
        now = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%SZ")
        info = writer.add(f"<< /Title {_text_string(self.title)} /Producer (accession kiosk) /CreationDate (D:{now}) >>")
        return writer.finish(catalog, info)

    def _write_font(self, writer: "_Writer", font_id: int) -> None:
        font = self.font
        scale = 1000 / font.units_per_em
        glyphs = sorted(self.used)
        program = font.subset(glyphs)
        file_id = writer.add_stream(zlib.compress(program, 6), f"/Filter /FlateDecode /Length1 {len(program)}")
        name = f"{_subset_tag(glyphs)}+{_pdf_name(font.name)}"
        bbox = " ".join(str(round(v * scale)) for v in font.bbox)
        descriptor = writer.add(
            f"<< /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [{bbox}] /ItalicAngle 0 "
            f"/Ascent {round(font.ascent * scale)} /Descent {round(font.descent * scale)} "
            f"/CapHeight {round(font.ascent * scale)} /StemV 80 /FontFile2 {file_id} 0 R >>")
        widths = " ".join(f"{g} [{round(font.advance(g) * scale)}]" for g in glyphs)
        cid_font = writer.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} "
            f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /DW 1000 /W [{widths}] /CIDToGIDMap /Identity >>")
        to_unicode = writer.add_stream(zlib.compress(_to_unicode(self.used).encode("ascii"), 6), "/Filter /FlateDecode")
        writer.set(font_id, f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
                            f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>")


class _Codes(dict):
    def __init__(self, document: PdfDocument):
        super().__init__()
        self.document = document

    def __missing__(self, char: str) -> str:
        glyph = self.document.font.glyph(char)
        self.document.used.setdefault(glyph, char)
        code = self[char] = f"{glyph:04X}"
        return code


class _Writer:
    """Objects numbered from 1, written in any order, with the cross-reference table."""

    def __init__(self):
        self.objects: dict[int, bytes] = {}
        self.count = 0

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def set(self, number: int, body: str | bytes) -> None:
        self.objects[number] = body.encode("latin-1") if isinstance(body, str) else body

    def add(self, body: str | bytes) -> int:
        number = self.reserve()
        self.set(number, body)
        return number

    def add_stream(self, data: bytes, entries: str) -> int:
        return self.add(f"<< /Length {len(data)} {entries} >>\nstream\n".encode("latin-1") + data + b"\nendstream")

    def finish(self, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number in range(1, self.count + 1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + self.objects[number] + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {self.count + 1}\n0000000000 65535 f \n".encode()
        out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
        out += f"trailer\n<< /Size {self.count + 1} /Root {root} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def _to_unicode(used: dict[int, str]) -> str:
    """A CMap from glyph ids back to the characters (PDF 32000-1, 9.10.3)."""
    entries = [f"<{glyph:04X}> <{''.join(f'{u:04X}' for u in _utf16(char))}>" for glyph, char in sorted(used.items())]
    chunks = [entries[i:i + 100] for i in range(0, len(entries), 100)]  # at most 100 per block
    body = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n" for chunk in chunks)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def _text_string(text: str) -> str:
    """A PDF text string: UTF-16BE with its byte-order mark, as hex (no escaping to get wrong)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _subset_tag(glyphs: list[int]) -> str:
    """Six capital letters naming this subset (PDF 32000-1, 9.6.4), from the glyphs it holds."""
    value = zlib.crc32(",".join(map(str, glyphs)).encode())
    letters = []
    for _ in range(6):
        value, rest = divmod(value, 26)
        letters.append(chr(ord("A") + rest))
    return "".join(letters)


def _pdf_name(text: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() or c in "-_" else "_" for c in text) or "Font"
