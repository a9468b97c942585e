"""Reading delivery slips (納品書) as booksellers send them."""

from datetime import date
from pathlib import Path

import pytest

from kiosk.intake.slip import SlipError, parse_slip
from kiosk.textfiles import UnreadableFile

FIXTURES = Path(__file__).parent / "fixtures"
UTF8 = (FIXTURES / "slip-himawari-utf8bom.csv").read_bytes()
SJIS = (FIXTURES / "slip-himawari-sjis.csv").read_bytes()


@pytest.mark.parametrize("data, encoding", [(UTF8, "utf-8-sig"), (SJIS, "cp932")])
def test_the_himawari_slip_in_both_encodings(data, encoding):
    slip = parse_slip(data)
    assert slip.encoding == encoding
    assert (slip.vendor, slip.slip_number, slip.received_on) == ("ひまわり書店", "A-20261120-01", date(2026, 11, 20))
    assert len(slip.lines) == 6 and slip.quantity == 9 and slip.amount == 11550
    assert (slip.total_quantity, slip.total_amount) == (9, 11550)
    assert slip.problems == []
    first = slip.lines[0]
    assert (first.title, first.isbn13, first.list_price, first.unit_price, first.c_code) == (
        "はらぺこあおむし", "9784033280103", 1200, 1320, "8797")
    assert slip.lines[5].quantity == 3 and slip.lines[5].authors is None


def _slip(text: str, encoding="utf-8") -> bytes:
    return text.encode(encoding)


def test_other_column_names_order_quotes_blank_lines_and_half_width_kana():
    data = _slip(
        "ISBNコード,冊数,品名,単価\r\n"
        "\r\n"
        '978-4-03-328010-3,2,"ﾊﾗﾍﾟｺ ｱｵﾑｼ, 新装版",1320\r\n'
        "\r\n", "cp932")
    slip = parse_slip(data)
    (line,) = slip.lines
    assert (line.title, line.isbn13, line.quantity, line.unit_price) == ("ハラペコ アオムシ, 新装版", "9784033280103", 2, 1320)
    assert slip.amount == 2640 and slip.total_amount is None


def test_wrong_check_digit_and_bad_rows_are_reported_with_their_line():
    data = _slip(
        "書名,ISBN,数量,税込単価,金額\n"
        "はらぺこあおむし,9784033280104,1,1320,1320\n"
        "ぐりとぐら,9784834000825,x,1100,1100\n"
        "坊っちゃん,9784003101018,2,550,1000\n"
        "合計,,4,,3420\n")
    slip = parse_slip(data)
    lines = {p.line: p for p in slip.problems}
    assert "チェックデジット" in lines[2].ja and slip.lines[0].isbn13 is None
    assert slip.lines[0].isbn_text == "9784033280104"
    assert 3 in lines and "数字ではありません" in lines[3].ja
    assert "合いません" in lines[4].ja  # 550 × 2 ≠ 1000
    assert [l.title for l in slip.lines] == ["はらぺこあおむし", "坊っちゃん"]
    totals = [p for p in slip.problems if p.line == 0]
    assert totals and "合計行" in totals[0].ja  # the totals row disagrees with the lines


def test_a_vendors_remembered_mapping_reads_unknown_headers():
    data = _slip("タイトル名,コード,部数,売価\nぐりとぐら,9784834000825,1,1100\n")
    with pytest.raises(SlipError) as caught:
        parse_slip(data)
    assert "列の対応" in caught.value.ja
    slip = parse_slip(data, {"タイトル名": "title", "コード": "isbn", "売価": "unit_price"})
    assert (slip.lines[0].title, slip.lines[0].unit_price, slip.lines[0].quantity) == ("ぐりとぐら", 1100, 1)


def test_empty_and_undecodable_files_are_refused():
    with pytest.raises(SlipError):
        parse_slip(b"\r\n\r\n")
    with pytest.raises(UnreadableFile) as caught:
        parse_slip("書名,ISBN,数量\n".encode() + b"\x81\x20\xff\n")
    assert "文字コード" in caught.value.ja


def test_an_excel_slip_reads_like_the_csv(tmp_path):
    import csv
    import io
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    rows = list(csv.reader(io.StringIO(UTF8.decode("utf-8-sig"))))
    for row in rows:
        typed = [int(cell) if cell.isdigit() and len(cell) < 10 else cell for cell in row]
        if typed and typed[0] == "2026/11/20":
            typed[0] = datetime(2026, 11, 20)
        sheet.append(typed)
    path = tmp_path / "slip.xlsx"
    book.save(path)
    slip = parse_slip(path.read_bytes())
    assert slip.encoding == "xlsx" and slip.received_on == date(2026, 11, 20)
    assert (len(slip.lines), slip.quantity, slip.amount, slip.total_amount) == (6, 9, 11550, 11550)
    assert slip.lines[0].isbn13 == "9784033280103" and slip.problems == []


def test_a_damaged_excel_file_is_refused():
    with pytest.raises(SlipError) as caught:
        parse_slip(b"PK\x03\x04 not really a workbook")
    assert "Excel" in caught.value.ja


def test_an_unclosed_quote_over_the_csv_field_limit_is_refused_in_japanese():
    # Found by tests/fuzz: the csv module's "field larger than field limit" came out as a 500.
    data = "書名,ISBN,数量\n\"".encode() + b"a" * 200_000 + b",9784033280103,1\n"
    with pytest.raises(SlipError) as refused:
        parse_slip(data)
    assert "引用符" in refused.value.ja and "field larger than field limit" in str(refused.value)


@pytest.mark.parametrize("total", [":", "1" * 5000])
def test_a_totals_row_that_is_not_a_number_is_a_problem_not_an_error(total):
    # Found by tests/fuzz: the totals row's ValueError escaped parse_slip (a 500 on upload).
    slip = parse_slip(f"書名,ISBN,数量,金額\nぐりとぐら,9784834000825,1,1100\n計,,1,{total}\n".encode())
    assert slip.total_amount is None and len(slip.lines) == 1
    assert [problem.line for problem in slip.problems] == [3] and "合計行" in slip.problems[0].ja
