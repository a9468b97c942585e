"""The label font: Japanese text renders as glyphs, not as the missing-glyph box (tofu), in the
PDF (drawn by poppler, as a PDF viewer would) and on the thermal raster; the hand-written
TrueType reader agrees with FreeType; the subset embedded in the PDF is a working font."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFont

from kiosk.labels.callnumber import CallNumber
from printer.fonts import label_font_path
from printer.labels import spine_label
from printer.sheet_pdf import render_sheet_pdf
from printer.pdf_writer import PdfDocument
from printer.raster import render_label_image
from printer.templates import find_template
from printer.truetype import FontError, TrueTypeFont

# Call-number tiers and what goes round them: kanji, kana (small ones and the long-vowel sign
# included), full-width and Latin letters, digits.
JAPANESE = "分類記号図書館小学校アイウエオカキクケコナァィゥッャー・ひまわりぐとはらぺこあおむしＥＲＫEK913"
NOT_IN_FONT = "\U0010fffd"  # a private-use character no font maps: it is drawn as .notdef
CELL = 100  # points: one character per cell, 72 pt high


@pytest.fixture(scope="module")
def font():
    return TrueTypeFont(label_font_path())


def _pdf_cells(font: TrueTypeFont, chars: str, tmp_path: Path) -> list[Image.Image]:
    """Each character drawn alone in its cell of one PDF page, rasterised by poppler at 72 dpi."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (scripts/install-system-packages.sh test installs poppler-utils)")
    document = PdfDocument(font, title="tofu test")
    ops = document.new_page(CELL * len(chars), CELL)
    for index, char in enumerate(chars):
        ops.append(document.text_ops(char, index * CELL + 14, 24, 72))
    path = tmp_path / "cells.pdf"
    path.write_bytes(document.to_bytes())
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", str(path), str(tmp_path / "cells")], check=True)
    page = Image.open(next(tmp_path.glob("cells*.png"))).convert("L")
    return [page.crop((index * CELL, 0, (index + 1) * CELL, CELL)) for index in range(len(chars))]


def _ink(image: Image.Image) -> int:
    """Dark pixels of a greyscale image."""
    return sum(image.histogram()[:128])


def _differing(one: Image.Image, other: Image.Image) -> int:
    return sum(ImageChops.difference(one, other).histogram()[129:])


def test_every_character_in_the_pdf_is_a_glyph_not_the_missing_glyph_box(font, tmp_path):
    assert font.glyph(NOT_IN_FONT) == 0 and all(font.glyph(char) for char in JAPANESE)
    *cells, notdef = _pdf_cells(font, JAPANESE + NOT_IN_FONT, tmp_path)
    assert _ink(notdef) > 200  # IPAexGothic's .notdef is a box: it has ink, so equal would show
    for char, cell in zip(JAPANESE, cells):
        assert _ink(cell) > 20, f"{char!r} drew nothing"
        assert _differing(cell, notdef) > 100, f"{char!r} drew the missing-glyph box"
    # And different characters look different (not one glyph for all):
    assert _differing(cells[JAPANESE.index("ア")], cells[JAPANESE.index("ァ")]) > 50


def test_spine_labels_on_the_thermal_raster_are_not_tofu():
    def tier_image(text):
        return render_label_image(spine_label(1, CallNumber(text, "")), 20, 24, 300)

    notdef = tier_image(NOT_IN_FONT)
    assert _ink(notdef.convert("L")) > 100
    for char in "分ア図ァー":
        image = tier_image(char)
        assert _differing(image.convert("L"), notdef.convert("L")) > 200, f"{char!r} drew the missing-glyph box"


def test_widths_agree_with_freetype(font):
    freetype = ImageFont.truetype(str(label_font_path()), 1000)
    for text in ("913", "ア", "ひまわり小学校図書館", "はらぺこあおむし…", "Eric Carle", JAPANESE):
        assert font.width(text, 1000) == pytest.approx(freetype.getlength(text), rel=0.01), text


def test_the_bmp_cmap_gives_the_same_glyphs_as_the_full_one(font):
    at = font.tables[b"cmap"][0]
    subtables = {}
    for index in range(int.from_bytes(font.data[at + 2:at + 4], "big")):
        entry = font.data[at + 4 + 8 * index:at + 12 + 8 * index]
        subtables[(int.from_bytes(entry[:2], "big"), int.from_bytes(entry[2:4], "big"))] = int.from_bytes(entry[4:], "big")
    if (3, 1) not in subtables:
        pytest.skip("the label font has no format 4 cmap")
    starts, groups = font._read_format4(at + subtables[(3, 1)])
    bmp = TrueTypeFont.__new__(TrueTypeFont)
    bmp._cmap = (starts, groups)
    for char in JAPANESE + "ABCxyz0123あアン漢字":
        assert bmp._glyph(ord(char)) == font.glyph(char), char


def test_a_sheet_embeds_a_searchable_subset_of_the_font(tmp_path):
    if shutil.which("pdffonts") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    labels = [spine_label(n, CallNumber("913", "ナ")) for n in range(1, 4)] + [spine_label(4, CallNumber("E", "カ"))]
    path = tmp_path / "spines.pdf"
    path.write_bytes(render_sheet_pdf(labels, find_template("Hisago:OP3015")))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(fonts) == 3  # header, rule, one font
    name, *_, embedded, subset, unicode_map, _, _ = fonts[2].split()
    assert (embedded, subset, unicode_map) == ("yes", "yes", "yes") and name[6] == "+"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.split() == ["913", "ナ"] * 3 + ["E", "カ"]
    # The subset holds the outlines it needs and not the other ~16,000: far smaller than the font.
    assert path.stat().st_size < label_font_path().stat().st_size / 20


def test_composite_glyphs_keep_their_parts(tmp_path):
    """IPAexGothic has no composite glyphs; DejaVu Sans builds é from e and an accent."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file():
        pytest.skip("fonts-dejavu-core not installed (scripts/install-system-packages.sh test installs it)")
    font = TrueTypeFont(dejavu)
    assert font._components(font.glyph("é")), "é is not a composite glyph in this DejaVu"
    plain, accented = _pdf_cells(font, "eé", tmp_path)
    assert _ink(accented) > _ink(plain) + 10  # the accent is there, on top of the e


def test_a_font_without_truetype_outlines_is_refused(tmp_path):
    otf = tmp_path / "cff.otf"
    otf.write_bytes(b"OTTO" + bytes(100))
    with pytest.raises(FontError) as error:
        TrueTypeFont(otf)
    assert "TrueType" in error.value.ja
