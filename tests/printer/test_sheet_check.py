"""Every label sheet is checked when it is read: labels on the page, none over another, counts
and pitches that agree. A sheet that fails is refused with the reason (Japanese on the screen,
a precise log line), never laid out; small bad templates written here, and the real faults of
gLabels' database and the shipped sources."""

import logging
import re

import pytest

import printer.templates as templates
from printer.sheet_check import Grid, SheetFault, lay_out
from printer.sheets import convert
from printer.templates import TemplateRefused, all_templates, find_template, refused_templates
from tests.printer.test_printing import kiosk  # noqa: F401 (a fixture)

GLABELS_HISAGO = templates.GLABELS_DIRS[0] / "hisago-templates.xml"

TEMPLATE = """<?xml version="1.0"?>
<Glabels-templates>
  <Template brand="Kiosk" part="{part}" {page} _description="a bad sheet">
    <Label-rectangle id="0" width="{width}" height="{height}" round="1mm">
      {layouts}
    </Label-rectangle>
  </Template>
  <Template brand="Kiosk" part="{part}-COPY" equiv="{part}"/>
</Glabels-templates>
"""


@pytest.fixture
def write(tmp_path, monkeypatch):
    """Write one template into an empty printer/templates/ (every cache emptied around it)."""
    def clear():
        for cached in (templates.all_templates, templates.refused_templates, templates._read_file, templates._lookup):
            cached.cache_clear()

    def write(part, layouts, *, width="48.3mm", height="25.4mm", page='size="A4"'):
        (tmp_path / f"{part}.xml").write_text(
            TEMPLATE.format(part=part, page=page, width=width, height=height, layouts=layouts), encoding="utf-8")
        clear()
        return f"Kiosk:{part}"

    monkeypatch.setattr(templates, "PROJECT_DIR", tmp_path)
    clear()
    yield write
    clear()


def _refused(name, caplog) -> TemplateRefused:
    with caplog.at_level(logging.WARNING, logger="printer.templates"), pytest.raises(TemplateRefused) as error:
        find_template(name)
    key = tuple(name.lower().split(":"))
    assert key not in all_templates() and key in refused_templates()
    (line,) = [r.getMessage() for r in caplog.records if r.name == "printer.templates"]
    assert line == f"label sheet {name} refused: {refused_templates()[key].reason}"
    assert error.value.ja.startswith(f"ラベル用紙「{name}」は使えません: ") and error.value.ja.endswith("別の用紙を選んでください")
    caplog.clear()
    return error.value


def test_labels_off_the_page_are_refused(write, caplog):
    """Four 83.8 mm columns on A4, as gLabels 3.4.1 has Hisago OP3010."""
    name = write("WIDE", '<Layout nx="4" ny="12" x0="19.3mm" y0="21.5mm" dx="87.6mm" dy="21.2mm"/>',
                 width="83.8mm", height="21.2mm")
    error = _refused(name, caplog)
    assert str(error) == ("label sheet Kiosk:WIDE cannot be printed on: label 3 at (194.5, 21.5) mm is off the "
                          "210 × 297 mm page (the labels reach 365.9 × 275.9 mm)")
    assert "ラベルが用紙（210×297mm）からはみ出しています（3枚目から。右下の端は 365.9×275.9mm）" in error.ja
    assert "はみ出しています" in _refused("Kiosk:WIDE-COPY", caplog).ja  # its equivalent too


def test_labels_above_or_left_of_the_page_are_refused(write, caplog):
    name = write("LEFT", '<Layout nx="2" ny="2" x0="-5mm" y0="10mm" dx="50mm" dy="30mm"/>')
    assert "label 1 at (-5, 10) mm is off the 210 × 297 mm page" in str(_refused(name, caplog))


def test_within_a_millimetre_of_the_edge_is_rounding(write):
    name = write("EDGE", '<Layout nx="4" ny="11" x0="9.3mm" y0="8.8mm" dx="48.3mm" dy="25.4mm"/>')  # ends at 210.9
    assert find_template(name).per_sheet == 44


