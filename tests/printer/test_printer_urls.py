"""kiosk.printing.printers: the printer URLs staff may save, the configured printers, and a request's id."""

import pytest

from kiosk.errors import KioskError
from kiosk.printing.printers import (check_printer_url, check_printers, configured_printers, default_printer_id, edit_printers,
                            printer_url)
from kiosk.printing_settings import ConfiguredPrinter, PrintingSettings


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    where = tmp_path / "data"
    where.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(where))
    monkeypatch.delenv("KIOSK_PDF_FOLDER", raising=False)
    return where.resolve()


@pytest.mark.parametrize("url", [
    "cups:", "cups:Brother", "cups:Office_2.a-b", "cups://127.0.0.1:631/Office", "cups://print.example.jp/",
    "ipp://192.0.2.5/ipp/print", "ipps://printer.local:631/ipp/print", "ipp://[2001:db8::5]:631/ipp/print",
    "zpl:tcp://192.0.2.10:9100", "zpl:tcp://zebra", "brother-ql:tcp://192.0.2.11?model=QL-820NWB&label=62",
    "brother-ql:tcp://192.0.2.11:9100?label=29x90", "brother-ql:usb://0x04f9:0x209b", "brother-ql:usb://0x04f9:0x209b?label=62",
])
def test_printers_staff_may_set_are_kept_as_typed(url):
    assert check_printer_url(url) == url


def test_a_pdf_folder_is_inside_the_data_directory_or_the_chosen_folder(data_dir, tmp_path, monkeypatch):
    assert check_printer_url("pdf:labels") == f"pdf:{data_dir / 'labels'}"
    assert check_printer_url(f"pdf:{data_dir}") == f"pdf:{data_dir}"
    assert check_printer_url(f"pdf:{data_dir}/a/b") == f"pdf:{data_dir / 'a' / 'b'}"
    for outside in (f"pdf:{tmp_path}", "pdf:/", "pdf:/etc", f"pdf:{tmp_path}/data-other", f"pdf:{tmp_path / 'chosen'}"):
        with pytest.raises(KioskError, match="outside") as refused:
            check_printer_url(outside)
        assert "PDFの保存先はキオスクのフォルダ" in refused.value.ja
    for dotted in ("pdf:..", "pdf:../x", f"pdf:{data_dir}/../data", "pdf:a/../../b", "pdf:~", "pdf:~root/x"):
        with pytest.raises(KioskError, match=r"no \.\. or ~"):
            check_printer_url(dotted)
    (tmp_path / "chosen").mkdir()
    (data_dir / "to-chosen").symlink_to(tmp_path / "chosen")
    with pytest.raises(KioskError, match="outside"):  # a symlink is followed before the check
        check_printer_url("pdf:to-chosen")
    monkeypatch.setenv("KIOSK_PDF_FOLDER", str(tmp_path / "chosen"))
    assert check_printer_url("pdf:to-chosen/x") == f"pdf:{tmp_path.resolve() / 'chosen' / 'x'}"
    assert check_printer_url(f"pdf:{tmp_path / 'chosen'}") == f"pdf:{tmp_path.resolve() / 'chosen'}"
    with pytest.raises(KioskError, match="outside"):
        check_printer_url(f"pdf:{tmp_path / 'chosen-not'}")
    monkeypatch.setenv("KIOSK_PDF_FOLDER", "relative/folder")  # ignored: relative to nothing
    with pytest.raises(KioskError, match="outside"):
        check_printer_url(f"pdf:{tmp_path / 'chosen'}")


@pytest.mark.parametrize("url", [
    "cups:-oraw", "cups:a b", "cups:a/b", "cups:a;b", "cups://h/-d", "cups://u@h/Q", "cups://h:0/Q",
    "ipp://u:p@h/ipp/print", "ipp://h/ipp/print?x", "ipp://h/ipp/../x", "ipp://h/./x", "ipp:///ipp/print", "ipp:h/ipp",
    "zpl:tcp://h:70000", "zpl:tcp://h:9100/x", "zpl:udp://h:9100", "zpl:h:9100", "zpl:tcp://h_h:9100", "zpl:tcp://%31:9100",
    "zpl:tcp://[::1:9100", "zpl:tcp://[fe80::1%eth0]:9100", "brother-ql:tcp://h?model=QL-820NWB&label=62&label=29",
    "brother-ql:tcp://h?model=x", "brother-ql:tcp://h?backend=pyusb", "brother-ql:file:///dev/usb/lp0",
    "brother-ql:usb://0x04f9", "brother-ql:usb://0x04f9:0x209b/SERIAL", "brother-ql:usb://0x4f9:0x209b",
    "http://h/", "https://h/", "smb://h/share", "file:///tmp", "lpd://h/q", "socket://h:9100", "pdf", "",
    "cups:Bro\nther", "zpl:tcp://h:9100\r\nX", "pdf:labels\x00",
])
def test_anything_else_is_refused_in_japanese(url):
    with pytest.raises(KioskError) as refused:
        check_printer_url(url)
    assert refused.value.ja != str(refused.value) and any("\u3040" <= c <= "\u30ff" for c in refused.value.ja)


