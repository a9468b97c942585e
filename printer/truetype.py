"""A TrueType font read just enough to set label text in a PDF: characters to glyphs, advance
widths, and a subset that keeps only the glyphs a document uses.

Written by hand, not taken from fontTools or reportlab: both parse the whole 6 MB IPAexGothic
before the first label (fontTools: 0.2 s to import and 0.23 s to subset; reportlab: 0.15 s to
import and 0.1 s to load), while a sheet of labels needs a few dozen glyphs. Here the font's
tables are read lazily with ``struct`` and the subset keeps every glyph id (unused glyphs are
emptied), so the PDF can address glyphs by their own ids (CIDToGIDMap /Identity) and nothing
is renumbered. Only TrueType outlines (``glyf``) are handled; the project's fonts have them.
"""

import mmap
import struct
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from kiosk.errors import KioskError

# Tables an embedded TrueType font program needs (PDF 32000-1, 9.9); the rest are left out.
_KEPT_TABLES = (b"cvt ", b"fpgm", b"prep", b"head", b"hhea", b"maxp", b"hmtx")
# Composite glyph flags (OpenType spec, glyf table).
_ARGS_ARE_WORDS, _HAVE_SCALE, _MORE, _HAVE_XY_SCALE, _HAVE_2X2 = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


class FontError(KioskError):
    """The label font cannot be used."""