def test_layouts_that_put_labels_over_each_other_are_refused(write, caplog):
    name = write("OVER", '<Layout nx="2" ny="2" x0="10mm" y0="10mm" dx="50mm" dy="30mm"/>'
                         '<Layout nx="1" ny="1" x0="30mm" y0="20mm" dx="0" dy="0"/>')
    error = _refused(name, caplog)
    assert "labels 1 and 3 overlap (at (10, 10) and (30, 20) mm)" in str(error)  # reading order
    assert "1枚目と3枚目のラベルが重なっています" in error.ja


def test_two_layouts_giving_the_same_places_do_not_count_twice(write, caplog):
    """A <Layout> repeated whole is one set of labels (gLabels' double-sided cards); different
    layouts that put labels on the same places disagree with their counts."""
    assert find_template(write("TWICE", '<Layout nx="2" ny="2" x0="10mm" y0="10mm" dx="50mm" dy="30mm"/>' * 2)).per_sheet == 4
    name = write("SAME", '<Layout nx="2" ny="2" x0="10mm" y0="10mm" dx="50mm" dy="30mm"/>'
                         '<Layout nx="1" ny="1" x0="10mm" y0="10mm" dx="0" dy="0"/>')
    error = _refused(name, caplog)
    assert "5 labels are laid out but only 4 places differ" in str(error) and "枚数（5）と位置の数（4）が合いません" in error.ja


def test_a_pitch_shorter_than_the_label_is_refused_past_a_millimetre(write, caplog):
    name = write("PITCH", '<Layout nx="4" ny="11" x0="8mm" y0="8mm" dx="45mm" dy="25.4mm"/>')
    error = _refused(name, caplog)
    assert "labels 48.3 mm wide every 45 mm across: each would lie over the next" in str(error)
    assert "ラベル（横 48.3mm）の間隔が 45mm しかなく、隣のラベルと重なります" in error.ja
    one_mm = write("ONEMM", '<Layout nx="2" ny="10" x0="30mm" y0="15mm" dx="26mm" dy="23mm"/>', width="20mm", height="24mm")
    assert find_template(one_mm).label_mm == (20.0, 23.0)  # as Hisago OP3015: laid out in the pitch


@pytest.mark.parametrize("layout, en, ja", [
    ('<Layout nx="3" ny="2" x0="10mm" y0="10mm" dx="0" dy="30mm"/>', "3 labels across with a pitch of 0 mm", "横の間隔（0mm）"),
    ('<Layout nx="0" ny="2" x0="10mm" y0="10mm" dx="50mm" dy="30mm"/>', "0 labels across: at least 1", "横の枚数（0）"),
    ('<Layout nx="2" ny="2" x0="10mm" y0="10mm" dx="50mm" dy="-30mm"/>', "2 labels down with a pitch of -30 mm", "縦の間隔（-30mm）"),
    ('', "no labels are laid out", "ラベルの配置がありません"),
    ('<Layout nx="2" ny="2" x0="ten" y0="10mm" dx="50mm" dy="30mm"/>', "unreadable figures: not a length: 'ten'", "寸法が読めません"),
])
def test_counts_and_pitches_that_cannot_be_are_refused(write, caplog, layout, en, ja):
    error = _refused(write("GRID", layout), caplog)
    assert en in str(error) and ja in error.ja


def test_a_page_or_label_that_is_not_one_is_refused(write, caplog):
    assert "paper size 'SRA4' is not one the kiosk knows" in str(_refused(write("PAPER", "", page='size="SRA4"'), caplog))
    label = write("ZERO", '<Layout nx="1" ny="1" x0="0" y0="0" dx="0" dy="0"/>', width="0mm")
    assert "ラベルの大きさ（0×25.4mm）が正しくありません" in _refused(label, caplog).ja
    page = write("NOPAGE", '<Layout nx="1" ny="1" x0="0" y0="0" dx="0" dy="0"/>', page='size="Other" width="0mm" height="100mm"')
    assert "page size 0 × 100 mm is not a page" in str(_refused(page, caplog))


