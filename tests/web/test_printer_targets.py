"""Issue 12: a request at the kiosk names a printer only by its id among those staff configured;
hostile printer values, files and addresses in every route and form, through the real app."""

import re
import socket
import threading
from datetime import date

import pytest

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.printing.queue import enqueue, jobs
from kiosk.printing_settings import ConfiguredPrinter
from kiosk.settings import change_settings, set_staff_pin, settings_for


class Listener:
    """A TCP server on 127.0.0.1 that only counts who connects: no printer may be reached."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port, self.connections, self.running = self.server.getsockname()[1], 0, True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    where = tmp_path / "data"
    where.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(where))
    monkeypatch.delenv("KIOSK_PDF_FOLDER", raising=False)
    return where


@pytest.fixture
def db(app):
    db = app.extensions["kiosk_db"]
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    register(db, 1, accession, [CopyRequest(Book("ぐりとぐら", classification="E", author_mark="ナ"), price=1100)] * 2,
             actor="t")
    return db


def _printers(db, *urls, default=""):
    printers = [{"id": i, "name": f"プリンター{i}", "url": url} for i, url in enumerate(urls, 1)]
    with db.write() as session:
        change_settings(session, 1, "printing", {"printers": printers, "printer": default}, actor="t")


def _stored(db, **printing):
    """Printing settings written straight into the database, past every check (an old kiosk's)."""
    from kiosk.events import now
    from kiosk.db.models import LibrarySettings

    with db.write() as session:
        row = session.get(LibrarySettings, 1)
        data = dict(row.data) if row else {}
        data["printing"] = {**data.get("printing", {}), **printing}
        if row is None:
            session.add(LibrarySettings(library_id=1, data=data, updated_at=now()))
        else:
            row.data = data


def _staff(client, db):
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    client.post("/staff/login", data={"pin": "2580", "next": "/settings/"})


def _files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def hostile_printers(tmp_path, port) -> list[str]:
    return [f"pdf:{tmp_path / 'anywhere'}", "pdf:../../..", "pdf:../outside", f"zpl:tcp://127.0.0.1:{port}",
            f"ipp://127.0.0.1:{port}/ipp/print", f"brother-ql:tcp://127.0.0.1:{port}", f"cups://127.0.0.1:{port}/Q",
            "cups:Office", "99", "0", "-1", "1 OR 1=1", "1.0", "１", "abc"]


def test_print_takes_only_a_configured_printers_id(client, db, tmp_path, data_dir, listener):
    _printers(db, f"pdf:{data_dir / 'labels'}", default="")
    before = _files(tmp_path)
    for hostile in hostile_printers(tmp_path, listener.port):
        response = client.post("/printing/print", data={"numbers": "1001", "printer": hostile})
        assert response.status_code == 400, hostile
        assert "そのプリンターは設定にありません" in response.get_data(as_text=True)
    assert jobs(db, 1) == [] and listener.connections == 0
    assert _files(tmp_path) == before
    assert not (tmp_path / "anywhere").exists() and not (data_dir / "labels").exists()
    assert not (tmp_path.parent / "outside").exists()
    ok = client.post("/printing/print", data={"numbers": "1001", "printer": "1"})
    assert ok.status_code == 302 and len(list((data_dir / "labels").glob("labels-*.pdf"))) == 1


def test_without_a_printer_field_the_default_or_the_browser(client, db, data_dir):
    assert "/printing/labels.pdf" in client.post("/printing/print", data={"numbers": "1001"}).headers["Location"]
    refused = client.post("/printing/print", data={"numbers": "1001", "printer": "1"})  # none configured
    assert refused.status_code == 400 and "そのプリンターは設定にありません" in refused.get_data(as_text=True)
    _printers(db, f"pdf:{data_dir / 'a'}", f"pdf:{data_dir / 'b'}", default=f"pdf:{data_dir / 'b'}")
    client.post("/printing/print", data={"numbers": "1001"})
    assert not (data_dir / "a").exists() and len(list((data_dir / "b").glob("*.pdf"))) == 1


def test_a_retry_sends_elsewhere_only_by_id(client, db, tmp_path, data_dir, listener):
    _printers(db, f"pdf:{data_dir / 'labels'}")
    job = enqueue(db, 1, [1001], printer=f"zpl:tcp://127.0.0.1:9", actor="t")  # a printer that is off
    for hostile in hostile_printers(tmp_path, listener.port):
        response = client.post(f"/printing/jobs/{job}", data={"action": "retry", "printer": hostile})
        assert response.status_code == 400 and "そのプリンターは設定にありません" in response.get_data(as_text=True)
    (waiting,) = jobs(db, 1)
    assert waiting.printer == "zpl:tcp://127.0.0.1:9" and waiting.attempts == 0 and listener.connections == 0
    assert not (tmp_path / "anywhere").exists()
    client.post(f"/printing/jobs/{job}", data={"action": "retry", "printer": "1"})
    assert jobs(db, 1) == [] and len(list((data_dir / "labels").glob("*.pdf"))) == 1


def test_a_job_whose_printer_is_no_longer_allowed_is_not_sent_from_the_screen(client, db, tmp_path, data_dir):
    """A job queued by the command line (``kiosk print --printer``, any URL) or before issue 12:
    retried from the screen on its own printer, it is checked like a configured one."""
    outside = tmp_path / "outside"
    job = enqueue(db, 1, [1001], printer=f"pdf:{outside}", actor="t")
    response = client.post(f"/printing/jobs/{job}", data={"action": "retry"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "PDFの保存先はキオスクのフォルダ" in page and not outside.exists()
    (failed,) = jobs(db, 1)
    assert failed.status == "failed" and "PDFの保存先" in failed.last_error_ja


def test_an_old_kiosks_printer_is_printer_1_and_checked_before_use(client, db, tmp_path, data_dir):
    _stored(db, printer=f"pdf:{data_dir / 'old'}")
    page = client.get("/copies/1001").get_data(as_text=True)
    assert '<option value="1" selected>プリンター</option>' in page
    client.post("/printing/print", data={"numbers": "1001", "printer": "1"})
    assert len(list((data_dir / "old").glob("*.pdf"))) == 1
    _stored(db, printer=f"pdf:{tmp_path / 'home-kiosk-labels'}")  # saved before issue 12, outside the data
    response = client.post("/printing/print", data={"numbers": "1001"})
    assert response.status_code == 400 and "は使えません" in response.get_data(as_text=True)
    assert not (tmp_path / "home-kiosk-labels").exists() and jobs(db, 1) == []


def test_the_calibration_page_names_its_printer_by_id(client, db, tmp_path, listener):
    assert client.get("/printing/test-page.pdf").mimetype == "application/pdf"
    for hostile in (f"pdf:{tmp_path}", f"zpl:tcp://127.0.0.1:{listener.port}", "7"):
        assert client.get("/printing/test-page.pdf", query_string={"printer": hostile}).status_code == 400


def test_print_forms_offer_configured_printers_by_name_never_a_url(client, db, app, data_dir):
    from kiosk.lookup.cache import DatabaseCache
    from kiosk.lookup import BibRecord

    _printers(db, f"pdf:{data_dir / 'a'}", "cups:Office", default="cups:Office")
    enqueue(db, 1, [1001], printer="zpl:tcp://127.0.0.1:9", actor="t")
    printing = client.get("/printing/").get_data(as_text=True)
    copy = client.get("/copies/1001").get_data(as_text=True)
    DatabaseCache(db).put(BibRecord(isbn13="9784033280103", title="はらぺこあおむし", source="ndl", price=1200))
    started = client.post("/deliveries/", data={"source": "ひまわり書店", "received_on": "2026-11-20",
                                                "kind": "purchase"})
    intake = re.search(r"/deliveries/(\d+)", started.headers["Location"]).group(1)
    item = client.post(f"/deliveries/{intake}/scans", json={"code": "9784033280103"}).get_json()["item"]["id"]
    client.post(f"/deliveries/{intake}/items/{item}", data={"inspection": "ok"})
    from tests.web.test_delivery_pages import second_confirmation

    asked = client.post(f"/deliveries/{intake}/register")  # no class, no reading: the second confirmation
    registered = client.post(f"/deliveries/{intake}/register", data=second_confirmation(asked)).get_data(as_text=True)
    assert "登録しました" in registered
    for page in (copy, registered):
        assert '<select name="printer"' in page and '<option value="2" selected>プリンター2</option>' in page
        assert '<option value="1" >プリンター1</option>' in page
    assert '<select name="printer"' in printing and '<option value="1">プリンター1</option>' in printing
    assert "既定のプリンター: <strong id=\"default-printer\">プリンター2" in printing
    for page in (printing, copy, registered):
        assert 'input name="printer"' not in page and "cups:Office" not in page and str(data_dir) not in page


def test_printer_settings_need_staff(client, db, tmp_path):
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    for form in ({"printer": f"pdf:{tmp_path}"}, {"default_printer": "new", "new_printer_name": "x",
                                                   "new_printer_url": f"pdf:{tmp_path}"}):
        assert client.post("/settings/printing", data=form).status_code == 403
    with db.read() as session:
        printing = settings_for(session, 1).printing
    assert printing.printer == "" and printing.printers == ()


HOSTILE_URLS = {
    "pdf:/": "PDFの保存先はキオスクのフォルダ", "pdf:/etc": "PDFの保存先はキオスクのフォルダ",
    "pdf:../../..": "「..」", "pdf:labels/../../x": "「..」", "pdf:~/labels": "「~」", "pdf:": "保存先のフォルダを",
    "pdf:link-out": "PDFの保存先はキオスクのフォルダ",  # a symlink inside the data directory to a folder outside
    "cups:-oraw": "キュー名", "cups:a b": "キュー名", "cups:a;rm": "キュー名", "cups:../x": "キュー名",
    "cups://127.0.0.1:631/-d": "ホスト名", "zpl:tcp://user:pw@192.0.2.1:9100": "ホスト名",
    "zpl:udp://192.0.2.1:9100": "ホスト名", "zpl:tcp://192.0.2.1:99999": "ホスト名", "zpl:tcp://192.0.2.1:9100/x": "ホスト名",
    "zpl:tcp://192.0.2.1:9100?x=1": "ホスト名", "zpl:tcp://-h:9100": "ホスト名", "ipp://a@192.0.2.5/ipp/print": "ホスト名",
    "ipp://192.0.2.5/ipp/print?x=1": "ホスト名", "ipp://192.0.2.5/../admin": "「..」", "ipps://[zz::1]/ipp": "ホスト名",
    "ipp://192.0.2.5/ipp/print#frag": "ホスト名", "brother-ql:file:///dev/usb/lp0": "ホスト名",
    "brother-ql:tcp://192.0.2.11?backend=linux_kernel": "model と label", "brother-ql:tcp://192.0.2.11?label=../x": "model と label",
    "brother-ql:usb://0x04f9:0x209b/serial": "VID:PID", "brother-ql:usb://04f9:209b": "VID:PID",
    "http://192.0.2.5/": "正しくありません", "file:///etc/passwd": "正しくありません", "laser": "正しくありません",
    "javascript:alert(1)": "正しくありません", "pdf:/tmp\x00/x": "（NUL）", "": "正しくありません",
}


def test_staff_are_refused_hostile_printer_urls_in_japanese(client, db, tmp_path, data_dir):
    (tmp_path / "elsewhere").mkdir()
    (data_dir / "link-out").symlink_to(tmp_path / "elsewhere")
    _staff(client, db)
    assert client.post("/settings/printing", data={"default_printer": "new", "new_printer_name": "事務室",
                                                    "new_printer_url": "cups:Office"}).status_code == 302
    for url, reason in HOSTILE_URLS.items():
        forms = [{"default_printer": "1", "new_printer_name": "新しい", "new_printer_url": url},
                 {"default_printer": "1", "printer_1_name": "事務室", "printer_1_url": url}]
        if url:
            forms.append({"printer": url})  # the single printer field of before
        for form in forms:
            response = client.post("/settings/printing", data=form)
            assert response.status_code == 400 and reason in response.get_data(as_text=True), (url, form)
    with db.read() as session:
        printing = settings_for(session, 1).printing
    assert printing.printers == (ConfiguredPrinter(1, "事務室", "cups:Office"),)
    assert printing.printer == "cups:Office"
    assert not (data_dir / "link-out" / "labels").exists()


def test_staff_add_rename_remove_and_choose_the_default(client, db, tmp_path, data_dir, monkeypatch):
    chosen = tmp_path / "shared-labels"
    monkeypatch.setenv("KIOSK_PDF_FOLDER", str(chosen))
    _staff(client, db)

    def save(form, status=302):
        response = client.post("/settings/printing", data=form)
        assert response.status_code == status, response.get_data(as_text=True)
        with db.read() as session:
            return settings_for(session, 1).printing

    printing = save({"default_printer": "new", "new_printer_name": "データ", "new_printer_url": "pdf:labels"})
    assert printing.printers == (ConfiguredPrinter(1, "データ", f"pdf:{data_dir.resolve() / 'labels'}"),)
    printing = save({"default_printer": "1", "new_printer_name": "共有", "new_printer_url": f"pdf:{chosen / 'a'}"})
    assert [p.id for p in printing.printers] == [1, 2] and printing.printer.endswith("/labels")
    assert save({"default_printer": "1", "new_printer_name": "外", "new_printer_url": f"pdf:{tmp_path / 'other'}"},
                status=400).printers == printing.printers  # the chosen folder's sibling is not the chosen folder
    assert save({"default_printer": "1", "new_printer_name": "共有", "new_printer_url": "cups:X"}, status=400)
    printing = save({"default_printer": "2", "printer_1_name": "データのフォルダ", "printer_1_url": "pdf:labels",
                     "printer_2_name": "共有", "printer_2_url": f"pdf:{chosen / 'a'}"})
    assert printing.printers[0].name == "データのフォルダ" and printing.printer == f"pdf:{chosen.resolve() / 'a'}"
    page = client.get("/settings/").get_data(as_text=True)
    assert 'name="printer_1_name" value="データのフォルダ"' in page and 'name="default_printer" value="2" aria-label="既定" checked' in page
    client.post("/printing/print", data={"numbers": "1001"})
    assert len(list((chosen / "a").glob("*.pdf"))) == 1
    printing = save({"default_printer": "2", "printer_2_remove": "on"}, status=400)  # the default removed: choose another
    printing = save({"default_printer": "", "printer_2_remove": "on"})
    assert [p.id for p in printing.printers] == [1] and printing.printer == ""
    assert client.post("/printing/print", data={"numbers": "1001", "printer": "2"}).status_code == 400
    assert save({"default_printer": "", "printer_7_name": "x", "printer_7_url": "cups:X"}, status=400)  # a stale page


def test_other_printing_routes_take_no_file_or_printer_from_the_request(client, db, tmp_path, data_dir):
    """Sheet names, card layouts, label kinds and a 'later' job's printer: looked up or ignored,
    never a path or an address."""
    before = _files(tmp_path)
    for path in ("/printing/test-page.pdf?template=../../../etc/passwd", "/printing/test-page.pdf?template=/etc/passwd",
                 f"/printing/labels.pdf?numbers=1001&kind=../{tmp_path}", "/printing/cards.pdf?numbers=1001&layout=../x",
                 "/printing/labels.pdf?numbers=1001&start=../1", "/printing/collected.pdf?jobs=../1"):
        assert client.get(path).status_code == 400, path
    response = client.post("/printing/later", data={"numbers": "1001", "printer": f"pdf:{tmp_path / 'x'}"})
    assert response.status_code == 302 and [job.printer for job in jobs(db, 1)] == [None]
    assert _files(tmp_path) == before
