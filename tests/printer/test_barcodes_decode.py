"""Every barcode the kiosk renders is read back by zbar and equals the registration number:
every symbology and check scheme, numbers of 1 to 10 digits, from the PDF and the raster."""

import itertools

import pytest

from kiosk.codes.itemcode import CHECK_SCHEMES, ItemCodeSettings, decode_item_code
from printer.barcode import item_barcode
from printer.labels import barcode_label
from printer.sheet_pdf import render_sheet_pdf
from printer.raster import render_label_image
from printer.templates import find_template
from tests.printer.zbar import ZBAR_NAMES, decode_images, decode_pdf

NUMBERS = [1, 22, 303, 4004, 50505, 606006, 7007007, 80080080, 900900900, 1234567890]  # 1 to 10 digits
SETTINGS = [ItemCodeSettings(symbology=s, check=c, width=10)
            for s, c in itertools.product(("nw7", "code39", "code128"), CHECK_SCHEMES)
            if c != "mod16" or s == "nw7"]


def _labels(settings):
    return [barcode_label(n, item_barcode(n, settings), "ひまわり小学校図書館", "はらぺこあおむし") for n in NUMBERS]


def test_every_symbology_and_scheme_from_the_pdf_at_300_dpi():
    labels = [label for settings in SETTINGS for label in _labels(settings)]
    decoded = decode_pdf(render_sheet_pdf(labels, find_template("Hisago:ELM022")))
    # zbar reports a symbol once per page even when two schemes gave a number the same data
    expected = {(ZBAR_NAMES[label.pattern.symbology], label.pattern.data) for label in labels}
    assert set(decoded) == expected and len(expected) > 100
    for settings in SETTINGS:
        found = {decode_item_code(data, settings) for kind, data in decoded
                 if kind == ZBAR_NAMES[settings.symbology] and data in {l.pattern.data for l in _labels(settings)}}
        assert sorted(found) == NUMBERS, settings


@pytest.mark.parametrize("dpi", [203, 300])  # Zebra-style heads, Brother QL heads
@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: f"{s.symbology}-{s.check}")
def test_thermal_raster(settings, dpi, tmp_path):
    paths = []
    for label in _labels(settings):
        image = render_label_image(label, 48.3, 25.4, dpi=dpi)
        assert image.mode == "1"
        paths.append(tmp_path / f"{label.number}.png")
        image.save(paths[-1])
    decoded = decode_images(paths)
    assert sorted(decode_item_code(data, settings) for _, data in decoded) == NUMBERS