def test_the_lay_out_itself_agrees_with_what_the_loader_reads():
    label, origins = lay_out((210.0, 297.0), (48.3, 25.4), [Grid(4, 11, 8.4, 8.8, 48.3, 25.4)])
    assert label == (48.3, 25.4) and len(origins) == 44 and origins[4] == (8.4, 8.8 + 25.4)
    with pytest.raises(SheetFault):
        lay_out((210.0, 297.0), (48.3, 25.4), [Grid(5, 11, 8.4, 8.8, 48.3, 25.4)])


def test_every_shipped_template_passes():
    """The Japanese sheets the kiosk ships: each one read and laid out, none refused."""
    shipped = [path for path in convert.OUTPUT.glob("*.xml")]
    assert len(shipped) == 3
    names = set()
    for path in shipped:
        sheets, equivalents = templates._read_file(path)
        assert not [s for s in sheets.values() if isinstance(s, templates.RefusedSheet)], path.name
        names |= set(sheets) | set(equivalents)
    assert len(names) == 247
    assert names <= set(all_templates()) and not names & set(refused_templates())


def test_the_sources_known_faults_are_handled():
    """As the label-sheets README lists them: refused, or corrected as documented."""
    (lo,) = [o for o in convert.outputs() if o.filename == "libreoffice-ja-templates.xml"]
    assert dict(lo.left_out)["A-one:29233"].startswith("label 15 at (20, 276) mm is off the 210 × 297 mm page")
    assert find_template("Kihara:60690-6").page_mm == (210.0, 297.0)  # enju_trunk: 290
    assert find_template("A-one:28197").page_mm == (297.0, 210.0)  # "A4L": landscape, as given
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed")
    assert find_template("Hisago:OP3015").label_mm == (20.0, 23.0)  # 24 mm labels every 23 mm
    assert find_template("Hisago:OP869").origins_mm[0] == (20.3, 20.3)  # gLabels', not LibreOffice's 20
    gb865 = find_template("Hisago:GB865")  # gLabels' B4: JIS, which its 6 × 42.83 mm columns fill
    assert gb865.page_mm == (257.0, 364.0) and gb865.per_sheet == 24


def test_the_glabels_database_sheets_that_are_refused():
    """gLabels 3.4.1's own faults, found by the check; a new glabels-data shows here."""
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed")
    refused = {sheet.name: sheet.reason for sheet in refused_templates().values()}
    assert set(refused) == {
        "Hisago:ELM024", "Hisago:OP3005", "Hisago:OP3010",  # rows or columns that cannot fit A4
        "Rayfilm:7001", "Endisch:B200147A5", "Connect:KF10647", "JAC:10542", "PEARL:VM-5217", "PEARL:VM-5517",
        "Endisch:SRA3450320", "Rayfilm:SRA3",  # SRA3, a paper size the kiosk does not print on
        "Zweckform:3490",  # x0=""
    }
    assert re.fullmatch(r"label 3 at \(194\.5, 21\.5\) mm is off the 210 × 297 mm page .*", refused["Hisago:OP3010"])
    assert len(all_templates()) > 1700


def test_kiosk_labels_refuses_a_sheet_with_the_reason_and_prints_nothing(kiosk, tmp_path):  # noqa: F811
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed")
    output = tmp_path / "labels.pdf"
    result = kiosk("labels", "1001", "--kind", "barcode", "--template", "Hisago:OP3010", "--output", str(output), expect=2)
    assert "ラベル用紙「Hisago:OP3010」は使えません: ラベルが用紙（210×297mm）からはみ出しています" in result.stderr
    assert not output.exists()
