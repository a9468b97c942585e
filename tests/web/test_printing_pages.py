"""Printing from the touch screen: at once, as a PDF sheet, and a printer that is off."""

import socket
from datetime import date

import pytest

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.printing.queue import jobs
from kiosk.settings import change_settings, set_staff_pin
from printer.templates import find_template
from tests.printer.zbar import decode_pdf


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """The kiosk's data directory is the test's folder: pdf: printers may write only inside it."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KIOSK_PDF_FOLDER", raising=False)
    return tmp_path


@pytest.fixture
def db(app):
    db = app.extensions["kiosk_db"]
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    register(db, 1, accession, [CopyRequest(Book("ぐりとぐら", classification="E", author_mark="ナ"), price=1100)] * 3,
             actor="t")
    return db


def _printer(db, url):
    """The one default printer, as a kiosk from before printers had names kept it."""
    with db.write() as session:
        change_settings(session, 1, "printing", {"printer": url}, actor="t")


def _printers(db, *urls, default=None):
    """Printers 1, 2… named プリンター1, プリンター2…; ``default`` one of the URLs."""
    printers = [{"id": i, "name": f"プリンター{i}", "url": url} for i, url in enumerate(urls, 1)]
    with db.write() as session:
        change_settings(session, 1, "printing", {"printers": printers, "printer": default or ""}, actor="t")


def test_labels_pdf_sheet_from_the_browser(client, db):
    response = client.get("/printing/labels.pdf?numbers=1001-1003&kind=barcode")
    assert response.mimetype == "application/pdf"
    assert {decode_item_code(d, ItemCodeSettings()) for _, d in decode_pdf(response.data)} == {1001, 1002, 1003}


def test_print_at_once_to_a_pdf_folder(client, db, tmp_path):
    _printer(db, f"pdf:{tmp_path}")
    response = client.post("/printing/print", data={"numbers": "1001-1003"})
    assert response.status_code == 302 and not jobs(db, 1)
    assert len(list(tmp_path.glob("labels-*.pdf"))) == 1


def test_without_a_printer_the_sheet_pdf_opens(client, db):
    response = client.post("/printing/print", data={"numbers": "1001-1002"})
    assert "/printing/labels.pdf" in response.headers["Location"]


def test_printer_off_keeps_the_job_and_retry_elsewhere_prints_it(client, db, tmp_path):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    _printers(db, f"zpl:tcp://127.0.0.1:{port}", f"pdf:{tmp_path}", default=f"zpl:tcp://127.0.0.1:{port}")
    response = client.post("/printing/print", data={"numbers": "1001"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "接続できません" in page and "失敗" in page
    assert '<option value="2">プリンター2</option>' in page  # another printer, by name
    (job,) = jobs(db, 1)
    client.post(f"/printing/jobs/{job.id}", data={"action": "retry", "printer": "2"})
    assert jobs(db, 1) == [] and len(list(tmp_path.glob("*.pdf"))) == 1


def test_printing_and_call_number_settings(client, db):
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    client.post("/staff/login", data={"pin": "2580", "next": "/settings/"})
    assert client.post("/settings/printing", data={"printer": "laser-in-the-office"}).status_code == 400
    assert client.post("/settings/printing", data={"spine_template": "Hisago:NOPE"}).status_code == 400
    assert client.post("/settings/printing", data={"printer": "cups:Brother", "spine_template": "Hisago:OP3015"}).status_code == 302
    assert client.post("/settings/callnumber", data={"digits": "0"}).status_code == 400
    assert client.post("/settings/callnumber", data={"digits": "1", "mark_length": "2", "volume_tier": "on"}).status_code == 302
    page = client.get("/settings/").get_data(as_text=True)
    assert 'value="cups:Brother"' in page and 'name="volume_tier" checked' in page


def test_label_colours_set_on_screen_colour_the_printed_labels(client, db, tmp_path):
    from printer.labels import DEFAULT_PALETTE
    from tests.printer.test_label_colours import close, first_label_pixels

    def top_and_corner() -> tuple:
        label = first_label_pixels(client.get("/printing/labels.pdf?numbers=1001&kind=spine").data, "Hisago:OP3015", tmp_path)
        return label.getpixel((label.width // 2, 2)), label.getpixel((3, label.height - 3))

    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    client.post("/staff/login", data={"pin": "2580", "next": "/settings/"})
    bad = client.post("/settings/printing", data={"colour": "band", "palette": "E=ピンク"})
    assert bad.status_code == 400 and "分類=#rrggbb" in bad.get_data(as_text=True)
    assert client.post("/settings/printing", data={"colour": "rainbow"}).status_code == 400
    assert close(top_and_corner()[0], DEFAULT_PALETTE["E"])  # ぐりとぐら is E: the default pink band
    assert client.post("/settings/printing", data={"colour": "band", "palette": "E=#000080"}).status_code == 302
    page = client.get("/settings/").get_data(as_text=True)
    assert 'value="E=#000080"' in page and '<option value="band" selected>' in page
    assert close(top_and_corner()[0], "#000080")
    client.post("/settings/printing", data={"colour": "background", "palette": "E=#000080"})
    top, corner = top_and_corner()
    assert close(top, "#b3b3d9") and close(corner, "#b3b3d9")  # the whole label pale navy


def test_copy_page_previews_and_reprints_its_labels(client, db, tmp_path):
    page = client.get("/copies/1002").get_data(as_text=True)
    assert "/printing/preview/1002-spine.png" in page and "印刷し直す" in page
    preview = client.get("/printing/preview/1002-barcode.png")
    assert preview.mimetype == "image/png"
    png = tmp_path / "preview.png"
    png.write_bytes(preview.data)
    from tests.printer.zbar import decode_images

    (kind, data), = decode_images([png])
    assert decode_item_code(data, ItemCodeSettings()) == 1002
    assert client.get("/printing/preview/1002-poster.png").status_code == 404
    _printer(db, f"pdf:{tmp_path / 'out'}")
    client.post("/printing/print", data={"numbers": "1002"})
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1


def _first_dark_column(pdf: bytes, tmp_path) -> int:
    import subprocess

    from PIL import Image

    (tmp_path / "p.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", str(tmp_path / "p.pdf"), str(tmp_path / "p")],
                   check=True)
    image = Image.open(tmp_path / "p.png").convert("L")
    width, height = image.size
    pixels = image.load()
    return min(x for y in range(0, height, 4) for x in range(width) if pixels[x, y] < 200)


def test_printer_offset_moves_labels_and_the_test_page(client, db, tmp_path):
    before = _first_dark_column(client.get("/printing/test-page.pdf").data, tmp_path)
    labels_before = _first_dark_column(client.get("/printing/labels.pdf?numbers=1001&kind=barcode").data, tmp_path)
    with db.write() as session:
        change_settings(session, 1, "printing", {"offset_x_mm": 2.54}, actor="t")  # 10 px at 100 dpi
    assert _first_dark_column(client.get("/printing/test-page.pdf").data, tmp_path) - before == 10
    assert _first_dark_column(client.get("/printing/labels.pdf?numbers=1001&kind=barcode").data, tmp_path) - labels_before == 10
    from kiosk.errors import KioskError

    with pytest.raises(KioskError):
        with db.write() as session:
            change_settings(session, 1, "printing", {"offset_y_mm": 50}, actor="t")


def test_the_spine_preview_is_in_colour_for_a_sheet_printer_and_black_for_a_roll(client, db, tmp_path):
    import io

    from PIL import Image

    from printer.labels import DEFAULT_PALETTE
    from tests.printer.test_label_colours import close

    def band_pixel():
        image = Image.open(io.BytesIO(client.get("/printing/preview/1001-spine.png").data)).convert("RGB")
        return image.getpixel((image.width // 2, 2))

    assert close(band_pixel(), DEFAULT_PALETTE["E"])  # no printer set: the PDF sheet, in colour
    _printer(db, "zpl:tcp://192.0.2.10:9100")
    assert band_pixel() == (0, 0, 0)  # a thermal roll prints the band black


def test_each_sheet_printer_keeps_its_own_calibration(client, db, tmp_path):
    """Offsets typed on the settings screen belong to the printer set there; another printer
    gets its own (none until calibrated), and switching back brings the first one's back."""
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    client.post("/staff/login", data={"pin": "2580", "next": "/settings/"})
    office, lab = tmp_path / "office", tmp_path / "lab"
    unmoved = _first_dark_column(client.get("/printing/labels.pdf?numbers=1001&kind=barcode").data, tmp_path)

    def settings(default, x, **added):
        form = {"default_printer": default, "offset_x_mm": str(x), "offset_y_mm": "0", **added}
        assert client.post("/settings/printing", data=form).status_code == 302

    def printed_shift(folder, printer="") -> int:
        client.post("/printing/print", data={"numbers": "1001", "kind": "barcode", "printer": printer})
        newest = max(folder.glob("labels-*.pdf"), key=lambda path: path.stat().st_mtime_ns)
        shift = _first_dark_column(newest.read_bytes(), tmp_path) - unmoved
        for path in folder.glob("labels-*.pdf"):
            path.unlink()
        return shift

    settings("new", 2.54, new_printer_name="事務室", new_printer_url=f"pdf:{office}")  # 10 px at 100 dpi: printer 1
    assert printed_shift(office) == 10
    # The office's figure still in the field: not typed for the lab (printer 2).
    settings("new", 2.54, new_printer_name="図書室", new_printer_url=f"pdf:{lab}")
    assert printed_shift(lab) == 0
    settings("2", 5.08)
    assert printed_shift(lab) == 20
    settings("1", 5.08)
    assert printed_shift(office) == 10
    assert printed_shift(lab, printer="2") == 20  # sent to the lab by its id: the lab's own
    page = client.get("/settings/").get_data(as_text=True)
    assert 'name="offset_x_mm" value="2.54"' in page and f"pdf:{lab}（左右 5.08" in page
    assert _first_dark_column(client.get("/printing/test-page.pdf").data, tmp_path) - _first_dark_column(
        client.get("/printing/test-page.pdf?printer=2").data, tmp_path) == -10


