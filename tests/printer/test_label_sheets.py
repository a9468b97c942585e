"""The Japanese label sheets the kiosk ships (printer/templates/, made by printer.sheets.convert
from printer/sheets/sources/): the files are what the sources give, every product is found by
BRAND:PART, the sources' known faults are handled, and barcodes on A-one 28368 and Kihara
606-906 sheets all decode."""

import shutil

import pytest

import printer.templates as templates
from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from printer.barcode import item_barcode
from printer.labels import barcode_label
from printer.sheet_pdf import render_sheet_pdf
from printer.sheets import convert
from printer.templates import TemplateNotFound, all_templates, find_template
from tests.printer.test_printing import kiosk  # noqa: F401 (a fixture)
from tests.printer.zbar import decode_pdf

GLABELS_HISAGO = templates.GLABELS_DIRS[0] / "hisago-templates.xml"


@pytest.fixture
def sources(tmp_path):
    """A copy of the converter's sources, to break."""
    shutil.copytree(convert.SOURCES, tmp_path / "sources")
    return tmp_path / "sources"


def test_the_shipped_files_are_what_the_sources_give():
    shipped = {path.name for path in convert.OUTPUT.glob("*.xml")}
    made = convert.rendered()
    assert set(made) <= shipped
    for name, text in made.items():
        assert (convert.OUTPUT / name).read_text(encoding="utf-8") == text, f"rerun python -m printer.sheets.convert ({name})"
    assert convert.main(["--check"]) == 0


def test_the_check_mode_fails_on_a_stale_file(tmp_path, monkeypatch, capsys):
    for path in convert.OUTPUT.glob("*.xml"):
        shutil.copy(path, tmp_path)
    stale = tmp_path / "calil-ajime-templates.xml"
    stale.write_text(stale.read_text(encoding="utf-8").replace('x0="8.4mm"', 'x0="8.5mm"'), encoding="utf-8")
    monkeypatch.setattr(convert, "OUTPUT", tmp_path)
    assert convert.main(["--check"]) == 1
    assert "calil-ajime-templates.xml differs" in capsys.readouterr().err
    assert convert.main([]) == 0 and convert.main(["--check"]) == 0  # rewritten


def test_counts_per_brand():
    made = {output.filename: output for output in convert.outputs()}
    brands = {}
    for output in made.values():
        for sheet in output.sheets:
            brands[sheet.brand] = brands.get(sheet.brand, 0) + 1
    assert brands == {"A-one": 198, "Askul": 2, "Kihara": 2, "Hisago": 20, "Sanwa": 24, "Daiso": 1}
    assert len(made["libreoffice-ja-templates.xml"].left_out) == 15


@pytest.mark.parametrize("name, per_sheet, label, first, last", [
    ("A-one:28368", 44, (48.3, 25.4), (8.4, 8.8), (8.4 + 3 * 48.3, 8.8 + 10 * 25.4)),
    ("a-one:31165", 44, (48.3, 25.4), (8.4, 8.8), (8.4 + 3 * 48.3, 8.8 + 10 * 25.4)),  # only CALIL knows it
    ("A-one:72295", 95, (35.0, 12.0), (13.5, 16.5), (13.5 + 4 * 37, 16.5 + 18 * 14)),
    ("Askul:56249", 65, (38.1, 21.2), (4.75, 10.92), (4.75 + 4 * 40.6, 10.92 + 12 * 21.2)),
    ("Askul:46670", 65, (38.1, 21.2), (4.75, 10.92), (4.75 + 4 * 40.6, 10.92 + 12 * 21.2)),
    ("Kihara:606-906", 36, (44.0, 26.0), (14.0, 15.0), (14 + 3 * 46, 15 + 8 * 30)),
    ("Kihara:60690-6", 36, (44.0, 26.0), (14.0, 15.0), (14 + 3 * 46, 15 + 8 * 30)),  # Enju's spelling
    ("A-one:28171", 12, (90.2, 42.3), (16.5, 20.0), (16.5 + 92.7, 20 + 5 * 42.3)),
    ("Sanwa:JP-TA21", 21, (63.5, 38.1), (7.1, 15.2), (7.1 + 2 * 66.1, 15.2 + 6 * 38.1)),
    ("Daiso:No.136", 10, (91.0, 55.0), (14.0, 11.0), (105.0, 11 + 4 * 55)),
    ("Hisago:BM102S", 10, (90.0, 55.0), (15.0, 7.0), (105.0, 7 + 4 * 55)),  # gLabels has no BM102S
])
def test_japanese_sheets_by_brand_and_part(name, per_sheet, label, first, last):
    sheet = find_template(name)
    assert (sheet.page_mm, sheet.per_sheet, sheet.label_mm) == ((210.0, 297.0), per_sheet, label)
    assert sheet.origins_mm[0] == pytest.approx(first) and sheet.origins_mm[-1] == pytest.approx(last)


def test_landscape_and_b4_sheets_keep_their_page():
    """LibreOffice's "A4L" sheets are landscape pages: never laid on A4 portrait (their labels
    would leave the page)."""
    landscape = find_template("A-one:28191")
    assert landscape.page_mm == (297.0, 210.0) and landscape.per_sheet == 20
    assert max(x + landscape.label_mm[0] for x, _ in landscape.origins_mm) == pytest.approx(297.0)
    assert find_template("Sanwa:TA-401B").page_mm == (257.0, 364.0)  # JIS B4


def test_a_sheet_that_does_not_fit_its_page_is_not_shipped():
    with pytest.raises(TemplateNotFound):
        find_template("A-one:29233")  # LibreOffice: 14 rows every 36 mm on A4
    (left_out,) = [why for output in convert.outputs() for name, why in output.left_out if name == "A-one:29233"]
    assert left_out == "label 15 at (20, 276) mm is off the 210 × 297 mm page (the labels reach 190 × 524 mm)"
    assert f"Left out A-one:29233: {left_out}" in \
        (convert.OUTPUT / "libreoffice-ja-templates.xml").read_text(encoding="utf-8")


