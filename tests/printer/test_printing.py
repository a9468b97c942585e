"""Labels of registered copies through the CLI and the printer backends (both databases)."""

import io
import json
import re
import socket
import subprocess
import threading

import pytest
from click.testing import CliRunner
from PIL import Image

from kiosk_app.cli import main
from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.printing.queue import jobs
from tests.printer.test_zpl_status import host_status
from tests.printer.zbar import decode_images, decode_pdf, require_tools


@pytest.fixture
def kiosk(database_url, tmp_path):
    env = {"KIOSK_DATABASE_URL": database_url, "KIOSK_SAMPLE_CATALOGUE": str(tmp_path / "none.tsv"),
           "KIOSK_LOOKUP_SOURCES": "ndl", "KIOSK_NDL_SRU_URL": "http://127.0.0.1:9/"}

    def run(*args, expect=0):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    run("init", "--name", "ひまわり小学校図書館", "--first-number", "1001")
    run("register", "--title", "はらぺこあおむし", "--ndc", "E", "--author-mark", "カ", "--source", "ひまわり書店",
        "--price", "1320")
    run("register", "--title", "坊っちゃん", "--ndc", "913", "--author-mark", "ナ", "--source", "ひまわり書店",
        "--price", "550", "--copies", "2")
    return run


def test_labels_pdf_carries_spine_tiers_and_barcodes_that_decode(kiosk, tmp_path):
    output = tmp_path / "labels.pdf"
    kiosk("labels", "1001-1003", "--output", str(output))
    pdf = output.read_bytes()
    decoded = {decode_item_code(data, ItemCodeSettings()) for _, data in decode_pdf(pdf)}
    assert decoded == {1001, 1002, 1003}
    text = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True).stdout
    assert "913" in text and "ナ" in text and "ひまわり小学校図書館" in text and "はらぺこあおむし" in text


def test_a_fresh_librarys_labels_are_on_its_printing_sections_sheets(kiosk, tmp_path, monkeypatch):
    """The label sheets' defaults are the printing section's, once: printer/copy_labels.py has none of its own."""
    import printer.copy_labels
    from kiosk.printing_settings import PrintingSettings

    asked = []
    monkeypatch.setattr(printer.copy_labels, "find_template",
                        lambda name, find=printer.copy_labels.find_template: asked.append(name) or find(name))
    kiosk("labels", "1001", "--output", str(tmp_path / "labels.pdf"))
    assert asked == [PrintingSettings().spine_template, PrintingSettings().barcode_template]
    assert asked == ["Hisago:OP3015", "Hisago:ELM022"]


def test_the_volume_is_the_third_tier_where_the_rules_ask_for_it(kiosk, database_url, tmp_path):
    from kiosk.settings import change_settings
    from kiosk.db.storage import open_database

    kiosk("register", "--title", "かいけつゾロリのドラゴンたいじ", "--volume", "2", "--ndc", "913", "--author-mark", "ハ",
          "--source", "ひまわり書店", "--price", "990")  # number 1004
    output = tmp_path / "spine.pdf"

    def tiers() -> list[str]:
        kiosk("labels", "1004", "--kind", "spine", "--output", str(output))
        return subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True, check=True).stdout.split()

    assert tiers() == ["913", "ハ"]
    db = open_database(database_url)
    with db.write() as session:
        change_settings(session, 1, "callnumber", {"volume_tier": True}, actor="test")
    db.dispose()
    assert tiers() == ["913", "ハ", "2"]


def test_symbology_and_check_options(kiosk, tmp_path):
    output = tmp_path / "code128.pdf"
    kiosk("labels", "1002", "--kind", "barcode", "--symbology", "code128", "--check", "7dr", "--output", str(output),
          "--start", "5")
    (kind, data), = decode_pdf(output.read_bytes())
    assert kind == "CODE-128" and decode_item_code(data, ItemCodeSettings(symbology="code128", check="7dr")) == 1002


def test_bad_label_requests_exit_2(kiosk, tmp_path):
    out = str(tmp_path / "x.pdf")
    assert "範囲" in kiosk("labels", "1005-1001", "--output", out, expect=2).stderr
    assert "4242" in kiosk("labels", "4242", "--output", out, expect=2).stderr
    assert "ELM999" in kiosk("labels", "1001", "--kind", "barcode", "--template", "Hisago:ELM999",
                             "--output", out, expect=2).stderr
    assert "開始位置" in kiosk("labels", "1001", "--start", "99", "--output", out, expect=2).stderr


def test_pdf_folder_backend(kiosk, tmp_path):
    kiosk("print", "1001-1003", "--printer", f"pdf:{tmp_path / 'printed'}")
    (written,) = (tmp_path / "printed").glob("labels-*.pdf")
    assert {decode_item_code(d, ItemCodeSettings()) for _, d in decode_pdf(written.read_bytes())} == {1001, 1002, 1003}