def test_labels_kept_for_later_come_out_on_one_sheet(client, db, tmp_path):
    """Two small deliveries' labels kept for later, then printed together from the 印刷 screen on
    a partly used sheet; the queue empties only when staff say the sheet printed."""
    import subprocess

    for numbers, kind in (("1001-1002", "both"), ("1003", "barcode")):
        assert client.post("/printing/later", data={"numbers": numbers, "kind": kind}).status_code == 302
    page = client.get("/printing/").get_data(as_text=True)
    first, second = (job.id for job in jobs(db, 1))
    assert "あとでシートに印刷: 3冊分" in page and f'name="jobs" value="{first},{second}"' in page
    pdf = client.get(f"/printing/collected.pdf?jobs={first},{second}&start=7").data
    assert sorted(decode_item_code(d, ItemCodeSettings()) for _, d in decode_pdf(pdf)) == [1001, 1002, 1003]
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    assert pages[0].split() == ["E", "ナ", "E", "ナ"]  # the spine sheet: 1001 and 1002 only (1003 wanted a barcode)
    # Position 7 of Hisago OP3015 (6 across) is the first of the second row: one row lower than position 1.
    unused = client.get(f"/printing/collected.pdf?jobs={first},{second}&start=1").data
    (tmp_path / "unused.pdf").write_bytes(unused)
    origins = find_template("Hisago:OP3015").origins_mm
    row_pitch_pt = (origins[6][1] - origins[0][1]) * 72 / 25.4
    assert _first_word_top(tmp_path / "sheet.pdf") - _first_word_top(tmp_path / "unused.pdf") == pytest.approx(row_pitch_pt, abs=0.5)
    bad = client.get(f"/printing/collected.pdf?jobs={first},{second}&start=X")  # the keypad has an X key
    assert bad.status_code == 400 and "開始位置は数字で" in bad.get_data(as_text=True)
    assert len(jobs(db, 1)) == 2  # opening the PDF changes nothing
    client.post("/printing/collected/printed", data={"jobs": f"{first},{second}"})
    assert jobs(db, 1) == [] and "あとでシートに印刷" not in client.get("/printing/").get_data(as_text=True)


