"""The scan parser against published codes, and properties every ISBN must keep."""

import json

import pytest
from hypothesis import given, settings, strategies as st

from kiosk.errors import KioskError
from kiosk.codes.isbn import isbn10_check_digit, isbn13_check_digit
from kiosk.codes.itemcode import ItemCodeSettings
from kiosk.scan import ScanSettings, parse_scan
from kiosk.scan.parser import escape_received

# Published ISBN pairs: (ISBN-13, ISBN-10, where)
ISBN_PAIRS = [
    ("9784033280103", "4033280103", "はらぺこあおむし, 偕成社 (openBD record in the shared fixtures)"),
    ("9784344405042", "4344405048", "幻冬舎文庫, barcode digits published at udeoshi.hatenadiary.org 2007-05-04"),
    ("9784883804788", "488380478X", "ISBN4-88380-478-X, the X example of WDIC「モジュラス11」"),
    ("9780306406157", "0306406152", "ISBN 0-306-40615-2, Wikipedia's ISBN check-digit example"),
]


@pytest.mark.parametrize("isbn13, isbn10, source", ISBN_PAIRS)
def test_published_isbns_both_ways(isbn13, isbn10, source):
    for sent in (isbn13, isbn10):
        scan = parse_scan(sent)
        assert scan.to_json() == {"kind": "isbn", "isbn13": isbn13, "isbn10": isbn10}, source


def test_979_isbn_has_no_isbn10():
    assert parse_scan("979-10-90636-07-1").to_json() == {"kind": "isbn", "isbn13": "9791090636071", "isbn10": None}


@pytest.mark.parametrize("sent", ["9780306406156", "0-306-40615-3", "978-4-03-328010-4", "403328010X"])
def test_wrong_isbn_check_digit_is_rejected_as_a_misread(sent):
    scan = parse_scan(sent)
    assert scan.kind == "isbn" and scan.rejected
    assert "misread" in scan.error and "読み取りミス" in scan.error_ja
    assert set(scan.to_json()) == {"kind", "error"}
    with pytest.raises(KioskError):
        scan.raise_for_error()


# 192 codes: (barcode, C-code, list price, where)
PRICE_CODES = [
    ("1920193005714", "0193", 571, "ISBN 4-344-40504-8 C0193 ¥571, udeoshi.hatenadiary.org 2007-05-04"),
    ("1928797012008", "8797", 1200, "はらぺこあおむし C8797 ¥1200 (openBD: Subject 78 = 8797, price 1200)"),
    ("1920193005905", "0193", 590, "C0193 590円, openmedia.jp 060 書籍のバーコード(その2)"),
]


@pytest.mark.parametrize("code, c_code, price, source", PRICE_CODES)
def test_published_price_codes(code, c_code, price, source):
    scan = parse_scan(code)
    assert scan.kind == "price_code" and not scan.rejected, source
    assert scan.list_price == price and scan.c_code.code == c_code


def test_price_code_json_shape():
    assert parse_scan("1928797012008").to_json() == {
        "kind": "price_code",
        "list_price": 1200,
        "c_code": {"code": "8797", "readership": "児童（中学生以下対象）", "form": "絵本", "subject": "外国文学小説"},
    }


def test_price_code_with_wrong_check_digit():
    scan = parse_scan("1928797012009")
    assert scan.kind == "price_code" and "expected 8" in scan.error and scan.list_price is None


@pytest.mark.parametrize(
    "sent, issn",
    [
        ("4910099710741", None),  # 雑誌コード管理センター's worked example (09971, 2014年7月号)
        ("491009971074100952", None),  # with its price add-on (00952)
        ("9770317847001", "0317-8471"),  # ISSN 0317-8471 (ISSN International Centre example) as EAN-13
        ("ISSN 0317-8471", "0317-8471"),
        ("0028-0836", "0028-0836"),
    ],
)
def test_magazines_are_recognised(sent, issn):
    scan = parse_scan(sent)
    assert scan.to_json() == {"kind": "magazine"} and scan.issn == issn


def test_magazine_with_wrong_check_is_rejected():
    assert parse_scan("4910099710742").rejected
    assert parse_scan("0317-8472").rejected


def test_item_labels_are_existing_copies():
    assert parse_scan("A000012343A").to_json() == {"kind": "item", "number": 1234}
    assert parse_scan("000012343").to_json() == {"kind": "item", "number": 1234}
    shared_fixture_settings = ScanSettings(item=ItemCodeSettings(check="none", start="A", stop="B"))
    assert parse_scan("A00001234B", shared_fixture_settings).number == 1234


