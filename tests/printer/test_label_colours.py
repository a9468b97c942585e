"""Spine-label colours by class: a band or a pale background, the school's palette over the
defaults; seen in the PDF as poppler draws it, and left out of a one-colour raster."""

import shutil
import subprocess

import pytest
from PIL import Image

from kiosk.labels.callnumber import CallNumber
from kiosk.errors import KioskError
from kiosk.printing_settings import PrintingSettings
from printer.labels import DEFAULT_PALETTE, colours_from_settings, parse_palette, spine_label
from printer.sheet_pdf import render_sheet_pdf
from printer.raster import render_label_image
from printer.templates import find_template

SCHOOL = {**DEFAULT_PALETTE, "R": "#3949ab", "K": "#00acc1"}


@pytest.mark.parametrize("top, expected", [("913", DEFAULT_PALETTE["9"]), ("E", DEFAULT_PALETTE["E"]),
                                           ("R", "#3949ab"), ("K291", "#00acc1"), ("Y913", None)])
def test_the_colour_is_the_prefixs_own_else_the_main_classs(top, expected):
    # Y913: "Y" has no colour of its own: no colour rather than a wrong one.
    assert spine_label(1, CallNumber(top, "ア"), palette=SCHOOL).band == expected


def test_colour_styles():
    call = CallNumber("913", "ナ")
    assert spine_label(1, call, palette=SCHOOL, colour="none") == spine_label(1, call, palette=None)
    assert spine_label(1, call, palette=SCHOOL, colour="none").band is None
    background = spine_label(1, call, palette={"9": "#1e88e5"}, colour="background")
    assert background.band is None and background.background == "#bcdbf7"  # 30 % of the colour, 70 % white


def test_palette_text_and_settings():
    assert parse_palette("E=#EC407A, 9 = #fdd835\nR=#3949ab") == {"E": "#ec407a", "9": "#fdd835", "R": "#3949ab"}
    assert parse_palette("  ") == {}
    for bad in ("E=pink", "E#ec407a", "=#ec407a", "E=#ec407"):
        with pytest.raises(KioskError) as error:
            parse_palette(bad)
        assert "分類=#rrggbb" in error.value.ja
    palette, style = colours_from_settings(PrintingSettings(colour="background", palette={"9": "#000000"}))
    assert (style, palette["9"], palette["E"]) == ("background", "#000000", DEFAULT_PALETTE["E"])
    with pytest.raises(KioskError):  # the printing section refuses a colour style the labels do not know
        PrintingSettings.from_stored({"colour": "rainbow"})


def _first_label_pixels(labels, tmp_path) -> Image.Image:
    return first_label_pixels(render_sheet_pdf(labels, find_template("Hisago:OP3015")), "Hisago:OP3015", tmp_path)


def first_label_pixels(pdf: bytes, template: str, tmp_path) -> Image.Image:
    """The first label of a sheet PDF as poppler draws it, at 100 dpi."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm not installed (scripts/install-system-packages.sh test installs poppler-utils)")
    sheet = find_template(template)
    path = tmp_path / "colours.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("RGB")
    (x, y), (w, h) = sheet.origins_mm[0], sheet.label_mm
    scale = 100 / 25.4
    return page.crop((round(x * scale), round(y * scale), round((x + w) * scale), round((y + h) * scale)))


def close(pixel, colour: str) -> bool:
    return all(abs(p - int(colour[i:i + 2], 16)) <= 8 for p, i in zip(pixel, (1, 3, 5)))


def test_the_pdf_shows_the_band_and_the_background(tmp_path):
    band = _first_label_pixels([spine_label(1, CallNumber("913", "ナ"), palette=SCHOOL)], tmp_path)
    assert close(band.getpixel((band.width // 2, 2)), SCHOOL["9"])  # the band across the top
    assert close(band.getpixel((3, band.height - 3)), "#ffffff")  # white below it
    pale = spine_label(1, CallNumber("R", "ナ"), palette=SCHOOL, colour="background")
    background = _first_label_pixels([pale], tmp_path)
    for corner in ((3, 3), (background.width - 4, background.height - 4)):
        assert close(background.getpixel(corner), pale.background)


def test_a_one_colour_raster_leaves_the_background_out_but_prints_the_band():
    def ink(label) -> int:
        return render_label_image(label, 20, 24, 300).convert("L").histogram()[0]

    call = CallNumber("913", "ナ")
    plain = ink(spine_label(1, call, palette=None))
    assert ink(spine_label(1, call, palette=SCHOOL, colour="background")) == plain
    assert ink(spine_label(1, call, palette=SCHOOL, colour="band")) > plain + 20 * 3 * 300 / 25.4


def test_the_colour_raster_has_the_colours_and_its_barcode_still_reads(tmp_path):
    from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
    from printer.barcode import item_barcode
    from printer.labels import barcode_label
    from tests.printer.zbar import decode_images

    pale = spine_label(1, CallNumber("913", "ナ"), palette=SCHOOL, colour="background")
    image = render_label_image(pale, 20, 24, 150, colour=True)
    assert image.mode == "RGB" and close(image.getpixel((2, image.height - 2)), pale.background)
    band = render_label_image(spine_label(1, CallNumber("913", "ナ"), palette=SCHOOL), 20, 24, 150, colour=True)
    assert close(band.getpixel((band.width // 2, 2)), SCHOOL["9"])
    label = barcode_label(1234, item_barcode(1234, ItemCodeSettings()), "ひまわり小学校図書館", "ぐりとぐら")
    render_label_image(label, 48.3, 25.4, 150, colour=True).save(tmp_path / "barcode.png")
    assert [decode_item_code(d, ItemCodeSettings()) for _, d in decode_images([tmp_path / "barcode.png"])] == [1234]