def test_glabels_keeps_its_own_hisago_sheets():
    """LibreOffice repeats eight Hisago parts gLabels has (OP869's margins differ, GB863 / GB865
    are landscape there): gLabels' are used, LibreOffice's are not shipped."""
    shipped = (convert.OUTPUT / "libreoffice-ja-templates.xml").read_text(encoding="utf-8")
    for part in ("GB861", "GB863", "GB865", "GB961", "OP861", "OP866", "OP869", "SB861"):
        assert f'part="{part}"' not in shipped
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed")
    assert find_template("Hisago:OP869").origins_mm[0] == (20.3, 20.3)  # LibreOffice says 20


def test_the_list_of_glabels_hisago_parts_is_the_installed_database():
    """The converter leaves out the Hisago parts gLabels has, from a list kept with the sources
    (so it gives the same files on any machine); a gLabels update that adds parts shows here."""
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed")
    import re

    installed = set(re.findall(r'part="([^"]+)"', GLABELS_HISAGO.read_text(encoding="utf-8")))
    assert set((convert.SOURCES / "glabels-hisago-parts.txt").read_text().split()) == installed


def test_each_file_carries_its_sources_licence_notice():
    read = {path.name: path.read_text(encoding="utf-8") for path in convert.OUTPUT.glob("*.xml")}
    mpl = read["libreoffice-ja-templates.xml"]
    assert "Mozilla Public" in mpl and "http://mozilla.org/MPL/2.0/" in mpl and "Apache Software Foundation" in mpl
    assert "Copyright (c) 2021 CALIL Inc." in read["calil-ajime-templates.xml"]
    for name in ("calil-ajime-templates.xml", "enju-trunk-templates.xml"):
        assert "Permission is hereby granted, free of charge" in read[name] and "Mozilla" not in read[name]
    assert 'brand="A-one"' not in read["calil-ajime-templates.xml"].split("<Glabels-templates>")[0]
    for licence in ("calil-ajime/LICENSE", "enju_trunk-LICENSE", "libreoffice-labels.xml"):
        assert (convert.SOURCES / licence).is_file()


def test_sources_that_disagree_stop_the_converter(sources):
    xml = sources / "libreoffice-labels.xml"
    xml.write_text(xml.read_text(encoding="utf-8").replace(
        "<name>28368 Label A4 44pcs(4*11) 48.3*25.4mm</name>\n        <measure>S;4830;2540;4830;2540;840;880",
        "<name>28368 Label A4 44pcs(4*11) 48.3*25.4mm</name>\n        <measure>S;4830;2540;4830;2540;900;880"),
        encoding="utf-8")
    with pytest.raises(convert.SourceFault, match="LibreOffice A-one:28368 and CALIL ajime A-one:28368 disagree"):
        convert.outputs(sources)


def test_enju_disagreeing_with_calil_stops_the_converter(sources):
    yml = sources / "enju_trunk-sheets.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("margin_w: 14", "margin_w: 12"), encoding="utf-8")
    with pytest.raises(convert.SourceFault, match="Kihara:60690-6 and CALIL ajime Kihara:606-906 disagree"):
        convert.outputs(sources)


def test_a_name_that_states_other_counts_stops_the_converter(sources):
    xml = sources / "libreoffice-labels.xml"
    xml.write_text(xml.read_text(encoding="utf-8").replace("28171 Label A4 12pcs(2*6)", "28171 Label A4 12pcs(3*4)"),
                   encoding="utf-8")
    with pytest.raises(convert.SourceFault, match="A-one:28171: its name says '12pcs"):
        convert.outputs(sources)


def test_enju_pages_height_is_read_as_a4_and_said_so():
    (enju,) = [output for output in convert.outputs() if output.filename == "enju-trunk-templates.xml"]
    assert enju.corrected == [("Kihara:60690-6", "page 210 × 290 mm read as A4, as its name says")]
    sheets, _ = convert.enju_sheets(convert.SOURCES / "enju_trunk-sheets.yml")
    assert sheets[0].page_mm == (210.0, 297.0) and enju.sheets[0].equiv == "606-906"


@pytest.mark.parametrize("name, per_sheet", [("A-one:28368", 44), ("Kihara:606-906", 36)])
def test_every_barcode_on_a_japanese_sheet_decodes_at_300_dpi(name, per_sheet):
    settings = ItemCodeSettings()
    numbers = list(range(12001, 12001 + per_sheet))
    labels = [barcode_label(n, item_barcode(n, settings), "ひまわり小学校図書館", "はらぺこあおむし") for n in numbers]
    sheet = find_template(name)
    decoded = decode_pdf(render_sheet_pdf(labels, sheet))
    assert sheet.per_sheet == per_sheet
    assert sorted(decode_item_code(data, settings) for kind, data in decoded if kind == "Codabar") == numbers


def test_kiosk_labels_takes_a_japanese_sheet(kiosk, tmp_path):  # noqa: F811
    output = tmp_path / "a-one.pdf"
    kiosk("labels", "1001-1003", "--kind", "barcode", "--template", "A-one:28368", "--output", str(output),
          "--start", "44")
    decoded = [decode_item_code(data, ItemCodeSettings()) for _, data in decode_pdf(output.read_bytes())]
    assert sorted(decoded) == [1001, 1002, 1003]  # position 44, then a second sheet
    assert all_templates()[("kihara", "60690-6")].origins_mm == find_template("Kihara:606-906").origins_mm
