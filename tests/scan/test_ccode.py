"""C-code tables (日本図書コード 分類コード)."""

import pytest

from kiosk.errors import KioskError
from kiosk.codes.ccode import FORM, READERSHIP, SUBJECT, decode_c_code


@pytest.mark.parametrize(
    "code, readership, form, subject",
    [
        # examples printed on real books (slip fixture, and pedia.3rd-in.co.jp「日本図書コード」)
        ("C8797", "児童（中学生以下対象）", "絵本", "外国文学小説"),  # はらぺこあおむし
        ("C0193", "一般", "文庫", "日本文学、小説・物語"),
        ("C9979", "雑誌扱い", "コミック", "コミックス・劇画"),
        ("C8771", "児童（中学生以下対象）", "絵本", "絵画・彫刻"),
        ("3055", "専門", "単行本", "電子通信"),  # computer books (weblio「Cコード」)
        ("0445", "一般", "ムック・その他", "生物学"),
        ("8645", "児童（中学生以下対象）", "図鑑", "生物学"),
        ("8580", "児童（中学生以下対象）", "事・辞典", "語学総記"),
        ("0221", "一般", "新書", "日本歴史"),
    ],
)
def test_decode(code, readership, form, subject):
    decoded = decode_c_code(code)
    assert (decoded.readership, decoded.form, decoded.subject) == (readership, form, subject)
    assert decoded.code == code.removeprefix("C")


def test_every_first_and_second_digit_is_defined():
    assert sorted(READERSHIP) == sorted(FORM) == list("0123456789")


def test_subject_table_is_the_published_one():
    assert len(SUBJECT) == 67  # 4+6+6+8+7+9+5+9+6+7 codes in the ten rows
    assert {"03", "78", "99"}.isdisjoint(SUBJECT)


def test_subject_outside_the_table_is_none_not_a_guess():
    assert decode_c_code("0078").subject is None
    assert decode_c_code("0078").to_json() == {"code": "0078", "readership": "一般", "form": "単行本", "subject": None}


@pytest.mark.parametrize("code", ["C879", "87977", "C87a7", "", "C８７９７"])
def test_not_a_c_code(code):
    with pytest.raises(KioskError) as caught:
        decode_c_code(code)
    assert "Cコード" in caught.value.ja