class TrueTypeFont:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.data = data = _map(self.path)  # mapped, not read: a sheet touches a few dozen glyphs of 6 MB
        if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
            raise FontError(f"{path} is not a TrueType font with glyf outlines (an OTF/CFF font?)",
                            "ラベル用のフォントが TrueType ではありません（IPAexゴシック を使ってください）")
        count = struct.unpack_from(">H", data, 4)[0]
        self.tables = {}
        for index in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
            self.tables[tag] = (offset, length)
        missing = {b"head", b"hhea", b"maxp", b"hmtx", b"loca", b"glyf", b"cmap"} - self.tables.keys()
        if missing:
            raise FontError(f"{path} lacks the tables {sorted(missing)}", "ラベル用のフォントが壊れています")
        head = self.tables[b"head"][0]
        self.units_per_em = struct.unpack_from(">H", data, head + 18)[0]
        self.bbox = struct.unpack_from(">hhhh", data, head + 36)
        self.long_loca = struct.unpack_from(">h", data, head + 50)[0] == 1
        hhea = self.tables[b"hhea"][0]
        self.ascent, self.descent = struct.unpack_from(">hh", data, hhea + 4)
        self.metrics_count = struct.unpack_from(">H", data, hhea + 34)[0]
        self.glyph_count = struct.unpack_from(">H", data, self.tables[b"maxp"][0] + 4)[0]
        self._cmap = self._read_cmap()
        self.name = self.path.stem.replace(" ", "")
        self._advances = Lookup(lambda char: self.advance(self.glyph(char)))

    # Characters and widths

    def glyph(self, char: str) -> int:
        """The glyph id of a character; 0 (.notdef, the missing-glyph box) if the font lacks it."""
        return self._glyph(ord(char))

    def advance(self, glyph: int) -> int:
        """Advance width in font units."""
        hmtx = self.tables[b"hmtx"][0]
        return struct.unpack_from(">H", self.data, hmtx + 4 * min(glyph, self.metrics_count - 1))[0]

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` set at ``size`` (any unit: the result is in the same unit)."""
        return sum(map(self._advances.__getitem__, text)) * size / self.units_per_em

    @lru_cache(maxsize=4096)
    def _glyph(self, code: int) -> int:
        starts, groups = self._cmap
        index = bisect_right(starts, code) - 1
        if index < 0:
            return 0
        start, end, first_glyph = groups[index]
        return first_glyph + code - start if code <= end else 0

    def _read_cmap(self):
        """The Unicode cmap as sorted (start, end, first glyph) groups: format 12 (all planes)
        when the font has it, else format 4 (the BMP)."""
        data, cmap = self.data, self.tables[b"cmap"][0]
        subtables = {}
        for index in range(struct.unpack_from(">H", data, cmap + 2)[0]):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * index)
            subtables[(platform, encoding)] = cmap + offset
        for key in ((3, 10), (0, 4), (0, 6)):
            at = subtables.get(key)
            if at is not None and struct.unpack_from(">H", data, at)[0] == 12:
                count = struct.unpack_from(">I", data, at + 12)[0]
                flat = struct.unpack_from(f">{3 * count}I", data, at + 16)  # one call: ~10,000 groups
                groups = list(zip(flat[0::3], flat[1::3], flat[2::3]))
                return [g[0] for g in groups], groups
        for key in ((3, 1), (0, 3), (0, 1), (0, 0)):
            at = subtables.get(key)
            if at is not None and struct.unpack_from(">H", data, at)[0] == 4:
                return self._read_format4(at)
        raise FontError(f"{self.path} has no Unicode cmap", "ラベル用のフォントに文字の対応表がありません")

    def _read_format4(self, at: int):
        data = self.data
        segments = struct.unpack_from(">H", data, at + 6)[0] // 2
        ends = struct.unpack_from(f">{segments}H", data, at + 14)
        starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
        deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
        range_at = at + 16 + 6 * segments
        offsets = struct.unpack_from(f">{segments}H", data, range_at)
        groups = []
        for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
            if start == 0xFFFF:
                continue
            if offset == 0:
                groups.append((start, end, (start + delta) & 0xFFFF))
                continue
            for code in range(start, end + 1):  # glyphs listed one by one: one group each
                where = range_at + 2 * i + offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                if glyph:
                    groups.append((code, code, (glyph + delta) & 0xFFFF))
        groups.sort()
        return [g[0] for g in groups], groups

    # Subsetting

    def _glyph_range(self, glyph: int) -> tuple[int, int]:
        loca = self.tables[b"loca"][0]
        if self.long_loca:
            start, end = struct.unpack_from(">II", self.data, loca + 4 * glyph)
        else:
            start, end = (2 * v for v in struct.unpack_from(">HH", self.data, loca + 2 * glyph))
        glyf = self.tables[b"glyf"][0]
        return glyf + start, glyf + end

    def _components(self, glyph: int) -> list[int]:
        """The glyphs a composite glyph is built from (none for a simple glyph)."""
        start, end = self._glyph_range(glyph)
        if end - start < 10 or struct.unpack_from(">h", self.data, start)[0] >= 0:
            return []
        found, at = [], start + 10
        while True:
            flags, component = struct.unpack_from(">HH", self.data, at)
            found.append(component)
            at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
            at += 2 if flags & _HAVE_SCALE else 4 if flags & _HAVE_XY_SCALE else 8 if flags & _HAVE_2X2 else 0
            if not flags & _MORE:
                return found

    def subset(self, glyphs) -> bytes:
        """A TrueType font program with the outlines of ``glyphs`` (and .notdef, and the parts
        of composite glyphs) at their own ids, every other glyph empty."""
        keep, todo = {0}, list(glyphs)
        while todo:
            glyph = todo.pop()
            if glyph not in keep and 0 <= glyph < self.glyph_count:
                keep.add(glyph)
                todo.extend(self._components(glyph))
        glyf, sizes = bytearray(), [0] * self.glyph_count  # unused glyphs: empty (0 bytes)
        for glyph in sorted(keep):
            start, end = self._glyph_range(glyph)
            outline = self.data[start:end]
            padded = outline + b"\0" * (-len(outline) % 4)
            glyf += padded
            sizes[glyph] = len(padded)
        loca = list(accumulate(sizes, initial=0))
        tables = {tag: self._table(tag) for tag in _KEPT_TABLES if tag in self.tables}
        head = bytearray(tables[b"head"])
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment: set below, over the whole file
        head[50:52] = struct.pack(">h", 1)  # long loca offsets
        tables[b"head"] = bytes(head)
        tables[b"loca"] = struct.pack(f">{len(loca)}I", *loca)
        tables[b"glyf"] = bytes(glyf)
        tables[b"post"] = struct.pack(">IIhhIIIII", 0x00030000, 0, 0, 0, 0, 0, 0, 0, 0)  # format 3: no names
        return _font_file(tables)

    def _table(self, tag: bytes) -> bytes:
        offset, length = self.tables[tag]
        return self.data[offset:offset + length]


class Lookup(dict):
    """A dict that computes a missing value once (labels repeat the same few characters)."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def _font_file(tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    directory, body, offset = bytearray(), bytearray(), 12 + 16 * count
    for tag in tags:
        table = tables[tag]
        directory += struct.pack(">4sIII", tag, _checksum(table), offset + len(body), len(table))
        body += table + b"\0" * (-len(table) % 4)
    font = bytearray(header + directory + body)
    head_at = 12 + 16 * count + sum(len(tables[t]) + (-len(tables[t]) % 4) for t in tags[:tags.index(b"head")])
    font[head_at + 8:head_at + 12] = struct.pack(">I", (0xB1B0AFBA - _checksum(font)) & 0xFFFFFFFF)
    return bytes(font)


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _map(path: Path) -> mmap.mmap | bytes:
    with path.open("rb") as file:
        try:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return b""


@lru_cache(maxsize=4)
def load_font(path: Path) -> TrueTypeFont:
    return TrueTypeFont(path)
