"""Label sheets from the gLabels template database and the project's own templates."""

import pytest

import printer.templates as templates
from printer.templates import TemplateNotFound, all_templates, find_template

GLABELS_HISAGO = templates.GLABELS_DIRS[0] / "hisago-templates.xml"

SHEET = """<?xml version="1.0"?>
<Glabels-templates>
  <Template brand="Kiosk" part="T-{part}" size="A4" _description="test sheet">
    <Label-rectangle id="0" width="{width}" height="24mm" round="1mm">
      <Layout nx="2" ny="3" x0="10mm" y0="20mm" dx="{dx}" dy="30mm"/>
    </Label-rectangle>
  </Template>
  <Template brand="Kiosk" part="T-{part}-COPY" equiv="T-{part}"/>
  <Template brand="Kiosk" part="ROUND" size="A4">
    <Label-round id="0" radius="10mm"><Layout nx="1" ny="1" x0="0" y0="0" dx="0" dy="0"/></Label-round>
  </Template>
</Glabels-templates>
"""


@pytest.fixture
def project_dir(tmp_path, monkeypatch):
    """printer/templates/ replaced by an empty folder, every cache emptied before and after."""
    def clear():
        for cached in (templates.all_templates, templates.refused_templates, templates._read_file, templates._lookup):
            cached.cache_clear()

    monkeypatch.setattr(templates, "PROJECT_DIR", tmp_path)
    clear()
    yield tmp_path
    clear()


def _require_glabels():
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed (scripts/install-system-packages.sh installs it)")


def test_a_sheet_is_read_in_millimetres_in_reading_order(project_dir):
    (project_dir / "test.xml").write_text(SHEET.format(part="A", width="0.8in", dx="95mm"), encoding="utf-8")
    sheet = find_template("kiosk:t-a")  # brand and part in any case
    assert (sheet.name, sheet.page_mm, sheet.per_sheet) == ("Kiosk:T-A", (210.0, 297.0), 6)
    assert sheet.label_mm == (pytest.approx(20.32), 24.0)
    assert sheet.origins_mm == ((10, 20), (105, 20), (10, 50), (105, 50), (10, 80), (105, 80))


def test_an_equivalent_part_has_the_layout_of_the_one_it_names(project_dir):
    (project_dir / "test.xml").write_text(SHEET.format(part="B", width="20mm", dx="95mm"), encoding="utf-8")
    copy, original = find_template("Kiosk:T-B-COPY"), find_template("Kiosk:T-B")
    assert copy.name == "Kiosk:T-B-COPY"
    assert (copy.label_mm, copy.origins_mm) == (original.label_mm, original.origins_mm)
    assert all_templates()[("kiosk", "t-b-copy")] == copy


def test_labels_closer_than_their_size_are_laid_out_in_their_pitch(project_dir):
    """A label is never drawn over its neighbour, even where a template's pitch is up to 1 mm
    shorter than its label (gLabels' Hisago OP3015: 24 mm labels every 23 mm); more is refused
    (tests/printer/test_sheet_check.py)."""
    (project_dir / "test.xml").write_text(SHEET.format(part="D", width="96mm", dx="95mm"), encoding="utf-8")
    sheet = find_template("Kiosk:T-D")
    assert sheet.label_mm == (95.0, 24.0)
    for (x, y), (next_x, _) in zip(sheet.origins_mm[::2], sheet.origins_mm[1::2]):
        assert x + sheet.label_mm[0] <= next_x


def test_every_glabels_sheet_keeps_its_labels_apart():
    _require_glabels()
    for sheet in all_templates().values():
        width, height = sheet.label_mm
        for index, (x, y) in enumerate(sheet.origins_mm):
            for other_x, other_y in sheet.origins_mm[index + 1:index + 30]:
                overlap = min(x + width, other_x + width) - max(x, other_x) > 0.01 and \
                    min(y + height, other_y + height) - max(y, other_y) > 0.01
                assert not overlap, (sheet.name, (x, y), (other_x, other_y))


def test_shapes_the_kiosk_cannot_print_on_are_not_offered(project_dir):
    (project_dir / "test.xml").write_text(SHEET.format(part="C", width="20mm", dx="95mm"), encoding="utf-8")
    assert ("kiosk", "round") not in all_templates()
    with pytest.raises(TemplateNotFound):
        find_template("Kiosk:ROUND")


def test_an_unknown_sheet_says_how_to_name_one(project_dir):
    with pytest.raises(TemplateNotFound) as error:
        find_template("Hisago:ELM999")
    assert "ELM999" in str(error.value) and "BRAND:PART" in str(error.value)
    assert "ラベル用紙「Hisago:ELM999」が見つかりません" in error.value.ja


def test_the_projects_own_template_wins_over_glabels(project_dir):
    _require_glabels()
    assert find_template("Hisago:ELM006").label_mm == (86.4, 50.8)
    templates._lookup.cache_clear()
    own = SHEET.format(part="X", width="20mm", dx="95mm").replace('brand="Kiosk" part="T-X"', 'brand="Hisago" part="ELM006"')
    (project_dir / "override.xml").write_text(own, encoding="utf-8")
    assert find_template("Hisago:ELM006").label_mm == (20.0, 24.0)
    assert all_templates()[("hisago", "elm006")].label_mm == (20.0, 24.0)


def test_glabels_database_has_the_hisago_sheets_and_equivalents():
    _require_glabels()
    sheet = find_template("Hisago:ELM006")  # the benchmark anchor's sheet
    assert (sheet.per_sheet, sheet.label_mm, sheet.origins_mm[1]) == (10, (86.4, 50.8), (105.0, 21.2))
    assert find_template("Hisago:ELG006").origins_mm == sheet.origins_mm  # equiv="ELM006"
    assert len(all_templates()) > 1000


def test_the_quick_lookup_agrees_with_the_whole_database():
    """find_template parses only the one <Template> it needs; it must give what reading all the
    files gives, for every Hisago sheet and a sample of every other brand."""
    _require_glabels()
    database = all_templates()
    keys = [key for key in database if key[0] == "hisago"] + sorted(database)[::40]
    assert len(keys) > 60
    for key in keys:
        quick = templates._find_quickly(key)
        assert quick is None or quick == database[key], key
    assert sum(templates._find_quickly(key) is not None for key in keys) > len(keys) * 0.9