def _first_word_top(pdf) -> float:
    """The top (points from the page's top) of the first word poppler finds on page 1."""
    import re
    import subprocess

    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return float(re.search(r'<word xMin="[\d.]+" yMin="([\d.]+)"', html).group(1))


def test_the_processing_checklist_from_the_screen(client, db, tmp_path):
    import subprocess

    response = client.get("/printing/checklist.pdf?numbers=1001-1003")
    assert response.mimetype == "application/pdf"
    (tmp_path / "checklist.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "checklist.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert [line.split()[:3] for line in text.splitlines() if line.strip().startswith("100")] == [
        ["1001", "E", "ナ"], ["1002", "E", "ナ"], ["1003", "E", "ナ"]]
    missing = client.get("/printing/checklist.pdf?numbers=1001-1004")
    assert missing.status_code == 404 and "登録番号 1004 の本はありません" in missing.get_data(as_text=True)
    garbled = client.get("/printing/checklist.pdf?numbers=10O1")
    assert garbled.status_code == 400 and "登録番号か範囲" in garbled.get_data(as_text=True)


def test_the_checklist_steps_set_on_screen(client, db):
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    client.post("/staff/login", data={"pin": "2580", "next": "/settings/"})
    assert client.post("/settings/processing", data={"steps": "蔵書印、ブッカー、ラベル"}).status_code == 302
    assert 'value="蔵書印、ブッカー、ラベル"' in client.get("/settings/").get_data(as_text=True)
    refused = client.post("/settings/processing", data={"steps": "、".join(f"項目{i}" for i in range(9))})
    assert refused.status_code == 400 and "装備の項目は1〜8個" in refused.get_data(as_text=True)
    assert 'value="蔵書印、ブッカー、ラベル"' in client.get("/settings/").get_data(as_text=True)
