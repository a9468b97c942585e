"""brother-ql:usb:// through brother_ql's own pyusb backend, over a pyusb backend that plays
the printer (no Brother on this machine): the job's raster read back with brother_ql's
analyser and zbar, and the printer's answers (no roll, cover open, silence) as the reason a
job waits."""

import functools
import io

import pytest
import usb.core
from PIL import Image

from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.printing.queue import PrinterError
from printer.backends import BrotherQL, get_backend
from printer.barcode import item_barcode
from printer.labels import barcode_label
from printer.raster import render_label_image
from tests.printer.brother_usb_backend import COVER_OPEN, NO_MEDIA, PRINTED, BrotherUsbPrinter, status
from tests.printer.zbar import decode_images, require_tools

URL = "brother-ql:usb://0x04f9:0x209d?model=QL-820NWB&label=62"


@pytest.fixture
def plugged(monkeypatch):
    """Puts a printer with the given answers on the bus pyusb sees."""
    def plug(answers):
        printer = BrotherUsbPrinter(answers)
        monkeypatch.setattr(usb.core, "find", functools.partial(usb.core.find, backend=printer))
        return printer

    return plug


def _labels(*numbers):
    settings = ItemCodeSettings()
    return [render_label_image(barcode_label(n, item_barcode(n, settings), "ひまわり小学校図書館", "ぐりとぐら"),
                               48.3, 25.4, 300) for n in numbers]


def test_a_job_over_usb_prints_and_reads_back(plugged, tmp_path):
    from brother_ql.reader import BrotherQLReader

    require_tools()
    printer = plugged(PRINTED)
    get_backend(URL).send(_labels(1001, 1002), "labels-1")
    assert "claim 0" in printer.log and printer.answers == [status(0x06, 0x00)]  # read up to "completed"
    reader = BrotherQLReader(io.BytesIO(bytes(printer.received)))
    reader.filename_fmt = str(tmp_path / "usb-{counter}.png")
    reader.analyse()
    assert reader.mwidth == 62
    pages = sorted(tmp_path.glob("usb-*.png"))
    assert len(pages) == 2
    # brother_ql's analyser keeps a page's rows for the next (it clears them only at ESC @):
    # each page is the last raster_no rows of its image.
    decoded = []
    for index, path in enumerate(pages):
        image = Image.open(path)
        image.crop((0, image.height - reader.raster_no, image.width, image.height)).save(tmp_path / f"page-{index}.png")
        decoded.append([decode_item_code(d, ItemCodeSettings()) for _, d in decode_images([tmp_path / f"page-{index}.png"])])
    assert decoded == [[1001], [1002]]


@pytest.mark.parametrize("answers, reason", [(NO_MEDIA, "ロールを入れてください"), (COVER_OPEN, "カバーが開いています")])
def test_the_printers_error_is_the_reason(plugged, answers, reason):
    plugged(answers)
    with pytest.raises(PrinterError) as error:
        get_backend(URL).send(_labels(1001), "labels-1")
    assert reason in error.value.ja and "answered" in str(error.value)


def test_no_word_that_it_printed_leaves_the_job_for_staff(plugged, db, library_id, today):
    """It may have printed: the job must neither look sent nor failed (a retry would print it
    twice) but wait for staff to look, as one cut off by a crash does."""
    from kiosk.printing.queue import PrintOutcomeUnknown, enqueue, jobs, send
    from tests.core.helpers import purchase, register_n

    plugged(PRINTED[:1])  # "printing", then nothing
    (number,) = [c.number for c in register_n(db, library_id, purchase(today), 1).copies]
    job = enqueue(db, library_id, [number], kind="barcode", printer=URL, actor="t")
    printer = BrotherQL("usb://0x04f9:0x209d", confirm_seconds=0.5)
    with pytest.raises(PrintOutcomeUnknown) as error:
        send(db, job, lambda view: printer.send(_labels(*view.numbers), f"labels-{view.id}"), actor="t")
    assert "印刷完了の返事がありません" in error.value.ja
    (view,) = jobs(db, library_id)
    assert (view.status, view.status_ja) == ("sending", "送信中（確認が必要）") and "印刷されていない" in view.last_error_ja


def test_no_printer_on_the_bus(monkeypatch):
    monkeypatch.setattr(usb.core, "find", functools.partial(usb.core.find, backend=_EmptyBus()))
    with pytest.raises(PrinterError) as error:
        get_backend(URL).send(_labels(1001), "labels-1")
    assert "接続と電源を確認してください" in error.value.ja


class _EmptyBus(BrotherUsbPrinter):
    def __init__(self):
        super().__init__([])

    def enumerate_devices(self):
        return []
