"""One printer interface: every backend declares what it prints on and at what dpi and has one
``send``; the dispatcher renders what the medium asks for. Errors live in kiosk.printing.errors,
which the queue re-exports."""

import inspect

import pytest

from kiosk.printing import errors as print_errors, queue as print_queue
from printer.backends import BACKENDS, Cups, Ipp, PdfFolder, ZplPrinter, get_backend, medium_of
from printer.brother import BrotherQL, BrotherTcp, BrotherUsb
from printer.calibration import is_roll_printer
from printer.dispatch import document_for
from printer.protocol import Medium

URLS = {
    "pdf:/tmp/labels": (PdfFolder, Medium.SHEET_PDF, None),
    "cups:kiosk": (Cups, Medium.SHEET_PDF, None),
    "cups://192.0.2.5:631/kiosk": (Cups, Medium.SHEET_PDF, None),
    "ipp://192.0.2.5/ipp/print": (Ipp, Medium.SHEET_PDF, None),
    "ipps://192.0.2.5/ipp/print": (Ipp, Medium.SHEET_PDF, None),
    "zpl:tcp://192.0.2.5:9100": (ZplPrinter, Medium.ROLL_RASTER, 203),
    "brother-ql:tcp://192.0.2.5?label=62": (BrotherQL, Medium.ROLL_RASTER, 300),
    "brother-ql:usb://0x04f9:0x209d": (BrotherQL, Medium.ROLL_RASTER, 300),
}


@pytest.mark.parametrize("url", URLS)
def test_every_backend_declares_its_medium_and_dpi_and_has_one_send(url):
    kind, medium, dpi = URLS[url]
    backend = get_backend(url)
    assert isinstance(backend, kind) and (backend.medium, backend.dpi) == (medium, dpi)
    assert medium_of(url) is medium and is_roll_printer(url) == (medium is Medium.ROLL_RASTER)
    assert list(inspect.signature(backend.send).parameters)[1:] == ["name"]  # send(document, name)
    assert not hasattr(backend, "send_images")


def test_the_browser_and_unknown_schemes_are_sheets():
    """As before: a roll printer is one whose scheme is zpl: or brother-ql:, nothing else."""
    for url in (None, "", "pdf:labels", "cups:", "lpr:x", "brother-ql-usb:x"):
        assert medium_of(url) is Medium.SHEET_PDF and not is_roll_printer(url)
    assert set(BACKENDS) == {"pdf", "cups", "ipp", "ipps", "zpl", "brother-ql"}


def test_brother_transport_is_apart_from_its_conversion():
    assert isinstance(BrotherQL("tcp://192.0.2.5:9101").transport(), BrotherTcp)
    assert BrotherQL("tcp://192.0.2.5:9101").transport().port == 9101
    usb = BrotherQL("usb://0x04f9:0x209d", confirm_seconds=0.5).transport()
    assert isinstance(usb, BrotherUsb) and (usb.where, usb.confirm_seconds) == ("usb://0x04f9:0x209d", 0.5)
    with pytest.raises(print_errors.PrinterError) as error:
        BrotherQL("file:///dev/usb/lp0").transport()
    assert "ブラザーのプリンターの指定" in error.value.ja


class _Roll:
    medium, dpi = Medium.ROLL_RASTER, 203


class _Sheet:
    medium, dpi = Medium.SHEET_PDF, None


def test_dispatch_renders_what_the_medium_asks_for(db, library_id, today):
    from printer.copy_labels import LabelOptions
    from tests.core.helpers import purchase, register_n

    numbers = [c.number for c in register_n(db, library_id, purchase(today), 2).copies]

    images = document_for(_Roll(), db, library_id, numbers, LabelOptions(kind="barcode"))
    # Hisago:ELM022 labels (48.3 × 25.4 mm) at 203 dpi, one per copy, 1-bit
    assert [(image.mode, image.size) for image in images] == [("1", (386, 203))] * 2
    assert document_for(_Sheet(), db, library_id, numbers, LabelOptions(kind="barcode")).startswith(b"%PDF")


def test_the_errors_import_without_the_queue_and_the_queue_re_exports_them():
    assert print_queue.PrinterError is print_errors.PrinterError
    assert print_queue.PrintOutcomeUnknown is print_errors.PrintOutcomeUnknown
    assert issubclass(print_errors.PrintOutcomeUnknown, print_errors.PrinterError)
    source = inspect.getsource(print_errors)
    assert "sqlalchemy" not in source and "print_queue import" not in source


def test_job_status_and_label_kind_are_the_stored_strings_with_their_japanese():
    from kiosk.printing.queue import JobStatus, LabelKind, STATUS_JA, parse_label_kind

    assert [status.value for status in JobStatus] == ["queued", "sending", "sent", "failed", "cancelled", "waiting"]
    assert JobStatus.WAITING.ja == "請求記号待ち"
    assert [kind.value for kind in LabelKind] == ["spine", "barcode", "both"]
    assert STATUS_JA["sending"] == JobStatus.SENDING.ja == "送信中（確認が必要）"
    assert JobStatus("sent") == "sent" and f"print_{JobStatus.SENT}" == "print_sent"
    assert all(kind.ja for kind in LabelKind)
    assert (LabelKind.BOTH.has_spine, LabelKind.BOTH.has_barcode, LabelKind.SPINE.has_barcode) == (True, True, False)
    with pytest.raises(print_errors.KioskError) as error:
        parse_label_kind("../x")
    assert error.value.ja == "ラベルの種類が正しくありません"
