"""Item barcodes (登録番号): check schemes against published worked examples, round trips."""

import barcode
import pytest
from hypothesis import given, settings, strategies as st

from kiosk.errors import KioskError
from kiosk.codes.itemcode import (
    CHECK_SCHEMES, SYMBOLOGIES, ItemCodeSettings, check_character, decode_item_code, encode_item_number,
)

# (digits, scheme, check, where the worked example is published)
PUBLISHED = [
    ("400763000011", "mod10w3", "6", "ActiveBarcode, Modulo 10 (EAN-13 example)"),
    ("490941100584", "mod10w3", "9", "JAN 4909411005849, fmtr.hatenadiary.org 2004-08-13"),
    ("491009971074", "mod10w3", "1", "雑誌コード管理センター, チェックデジットの計算方法"),
    ("12345", "mod11", "5", "Hitachi SEWB+ LXRPIZ04 (weights 2-7, remainder 0/1 → 0)"),
    ("943457842", "mod11", "3", "CA Ideal, Modulo11 CheckDigit Calculation"),
    ("1234567", "mod11", "4", "HP RPG/XL SIGEDITOR, Modulus 11 Self-Check Digit"),
    ("123456", "7dr", "4", "mimosa.gr.jp, チェックデジットについて (7DR)"),
    ("12345678901", "7dr", "3", "nanoappli.com, ヤマト伝票番号 (7DR)"),
    ("99991234567", "7dr", "0", "okusu.net, NW-7バーコードと7チェック"),
    ("A01234B", "mod16", "5", "Intermec 1800 reference manual, Codabar check character"),
    ("A789A", "mod16", "8", "ActiveBarcode, Modulo 16"),
]


@pytest.mark.parametrize("digits, scheme, check, source", PUBLISHED)
def test_published_check_characters(digits, scheme, check, source):
    assert check_character(digits, scheme) == check, source


def test_7dsr_is_seven_minus_the_7dr_remainder():
    assert check_character("123456", "7dsr") == "3"  # 7 - 4
    assert check_character("99991234567", "7dsr") == "7"  # remainder 0 gives 7, never 0


def test_mod11_remainders_zero_and_one_both_give_zero():
    # 1 × 2 = 2 → r 2 → 9;  "6": 12 → r 1 → 0;  "0": 0 → r 0 → 0
    assert [check_character(d, "mod11") for d in ("1", "6", "0")] == ["9", "0", "0"]


def test_none_scheme_has_no_check_character():
    assert check_character("1234", "none") == ""


def test_default_is_nw7_mod11_eight_digits_a_to_a():
    assert encode_item_number(1234, ItemCodeSettings()) == "A000012343A"


@pytest.mark.parametrize(
    "settings, number, data",
    [
        (ItemCodeSettings(check="none", start="A", stop="B"), 1234, "A00001234B"),
        (ItemCodeSettings(check="mod16", start="A", stop="B", width=5), 1234, "A012345B"),
        (ItemCodeSettings(symbology="code39", check="7dr", width=6), 123456, "1234564"),
        (ItemCodeSettings(symbology="code128", check="none", width=10), 42, "0000000042"),
    ],
)
def test_encode_examples(settings, number, data):
    assert encode_item_number(number, settings) == data
    assert decode_item_code(data, settings) == number


VALID_SETTINGS = [
    ItemCodeSettings(symbology=s, check=c, width=10)
    for s in SYMBOLOGIES for c in CHECK_SCHEMES if not (c == "mod16" and s != "nw7")
]


@pytest.mark.parametrize("item_settings", VALID_SETTINGS, ids=lambda s: f"{s.symbology}-{s.check}")
def test_python_barcode_accepts_the_data(item_settings):
    data = encode_item_number(9876543210, item_settings)
    symbol = {
        "nw7": lambda: barcode.get_barcode_class("codabar")(data),
        "code39": lambda: barcode.get_barcode_class("code39")(data, add_checksum=False),
        "code128": lambda: barcode.get_barcode_class("code128")(data),
    }[item_settings.symbology]()
    assert symbol.build()[0]
    assert symbol.get_fullcode() == data


@settings(max_examples=300, deadline=None)
@given(
    item_settings=st.sampled_from(VALID_SETTINGS),
    number=st.integers(min_value=1, max_value=9_999_999_999),
    start=st.sampled_from("ABCD"),
    stop=st.sampled_from("ABCD"),
)
def test_round_trip_for_1_to_10_digit_numbers(item_settings, number, start, stop):
    item_settings = ItemCodeSettings(item_settings.symbology, item_settings.check, start, stop, width=10)
    data = encode_item_number(number, item_settings)
    assert decode_item_code(data, item_settings) == number
    if item_settings.symbology == "nw7":
        assert data[0] == start and data[-1] == stop
        assert decode_item_code(data[1:-1], item_settings) == number  # scanner strips start/stop
        assert decode_item_code(data.lower(), item_settings) == number


@pytest.mark.parametrize("width", range(1, 11))
def test_round_trip_at_every_width(width):
    item_settings = ItemCodeSettings(width=width)
    largest = 10**width - 1
    for number in (0, 1, largest):
        assert decode_item_code(encode_item_number(number, item_settings), item_settings) == number


@pytest.mark.parametrize("sent", ["A000012343A", "a000012343a", "000012343", "Ａ００００１２３４３Ａ", " T000012343T \r\n"])
def test_decode_accepts_what_scanners_send(sent):
    assert decode_item_code(sent, ItemCodeSettings()) == 1234


def test_wrong_check_character_is_rejected_in_both_languages():
    with pytest.raises(KioskError) as caught:
        decode_item_code("A000012344A", ItemCodeSettings())
    assert "expected '3'" in str(caught.value)
    assert "チェックデジット" in caught.value.ja


def test_other_start_stop_is_not_this_librarys_label():
    with pytest.raises(KioskError, match="start/stop B…B"):
        decode_item_code("B000012343B", ItemCodeSettings())


@pytest.mark.parametrize("sent", ["A0001234A", "12343", "A00001234XA", ""])
def test_wrong_shape_is_rejected(sent):
    with pytest.raises(KioskError):
        decode_item_code(sent, ItemCodeSettings())


@pytest.mark.parametrize("number", [-1, 123456789, 1.5, True, "12"])
def test_encode_refuses_bad_numbers(number):
    with pytest.raises(KioskError) as caught:
        encode_item_number(number, ItemCodeSettings())
    assert caught.value.ja


@pytest.mark.parametrize(
    "kwargs",
    [
        {"symbology": "ean13"},
        {"check": "luhn"},
        {"symbology": "code39", "check": "mod16"},
        {"start": "E"},
        {"stop": "AA"},
        {"width": 0},
        {"width": 21},
        {"width": "8"},
    ],
)
def test_settings_are_validated(kwargs):
    with pytest.raises(KioskError) as caught:
        ItemCodeSettings(**kwargs)
    assert caught.value.ja


def test_check_character_refuses_letters():
    with pytest.raises(KioskError):
        check_character("12a4", "mod11")
