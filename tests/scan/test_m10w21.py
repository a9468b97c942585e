"""モジュラス10 ウェイト2・1分割 (M10W21, the Luhn formula): published vectors, what the check
catches, and item barcodes carrying it, encoded, printed and scanned back."""

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from kiosk_app.cli import main
from kiosk.errors import KioskError
from kiosk.codes.itemcode import CHECK_SCHEMES, ItemCodeSettings, check_character, decode_item_code, encode_item_number
from kiosk.scan import ScanSettings
from kiosk.scan.parser import read_copy_number

# (digits, check, where it is published)
PUBLISHED = [
    ("7992739871", "3", "Wikipedia, Luhn algorithm: example for computing the check digit"),
    ("612345123456789", "3", "ISO/IEC 7812-1:2015 as npm cc-luhn's README quotes it: 6123451234567893"),
    ("4992739871", "6", "Rosetta Code, Luhn test of credit card numbers: 49927398716 is valid"),
    ("453931950343646", "7", "Exercism, Luhn: 4539 3195 0343 6467 is valid"),
    ("49015420323751", "8", "Wikipedia, International Mobile Equipment Identity: 49015420323751 8"),
]


@pytest.mark.parametrize("digits, check, source", PUBLISHED)
def test_published_vectors(digits, check, source):
    assert check_character(digits, "m10w21") == check, source


def test_the_digits_of_each_product_are_added_split_not_whole():
    """分割: 5 × 2 = 10 counts 1 + 0 = 1, so the check is 9 (adding 10 whole, 一括, would give 0)."""
    assert check_character("5", "m10w21") == "9"
    assert check_character("9", "m10w21") == "1"  # 18 → 1 + 8 = 9
    assert check_character("0", "m10w21") == "0"
    assert check_character("18", "m10w21") == "2"  # 1 × 1 + (8 × 2 = 16 → 1 + 6) = 8 → 2


def test_it_is_one_of_the_schemes_and_refuses_what_is_not_digits():
    assert "m10w21" in CHECK_SCHEMES
    with pytest.raises(KioskError) as error:
        check_character("12a4", "m10w21")
    assert "数字のみ" in error.value.ja


def _valid(code: str) -> bool:
    return check_character(code[:-1], "m10w21") == code[-1]


@given(digits=st.text("0123456789", min_size=1, max_size=20), data=st.data())
def test_any_single_wrong_digit_is_caught(digits, data):
    code = digits + check_character(digits, "m10w21")
    place = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != code[place]]))
    assert _valid(code) and not _valid(code[:place] + wrong + code[place + 1:])


@given(digits=st.text("0123456789", min_size=1, max_size=20), data=st.data())
def test_two_neighbours_swapped_are_caught_except_09_and_90(digits, data):
    code = digits + check_character(digits, "m10w21")
    if len(code) < 2:
        return
    place = data.draw(st.integers(0, len(code) - 2))
    pair = code[place:place + 2]
    swapped = code[:place] + pair[::-1] + code[place + 2:]
    if pair[0] != pair[1] and pair not in ("09", "90"):
        assert not _valid(swapped)


@pytest.mark.parametrize("item, data", [
    (ItemCodeSettings(check="m10w21", width=10), "A79927398713A"),
    (ItemCodeSettings(check="m10w21", start="B", stop="D", width=10), "B79927398713D"),
    (ItemCodeSettings(symbology="code39", check="m10w21", width=10), "79927398713"),
    (ItemCodeSettings(symbology="code128", check="m10w21", width=10), "79927398713"),
])
def test_encoded_and_decoded_in_every_symbology(item, data):
    assert encode_item_number(7992739871, item) == data
    assert decode_item_code(data, item) == 7992739871


@pytest.mark.parametrize("sent", ["A79927398713A", "79927398713", "a79927398713a", "T79927398713T", "Ａ７９９２７３９８７１３Ａ"])
def test_a_scan_with_or_without_its_letters_is_the_number(sent):
    assert decode_item_code(sent, ItemCodeSettings(check="m10w21", width=10)) == 7992739871


@pytest.mark.parametrize("sent, ja", [
    ("A79927398714A", "蔵書バーコード「A79927398714A」のチェックデジットが合いません（3 のはず）"),
    ("79927398710", "チェックデジットが合いません（3 のはず）"),
    ("A7992739871A", "「A7992739871A」は蔵書バーコードではありません（10 桁の番号＋チェックデジット）"),
    ("B79927398713B", "スタート/ストップ（B…B）は、この図書館の蔵書バーコード（A…A）と違います"),
])
def test_a_scan_that_does_not_check_is_refused_with_the_reason(sent, ja):
    with pytest.raises(KioskError) as error:
        decode_item_code(sent, ItemCodeSettings(check="m10w21", width=10))
    assert ja in error.value.ja
    if "チェックデジット" in ja and "ではありません" not in ja:
        assert "expected '3' (m10w21)" in str(error.value)


@given(number=st.integers(1, 99_999_999), letters=st.booleans(), typed=st.booleans())
def test_every_label_reads_back_as_its_copy_on_the_find_screen(number, letters, typed):
    settings = ScanSettings(item=ItemCodeSettings(check="m10w21"))
    code = encode_item_number(number, settings.item)
    assert read_copy_number(code if letters else code[1:-1], settings, typed=typed) == number


def test_kiosk_parse_takes_the_scheme():
    result = CliRunner().invoke(main, ["parse", "A000012344A", "--check", "m10w21", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {"kind": "item", "number": 1234}
    wrong = CliRunner().invoke(main, ["parse", "A000012343A", "--check", "m10w21"])  # mod11's check digit
    assert wrong.exit_code == 2 and "チェックデジットが合いません（4 のはず）" in wrong.stderr