class FakeZebra:
    """A TCP server on 127.0.0.1 that keeps every byte a printer would receive and answers a
    host status query (~HS) with ``status``, if given."""

    def __init__(self, status: bytes | None = None):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received, self.status = b"", status
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        connection, _ = self.server.accept()
        with connection:
            while chunk := connection.recv(65536):
                if self.status and not self.received and chunk.startswith(b"~HS"):
                    connection.sendall(self.status)
                self.received += chunk

    def images(self) -> list[Image.Image]:
        self.thread.join(5)
        images = []
        for width, height, total, row, data in re.findall(
                rb"\^PW(\d+)\^LL(\d+)\^FO0,0\^GFA,(\d+),\d+,(\d+),([0-9A-F]+)\^FS", self.received):
            raw = bytes.fromhex(data.decode())
            image = Image.frombytes("1", (int(row) * 8, int(height)), raw).crop((0, 0, int(width), int(height)))
            images.append(Image.eval(image.convert("L"), lambda v: 255 - v))  # ZPL 1 = black
        return images


def test_zpl_printer_gets_labels_that_decode(kiosk, tmp_path):
    require_tools()
    zebra = FakeZebra(host_status())
    kiosk("print", "1002-1003", "--kind", "barcode", "--printer", f"zpl:tcp://127.0.0.1:{zebra.port}")
    paths = []
    for index, image in enumerate(zebra.images()):
        paths.append(tmp_path / f"zpl-{index}.png")
        image.save(paths[-1])
    assert len(paths) == 2
    assert {decode_item_code(d, ItemCodeSettings()) for _, d in decode_images(paths)} == {1002, 1003}


@pytest.mark.parametrize("flags, reason", [({"paper_out": True}, "ラベルがありません"),
                                           ({"head_open": True}, "開いています")])
def test_zpl_printer_out_of_labels_gets_no_job_and_the_job_waits(kiosk, database_url, flags, reason):
    from kiosk.db.storage import open_database

    zebra = FakeZebra(host_status(**flags))
    result = kiosk("print", "1001", "--printer", f"zpl:tcp://127.0.0.1:{zebra.port}", expect=2)
    zebra.thread.join(5)
    assert reason in result.stderr and zebra.received == b"~HS"  # asked, and sent nothing
    db = open_database(database_url)
    (job,) = jobs(db, 1)
    db.dispose()
    assert (job.status, job.numbers) == ("failed", [1001]) and reason in job.last_error_ja


def test_printer_that_is_off_keeps_the_job_with_the_reason(kiosk, database_url):
    from kiosk.db.storage import open_database

    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: a printer that is off
    result = kiosk("print", "1001", "--printer", f"zpl:tcp://127.0.0.1:{port}", expect=2)
    assert "接続できません" in result.stderr
    db = open_database(database_url)
    (job,) = jobs(db, 1)
    db.dispose()
    assert (job.status, job.numbers, job.attempts) == ("failed", [1001], 1) and "接続できません" in job.last_error_ja


def test_callnumber_for_a_cached_record(kiosk, database_url):
    from kiosk.lookup.cache import DatabaseCache
    from kiosk.lookup import BibRecord, Creator
    from kiosk.db.storage import open_database

    db = open_database(database_url)
    DatabaseCache(db).put(BibRecord(isbn13="9784033280103", title="はらぺこあおむし", source="ndl", ndc9="726.6",
                                    creators=(Creator("エリック・カール", "カール, エリック", "作"),)))
    db.dispose()
    data = json.loads(kiosk("callnumber", "9784033280103", "--offline", "--json").stdout)
    assert (data["top"], data["bottom"], data["source"]) == ("E", "カ", "cache")
    assert "726.6" in data["why"]["top"]


def test_brother_ql_printer_gets_raster_that_decodes(kiosk, tmp_path):
    """The bytes a Brother QL would receive, read back by brother_ql's own analyser
    (brother_ql_analyse): the roll, one cut page per label, and pages that zbar decodes."""
    from brother_ql.reader import BrotherQLReader

    require_tools()
    printer = FakeZebra()  # any TCP peer that keeps the bytes
    kiosk("print", "1002-1003", "--kind", "barcode",
          "--printer", f"brother-ql:tcp://127.0.0.1:{printer.port}?model=QL-820NWB&label=62")
    printer.thread.join(5)
    assert printer.received.startswith(b"\x00" * 200 + b"\x1b@\x1bia\x01")  # invalidate, initialise, raster mode
    reader = BrotherQLReader(io.BytesIO(printer.received))
    reader.filename_fmt = str(tmp_path / "ql-{counter}.png")
    reader.analyse()
    assert (reader.mwidth, reader.cut_at_end) == (62, True)
    assert reader.raster_no == 300  # rows: the barcode label (Hisago:ELM022) is 25.4 mm high, at 300 dpi
    paths = sorted(tmp_path.glob("ql-*.png"))
    assert len(paths) == 2
    assert {decode_item_code(d, ItemCodeSettings()) for _, d in decode_images(paths)} == {1002, 1003}


def test_brother_ql_bad_roll_is_refused(kiosk):
    assert "ラベル幅" in kiosk("print", "1001", "--printer", "brother-ql:tcp://127.0.0.1:9?label=99x99", expect=2).stderr
