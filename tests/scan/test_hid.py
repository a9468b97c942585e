"""HID report decoding on its own: keyboard (US/JIS, Shift, rollover, splits) and HID POS."""

from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.scan.hid import KeyboardReportDecoder, PosReportDecoder

from .replay_backend import load_script

FIXTURES = Path(__file__).parent / "fixtures"


def decode(name: str, layout: str = "us") -> list[str]:
    decoder = KeyboardReportDecoder(layout)
    scans = []
    for step in load_script(FIXTURES / name):
        if isinstance(step, bytes):
            scans += decoder.feed(step)
    return scans


@pytest.mark.parametrize(
    "name, layout, expected",
    [
        ("us-9784033280103.hex", "us", ["9784033280103"]),
        ("us-4033280103.hex", "us", ["4033280103"]),
        ("us-nw7-A00001234B.hex", "us", ["A00001234B"]),
        ("jis-aim-9784033280103.hex", "jis", ["]E09784033280103"]),
        ("jis-nw7-mod16.hex", "jis", ["A00000004:A", "A00000001+A"]),
        ("jis-symbols.hex", "jis", ['"@:+]']),
        ("us-split-reads.hex", "us", ["9784033280103", "1928797012008"]),
        ("us-several-keys.hex", "us", ["4033280103"]),
    ],
)
def test_fixtures_decode(name, layout, expected):
    assert decode(name, layout) == expected


def test_the_same_keys_in_the_wrong_layout_give_other_symbols():
    assert decode("jis-symbols.hex", "us") == ["@[':#"]


def test_whole_stream_in_one_read_or_byte_by_byte_is_the_same():
    stream = b"".join(s for s in load_script(FIXTURES / "us-split-reads.hex") if isinstance(s, bytes))
    whole = KeyboardReportDecoder().feed(stream)
    bytewise = KeyboardReportDecoder()
    assert [scan for i in range(len(stream)) for scan in bytewise.feed(stream[i : i + 1])] == whole


def report(modifiers, *keys):
    return bytes([modifiers, 0, *keys, *[0] * (6 - len(keys))])


def test_key_held_across_reports_is_one_press():
    decoder = KeyboardReportDecoder()
    assert decoder.feed(report(0, 0x1E) + report(0, 0x1E) + report(0, 0x1E)) == []
    assert decoder.pending == "1"


def test_repeated_character_needs_a_release():
    decoder = KeyboardReportDecoder()
    decoder.feed(report(0, 0x27) + report(0) + report(0, 0x27) + report(0))
    assert decoder.pending == "00"


def test_error_rollover_report_is_ignored():
    decoder = KeyboardReportDecoder()
    decoder.feed(report(0, 0x1E) + report(0, 1, 1, 1, 1, 1, 1) + report(0))
    assert decoder.pending == "1"


def test_right_shift_and_keypad():
    decoder = KeyboardReportDecoder()
    assert decoder.feed(report(0x20, 0x04) + report(0) + report(0, 0x59) + report(0) + report(0, 0x58)) == ["A1"]


def test_ctrl_letter_is_a_control_character():
    decoder = KeyboardReportDecoder()
    assert decoder.feed(report(0x01, 0x05) + report(0) + report(0, 0x1E) + report(0) + report(0, 0x28)) == ["\x021"]


def test_enter_with_nothing_typed_is_an_empty_scan():
    assert KeyboardReportDecoder().feed(report(0, 0x28) + report(0)) == [""]


def test_unknown_layout_is_refused():
    with pytest.raises(KioskError):
        KeyboardReportDecoder("dvorak")


def test_pos_reports():
    decoder = PosReportDecoder(report_size=64)
    scans = []
    for step in load_script(FIXTURES / "pos-scans.hex"):
        scans += decoder.feed(step)
    assert scans == ["]E09784033280103", "]E01928797012008", "]C0KIOSK-" + "0123456789" * 6]


def test_pos_report_with_another_id_is_not_data():
    decoder = PosReportDecoder(report_size=64)
    assert decoder.feed(bytes([0x04]) + bytes(63)) == []
