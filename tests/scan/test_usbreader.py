"""The real USB reader, driven through pyusb by a backend that replays recorded reports."""

import threading
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.scan.usbreader import UsbScannerReader, parse_vid_pid

from .replay_backend import ReplayBackend, ReplayDevice, load_script

FIXTURES = Path(__file__).parent / "fixtures"
SCANNER = (0x0C2E, 0x0B61)
POS_REPORT_DESCRIPTOR = bytes.fromhex("058c0902a1010912a102850215002600ff7508953f09fe8102c0c0")  # POS page, Scanned Data Report id 2


def scanner(name: str, **kwargs) -> ReplayDevice:
    return ReplayDevice(*SCANNER, load_script(FIXTURES / name), **kwargs)


def run(devices, wait_for, *, on_scan=None, **kwargs):
    """Start the reader, wait until ``wait_for`` has replayed its script, stop; scans and states."""
    scans, statuses = [], []
    reader = UsbScannerReader(
        on_scan or (lambda scanner_id, text: scans.append(text)),
        backend=ReplayBackend(devices),
        on_status=statuses.append,
        backoff_min_s=0.005,
        backoff_max_s=0.02,
        read_timeout_ms=10,
        **kwargs,
    )
    reader.start()
    try:
        assert wait_for.reads_done.wait(10), "the reader stopped reading before the script ended"
    finally:
        reader.stop()
    return scans, [s.state for s in statuses], reader


@pytest.mark.parametrize(
    "name, layout, expected",
    [
        ("us-9784033280103.hex", "us", ["9784033280103"]),
        ("us-4033280103.hex", "us", ["4033280103"]),
        ("us-nw7-A00001234B.hex", "us", ["A00001234B"]),
        ("jis-aim-9784033280103.hex", "jis", ["]E09784033280103"]),
        ("jis-nw7-mod16.hex", "jis", ["A00000004:A", "A00000001+A"]),
        ("us-split-reads.hex", "us", ["9784033280103", "1928797012008"]),
        ("us-several-keys.hex", "us", ["4033280103"]),
    ],
)
def test_keyboard_mode_scanner(name, layout, expected):
    device = scanner(name)
    scans, states, _ = run([device], device, device="0c2e:0b61", layout=layout)
    assert scans == expected
    assert states == ["connected", "stopped"]
    assert device.log[:4] == ["open", "detach 0", "claim 0", "set_protocol 0"]
    assert device.log[-2:] == ["attach 0", "close"]  # the keyboard driver is given back on stop


def test_unplug_mid_scan_then_replug():
    device = scanner("us-unplug-mid-scan.hex")
    scans, states, reader = run([device], device, device="0c2e:0b61")
    assert scans == ["9784033280103"]  # the 5 digits typed before the unplug are never delivered
    assert states == ["connected", "disconnected", "connected", "stopped"]
    assert "unplugged" in device.log and "replugged" in device.log
    assert device.log.count("detach 0") == 2


def test_disconnected_state_says_what_was_lost():
    device = scanner("us-unplug-mid-scan.hex")
    statuses = []
    reader = UsbScannerReader(
        lambda *_: None, backend=ReplayBackend([device]), device="0c2e:0b61",
        on_status=statuses.append, backoff_min_s=0.005, read_timeout_ms=10,
    )
    reader.start()
    device.reads_done.wait(10)
    reader.stop()
    lost = next(s for s in statuses if s.state == "disconnected")
    assert "partial scan '97840' dropped" in lost.detail and lost.device == "0c2e:0b61"


def test_no_scanner_waits_and_never_raises():
    reader = UsbScannerReader(
        lambda *_: None, backend=ReplayBackend([]), device="0c2e:0b61", backoff_min_s=0.001, backoff_max_s=0.002
    )
    reader.start()
    threading.Event().wait(0.05)
    assert reader.status.state == "waiting"
    reader.stop()
    assert reader.status.state == "stopped"


def test_hid_pos_scanner_is_recognised_by_its_report_descriptor():
    device = scanner("pos-scans.hex", subclass=0, protocol=0, max_packet=64, report_descriptor=POS_REPORT_DESCRIPTOR)
    scans, _, _ = run([device], device, device="0c2e:0b61")
    assert scans == ["]E09784033280103", "]E01928797012008", "]C0KIOSK-" + "0123456789" * 6]


def test_first_boot_keyboard_that_is_not_the_keyboard():
    keyboard = ReplayDevice(0x046D, 0xC31C, load_script(FIXTURES / "us-4033280103.hex"), product="USB Keyboard")
    locked = ReplayDevice(0x1234, 0x0001, [], product="Something", readable=False)
    device = scanner("us-9784033280103.hex", product="2D Barcode Imager")
    scans, _, _ = run([keyboard, locked, device], device)
    assert scans == ["9784033280103"]
    assert not [entry for entry in keyboard.log if entry.startswith(("detach", "claim"))]


def test_excluded_device_is_never_taken():
    other = scanner("us-4033280103.hex", product="Generic HID")
    wanted = ReplayDevice(0x05E0, 0x1200, load_script(FIXTURES / "us-9784033280103.hex"), product="Generic HID")
    scans, _, _ = run([other, wanted], wanted, exclude=("0c2e:0b61",))
    assert scans == ["9784033280103"]


def test_a_failing_consumer_does_not_stop_the_reader():
    device = scanner("us-split-reads.hex")
    delivered = []

    def consumer(scanner_id, text):
        delivered.append(text)
        if len(delivered) == 1:
            raise RuntimeError("the web layer fell over")

    run([device], device, device="0c2e:0b61", on_scan=consumer)
    assert delivered == ["9784033280103", "1928797012008"]


def test_scanner_id_is_passed_with_each_scan():
    device = scanner("us-9784033280103.hex")
    seen = []
    run([device], device, device="0c2e:0b61", scanner_id="counter-1", on_scan=lambda sid, text: seen.append(sid))
    assert seen == ["counter-1"]


@pytest.mark.parametrize("text, expected", [("0c2e:0b61", (0x0C2E, 0x0B61)), ("USB://05E0:1200", (0x05E0, 0x1200))])
def test_vid_pid(text, expected):
    assert parse_vid_pid(text) == expected


@pytest.mark.parametrize("text", ["0c2e", "0c2e:zz", "", "1:2:3"])
def test_bad_vid_pid(text):
    with pytest.raises(KioskError) as caught:
        parse_vid_pid(text)
    assert "lsusb" in caught.value.ja
