"""read_copy_number: what a code typed or scanned on a screen that finds a copy names. It is
that copy, or it is refused with the reason in Japanese, never another copy."""

import pytest
from hypothesis import given, strategies as st

from kiosk.errors import KioskError
from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from kiosk.scan import ScanSettings
from kiosk.scan.parser import read_copy_number

DEFAULT = ScanSettings()  # NW-7, mod11, A…A, 8 digits: labels carry 9 digits between A and A
from kiosk.codes.itemcode import CHECK_SCHEMES  # noqa: E402 (every scheme, m10w21 included)


def refused(text, settings=DEFAULT, *, typed):
    with pytest.raises(KioskError) as error:
        read_copy_number(text, settings, typed=typed)
    return error.value.ja


@pytest.mark.parametrize("typed", [True, False])
def test_the_issue_case_is_copy_5_whether_typed_or_scanned(typed):
    # The kiosk's own label for copy 5 (A000000051A) from a scanner that drops NW-7's letters.
    assert encode_item_number(5, DEFAULT.item) == "A000000051A"
    assert read_copy_number("000000051", DEFAULT, typed=typed) == 5
    assert read_copy_number("A000000051A", DEFAULT, typed=typed) == 5


@pytest.mark.parametrize("text", ["51", "1001", "５１", " 51 ", "9999999"])
def test_a_short_number_typed_by_hand_is_that_registration_number(text):
    assert read_copy_number(text, DEFAULT, typed=True) == int(text.strip().translate(str.maketrans("５１", "51")))


def test_a_bad_check_digit_is_refused_with_the_reason():
    for typed in (True, False):
        assert "チェックデジット" in refused("000000052", typed=typed)
        assert "チェックデジット" in refused("A000000052A", typed=typed)


def test_a_short_code_from_a_scanner_is_a_cut_scan():
    reason = refused("51", typed=False)
    assert "9 桁" in reason and "途切れ" in reason
    assert "途切れ" in refused("00000051", typed=False)


def test_a_typed_number_starting_with_zero_and_shorter_than_a_label_is_refused():
    # "00000051" is "000000051" with its first 0 lost: read as 51 it would be another copy.
    reason = refused("00000051", typed=True)
    assert "0 を付けずに" in reason
    assert "0 で始まり" in refused("0051", typed=True)


def test_a_typed_number_as_wide_as_the_number_field_is_refused():
    # 8 digits: a 9-character label missing one character, or a number typed by hand? Refused.
    reason = refused("12345678", typed=True)
    assert "1 文字が欠けた" in reason and "すべて入力" in reason
    # Without a check character the label *is* the 8 digits: that number.
    assert read_copy_number("12345678", ScanSettings(item=ItemCodeSettings(check="none")), typed=True) == 12345678


def test_what_is_not_a_label_says_what_it_is():
    assert "ISBN" in refused("9784033280103", typed=True)
    assert "登録番号" in refused("9784033280103", typed=False)
    assert "スタート/ストップ" in refused("B000000051B", typed=False)  # a patron card, say
    assert "ではありません" in refused("hello", typed=True)
    assert "ではありません" in refused("1234567890123456", typed=True)


@given(number=st.integers(1, 99_999_999), check=st.sampled_from(CHECK_SCHEMES), letters=st.booleans(),
       typed=st.booleans())
def test_every_label_reads_back_as_its_own_copy(number, check, letters, typed):
    settings = ScanSettings(item=ItemCodeSettings(check=check))
    code = encode_item_number(number, settings.item)
    sent = code if letters else code[1:-1]
    assert read_copy_number(sent, settings, typed=typed) == number


@given(number=st.integers(1, 99_999_999), check=st.sampled_from(CHECK_SCHEMES), lost=st.integers(1, 8))
def test_a_scan_that_lost_its_first_characters_is_never_another_copy(number, check, lost):
    settings = ScanSettings(item=ItemCodeSettings(check=check))
    cut = encode_item_number(number, settings.item)[1:-1][lost:]
    with pytest.raises(KioskError):
        read_copy_number(cut, settings, typed=False)


@given(number=st.integers(1, 9_999_999), check=st.sampled_from(CHECK_SCHEMES))
def test_a_label_cut_by_one_character_is_never_another_copy_even_in_the_typed_field(number, check):
    # What the old wedge did: the first digit lost, the rest typed into the focused field.
    # (Numbers below the width's last digit: 12345678 without a check character cut to 2345678
    # cannot be told from a typed 2345678; docs/scanner.md says so.)
    settings = ScanSettings(item=ItemCodeSettings(check=check))
    cut = encode_item_number(number, settings.item)[1:-1][1:]
    try:
        assert read_copy_number(cut, settings, typed=True) == number  # only a lost leading 0, no check
    except KioskError:
        pass


@given(number=st.integers(1, 9_999_999))
def test_typed_numbers_without_leading_zeros_are_themselves(number):
    assert read_copy_number(str(number), DEFAULT, typed=True) == number