def test_an_old_single_printer_reads_as_printer_1_the_default():
    old = PrintingSettings.from_stored({"printer": "cups:Office"})
    assert configured_printers(old) == [ConfiguredPrinter(1, "プリンター", "cups:Office")]
    assert default_printer_id(old) == 1 and printer_url(old, None) == "cups:Office"
    assert printer_url(old, "1") == "cups:Office"
    listed = {"printers": [{"id": 1, "name": "事務室", "url": "cups:Office"}, {"id": 3, "name": "図書室", "url": "cups:Lab"}],
              "printer": "cups:Lab"}
    assert default_printer_id(PrintingSettings.from_stored(listed)) == 3
    assert printer_url(PrintingSettings.from_stored(listed), "") == "cups:Lab"
    assert printer_url(PrintingSettings.from_stored(listed), 1) == "cups:Office"
    set_apart = PrintingSettings.from_stored({**listed, "printer": "cups:Other"})  # a default saved as "printer" alone: one more, the default
    assert configured_printers(set_apart)[-1] == ConfiguredPrinter(4, "プリンター", "cups:Other")
    assert printer_url(PrintingSettings(), "") is None


@pytest.mark.parametrize("chosen", ["2", "01", "1 ", " ", "cups:Office", "pdf:/tmp", "-1", "1e0"])
def test_a_request_names_a_configured_printer_or_nothing_prints(chosen):
    settings = PrintingSettings.from_stored({"printers": [{"id": 1, "name": "事務室", "url": "cups:Office"}], "printer": ""})
    if chosen.strip() in ("", "1"):
        assert printer_url(settings, chosen) == ("cups:Office" if chosen.strip() else None)
        return
    with pytest.raises(KioskError) as refused:
        printer_url(settings, chosen)
    assert "そのプリンターは設定にありません" in refused.value.ja


def test_edits_from_the_settings_screen():
    stored = {"printers": [{"id": 1, "name": "事務室", "url": "cups:Office"}, {"id": 2, "name": "図書室", "url": "cups:Lab"}],
              "printer": "cups:Office"}
    before = PrintingSettings.from_stored(stored)
    added = edit_printers(before, {}, {"name": "ラベル", "url": "zpl:tcp://192.0.2.10:9100"}, "new")
    assert added["printers"][-1] == {"id": 3, "name": "ラベル", "url": "zpl:tcp://192.0.2.10:9100"}
    assert added["printer"] == "zpl:tcp://192.0.2.10:9100"
    renamed = edit_printers(before, {2: {"name": " 第2図書室 ", "url": "cups:Lab"}, 1: {"remove": "on"}}, None, "2")
    assert renamed == {"printers": [{"id": 2, "name": "第2図書室", "url": "cups:Lab"}], "printer": "cups:Lab",
                       "last_printer_id": 2}
    removed_last = edit_printers(before, {2: {"remove": "on"}}, None, "1")  # the newest removed …
    again = edit_printers(PrintingSettings.from_stored({**stored, **removed_last}), {}, {"name": "新しい", "url": "cups:New"}, "1")
    assert again["printers"][-1]["id"] == 3  # … its id is never given to the next one
    for rows, new, default, reason in (({9: {"name": "x"}}, None, "1", "開き直して"),
                                       ({}, None, "9", "既定のプリンター"),
                                       ({2: {"name": "事務室"}}, None, "1", "同じ名前"),
                                       ({}, {"name": "", "url": "cups:X"}, "1", "名前は1〜30文字"),
                                       ({}, {"name": "x" * 31, "url": "cups:X"}, "1", "名前は1〜30文字"),
                                       ({}, {"name": "X", "url": "cups:Office"}, "1", "同じ指定"),
                                       ({1: {"url": "pdf:/etc"}}, None, "1", "PDFの保存先")):
        with pytest.raises(KioskError) as refused:  # the checks change_settings runs
            check_printers(PrintingSettings.from_stored({**stored, **edit_printers(before, rows, new, default)}))
        assert reason in refused.value.ja, (rows, new, default)