def test_item_label_with_wrong_check_is_an_item_error():
    scan = parse_scan("A000012344A")
    assert scan.kind == "item" and scan.rejected and "チェックデジット" in scan.error_ja


def test_mod16_labels_keep_their_symbol_check_characters():
    mod16 = ScanSettings(item=ItemCodeSettings(check="mod16"))
    assert parse_scan("A00000004:A", mod16).number == 4
    assert parse_scan("00000004:", mod16).number == 4  # start/stop not transmitted
    assert parse_scan("A00000010+A", mod16).number == 10


def test_ordinary_product_jan_is_not_a_book():
    scan = parse_scan("4909411005849")  # a bottle of water (JAN with a published check digit)
    assert scan.kind == "unknown" and "not a book's" in scan.error


@pytest.mark.parametrize(
    "sent, shown",
    [("hello\x1b[0m", "'hello\\x1b[0m'"), ("ab\u200bc", "'ab\\u200bc'"), ("x" * 200, "'" + "x" * 120 + "…'")],
)
def test_anything_else_is_unknown_with_the_text_escaped(sent, shown):
    scan = parse_scan(sent)
    assert scan.kind == "unknown" and shown in scan.error
    assert escape_received(sent) == shown


def test_empty_scan():
    assert parse_scan("\r\n").error == "nothing was scanned"


@pytest.mark.parametrize(
    "sent",
    [
        "]E09784033280103",
        "]e09784033280103\r\n",
        "９７８－４－０３－３２８０１０－３",  # full width from an IME in 全角 mode
        "978ー4ー03ー328010ー3",  # the IME turned "-" into a long vowel mark
        "ISBN978-4-03-328010-3",
        " 978 4 03 328010 3\t",
        "978403328010351299",  # EAN-13 with a 5-digit add-on
    ],
)
def test_isbn_survives_what_scanners_and_imes_do(sent):
    assert parse_scan(sent).isbn13 == "9784033280103"


def test_aim_identifier_is_kept():
    assert parse_scan("]E09784033280103").symbology == "]E0"


def test_configured_prefix_and_suffix_are_stripped():
    configured = ScanSettings(prefix="\x02", suffix="#")
    assert parse_scan("\x029784033280103#\r", configured).isbn13 == "9784033280103"
    assert parse_scan("\x02]E09784033280103#", configured).symbology == "]E0"


def test_json_is_serialisable_and_japanese_stays_readable():
    text = json.dumps(parse_scan("1928797012008").to_json(), ensure_ascii=False)
    assert "絵本" in text


# --- properties -------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@st.composite
def isbn13s(draw):
    body = draw(st.sampled_from(["978", "979"])) + draw(digits)
    return body + isbn13_check_digit(body)


@st.composite
def isbn10s(draw):
    body = draw(digits)
    return body + isbn10_check_digit(body)


def _garble(draw, code: str) -> str:
    """Insert hyphens/spaces anywhere, maybe go full width, maybe add an AIM id and CR LF."""
    out = []
    for char in code:
        out.append(draw(st.sampled_from(["", "", "-", " ", "-", "ー"])))
        out.append(char)
    text = "".join(out).strip(" -ー") or code
    if draw(st.booleans()):
        text = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}).replace(" ", "\u3000")
    if draw(st.booleans()):
        text = draw(st.sampled_from(["]E0", "]E3", "]X0"])) + text
    return text + draw(st.sampled_from(["", "\r", "\n", "\r\n", "\t"]))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), isbn=st.one_of(isbn13s(), isbn10s()))
def test_any_valid_isbn_survives_garbling(data, isbn):
    scan = parse_scan(_garble(data.draw, isbn))
    assert scan.kind == "isbn" and not scan.rejected
    assert isbn in (scan.isbn13, scan.isbn10)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), isbn=st.one_of(isbn13s(), isbn10s()))
def test_any_single_digit_change_is_rejected(data, isbn):
    position = data.draw(st.integers(0, len(isbn) - 1))
    old = isbn[position]
    new = data.draw(st.sampled_from([d for d in "0123456789X" if d != old and (d != "X" or position == 9)]))
    changed = isbn[:position] + new + isbn[position + 1 :]
    scan = parse_scan(changed)
    assert scan.rejected, f"{changed} (from {isbn}) was accepted as {scan}"


@settings(max_examples=500, deadline=None)
@given(body=st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_fast_check_digits_agree_with_the_textbook_formulas(body):
    weighted13 = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    assert isbn13_check_digit(body) == str((10 - weighted13 % 10) % 10)
    weighted10 = sum(int(d) * (10 - i) for i, d in enumerate(body[:9]))
    assert isbn10_check_digit(body[:9]) == "0123456789X"[(11 - weighted10 % 11) % 11]
