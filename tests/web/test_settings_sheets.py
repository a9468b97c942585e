"""設定 → ラベルの印刷, the label sheet by its package number (web.settings.sheets, .sheet,
.choose_sheet; printer.sheet_drawing): typing 28368 lists エーワン 44面, its card draws the 44
labels to scale with no inline style or script, choosing it sets the sheet, a refused sheet
shows its Japanese reason and is never printed, and labels on it keep the start position."""

import re
import subprocess
import tempfile
import zlib
from datetime import date
from pathlib import Path

import pytest

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.settings import settings_for
from printer.sheet_drawing import layout_svg, sheet_view
from printer.templates import find_template, refused_templates
from tests.printer.zbar import decode_images, require_tools
from tests.web.test_settings_choices import settings_page

REFUSED = "Endisch:SRA3450320"  # gLabels' SRA3 sheet: a paper size the kiosk does not know


def printing(app):
    with app.extensions["kiosk_db"].read() as session:
        return settings_for(session, 1).printing


def test_typing_the_package_number_lists_the_sheet(client, app):
    settings_page(client, app)
    found = client.get("/settings/sheets?q=28368&partial=1").get_data(as_text=True)
    first = re.search(r'<a class="card sheet-pick"[^>]*data-name="([^"]+)">(.*?)</a>', found, re.S)
    assert first.group(1) == "A-one:28368"
    assert re.sub(r"\s+", " ", first.group(2)).strip() == "<strong>エーワン 28368</strong> <span class=\"sheet-count\">44面</span> <span class=\"sheet-size\">48.3×25.4mm</span>"
    assert "<html" not in found  # the list alone, for the search field
    whole = client.get("/settings/sheets?q=28368").get_data(as_text=True)
    assert "<html" in whole and "A-one:28368" in whole  # without the script: a page of its own
    assert "に当たる用紙はありません" in client.get("/settings/sheets?q=zz99999&partial=1").get_data(as_text=True)


def test_the_card_draws_every_label_to_scale_with_no_inline_style_or_script(client, app):
    settings_page(client, app)
    card = client.get("/settings/sheet?name=A-one:28368&partial=1").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", card, re.S).group(0)
    assert 'viewBox="0 0 210 297"' in svg  # the page in millimetres: A4
    labels = re.findall(r'<rect class="label" data-position="(\d+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    sheet = find_template("A-one:28368")
    assert [int(p) for p, *_ in labels] == list(range(1, 45))
    assert [(float(x), float(y)) for _, x, y, _, _ in labels] == [(round(x, 2), round(y, 2)) for x, y in sheet.origins_mm]
    assert {(float(w), float(h)) for *_, w, h in labels} == {(48.3, 25.4)}
    assert "style" not in card and "<script" not in card and " on" not in re.sub(r'"[^"]*"', '""', card)
    assert 'action="/settings/sheet"' in card and 'href="/printing/test-page.pdf?template=A-one:28368"' in card


def test_choosing_a_sheet_sets_it_and_the_settings_screen_draws_it(client, app):
    settings_page(client, app)
    answer = client.post("/settings/sheet", data={"role": "barcode", "name": "a-one:28368"})
    assert answer.status_code == 302 and printing(app).barcode_template == "A-one:28368"
    client.post("/settings/sheet", data={"role": "spine", "name": "Kihara:606-906"})
    assert printing(app).spine_template == "Kihara:606-906"
    page = client.get("/settings/").get_data(as_text=True)
    assert 'id="sheet-card-A-one-28368"' in page and 'id="sheet-card-Kihara-606-906"' in page
    assert page.count('class="label"') == 44 + 36


def test_a_refused_sheet_shows_its_reason_and_is_never_printed(client, app, caplog):
    assert REFUSED.lower().split(":") == list(next(k for k in refused_templates() if k == tuple(REFUSED.lower().split(":"))))
    settings_page(client, app)
    card = client.get(f"/settings/sheet?name={REFUSED}&partial=1").get_data(as_text=True)
    assert "用紙サイズ「SRA3」が分かりません" in card and "<svg" not in card and "test-page" not in card
    assert "使えません" in client.get("/settings/sheets?q=SRA3450320&partial=1").get_data(as_text=True)
    before = printing(app)
    answer = client.post("/settings/sheet", data={"role": "barcode", "name": REFUSED})
    assert answer.status_code == 400 and "用紙サイズ「SRA3」が分かりません" in answer.get_data(as_text=True)
    assert printing(app) == before
    assert f"label sheet {REFUSED} refused: paper size 'SRA3'" in caplog.text
    test_page = client.get(f"/printing/test-page.pdf?template={REFUSED}")
    assert test_page.status_code == 400 and not test_page.data.startswith(b"%PDF")
    wrong_role = client.post("/settings/sheet", data={"role": "cover", "name": "A-one:28368"})
    assert wrong_role.status_code == 400 and "ラベルの種類が正しくありません" in wrong_role.get_data(as_text=True)
    assert "label role must be one of spine, barcode, not 'cover'" in caplog.text


def test_the_outline_test_page_is_the_chosen_sheets(client, app):
    settings_page(client, app)
    pdf = client.get("/printing/test-page.pdf?template=A-one:28368").data
    assert pdf.startswith(b"%PDF") and _page_operators(pdf).count(" re S") == 44  # 44 outlines, nothing else


def _page_operators(pdf: bytes) -> str:
    streams = re.findall(rb"/FlateDecode[^>]*>>\s*stream\r?\n(.*?)endstream", pdf, re.S)
    return "".join(zlib.decompress(stream).decode("latin-1", "replace") for stream in streams)


def test_sheet_view_of_an_unknown_name_says_so():
    view = sheet_view("Nowhere:123")
    assert not view.printable and "見つかりません" in view.refused_ja
    assert layout_svg(find_template("Kihara:606-906")).count('class="label"') == 36


@pytest.mark.parametrize("name", ["A-one:28368", "Kihara:606-906"])
def test_labels_printed_from_label_five_land_on_five_six_and_seven(client, app, name):
    """The start position on the new sheets: three barcode labels from position 5 (a sheet
    with four used) are in labels 5, 6 and 7 and nowhere else, each decoding with zbar."""
    require_tools()
    settings_page(client, app)
    client.post("/settings/sheet", data={"role": "barcode", "name": name})
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    numbers = [copy.number for copy in register(app.extensions["kiosk_db"], 1, accession,
                                                [CopyRequest(Book("ぐりとぐら"), price=1100)] * 3, actor="t").copies]
    answer = client.get(f"/printing/labels.pdf?numbers={numbers[0]}-{numbers[-1]}&kind=barcode&start=5")
    assert answer.status_code == 200
    sheet = find_template(name)
    found = {position: _decode_label(answer.data, sheet, position) for position in range(1, 9)}
    assert found == {1: [], 2: [], 3: [], 4: [], 5: [numbers[0]], 6: [numbers[1]], 7: [numbers[2]], 8: []}


def _decode_label(pdf: bytes, sheet, position: int, dpi: int = 300) -> list[int]:
    """The item numbers zbar reads inside label ``position``'s rectangle of the first page."""
    x, y = sheet.origins_mm[position - 1]
    width, height = sheet.label_mm
    px = dpi / 25.4
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labels.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1",
                        "-x", str(round(x * px)), "-y", str(round(y * px)), "-W", str(round(width * px)),
                        "-H", str(round(height * px)), str(path), str(Path(tmp) / "label")], check=True)
        return [decode_item_code(data, ItemCodeSettings()) for _, data in decode_images(sorted(Path(tmp).glob("label*.png")))]
