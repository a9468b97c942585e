"""Importing catalogue files: TSV/CSV in UTF-8 or Shift_JIS, and MARC 21 via pymarc.
Bad rows are reported by line (records by position); good rows still come in."""

import pytest
from pymarc import Field, Indicators, Record, Subfield

from kiosk.lookup.catalogue_import import (CatalogueError, decode_catalogue, import_catalogue,
                                           map_columns)

from tests.lookup.fake_service import FIXTURES


def test_utf8_tsv_with_readings_and_bad_rows():
    report = import_catalogue(FIXTURES / "catalogue" / "books-utf8.tsv")
    assert (report.format, report.encoding) == ("tsv", "utf-8")
    assert [r.isbn13 for r in report.records] == ["9784999990016", "9784999990023", "9784999990047"]
    first = report.records[0]
    assert (first.title_reading, first.volume, first.series) == (
        "シラナイ マチ ノ チズ", "上", "しらないまち文庫 ; 12")
    assert [(c.name, c.reading, c.role) for c in first.creators] == [
        ("山田花子", "ヤマダ, ハナコ", "作"), ("川本太郎", "カワモト, タロウ", "絵")]
    assert report.records[1].price == 1600 and first.source == "import"
    assert [(p.line, p.severity) for p in report.errors] == [(5, "error"), (6, "error")]
    assert "チェックデジット" in report.errors[0].ja and "書名" in report.errors[1].ja
    warned = [(p.line, p.message.split()[0]) for p in report.warnings]
    assert warned == [(7, "year"), (7, "price"), (7, "ndc9"), (8, "ISBN")]
    third = report.records[2]
    assert (third.year, third.price, third.ndc9, third.volume) == (None, None, None, "2")


def test_cp932_csv_with_quotes_line_breaks_and_totals():
    report = import_catalogue((FIXTURES / "catalogue" / "books-cp932.csv").read_bytes())
    assert (report.format, report.encoding) == ("csv", "cp932")
    assert "税込価格" not in report.columns  # a tax-included column is never the price
    first, second = report.records
    assert first.title == "まちのえほん, だい1かん" and first.price == 1500
    assert second.title == "ながい なまえのほん" and second.publisher == "㈱しらないまち書房"
    assert second.creators[0].name == "ヤマダ ハナコ"  # half-width katakana widened
    assert [(p.line, p.message) for p in report.errors] == [(6, "no ISBN: row skipped")]


@pytest.mark.parametrize("name", ["slip-himawari-utf8bom.csv", "slip-himawari-sjis.csv"])
def test_the_delivery_slip_in_both_encodings(name):
    report = import_catalogue(FIXTURES / "catalogue" / name)
    assert len(report.records) == 6 and [p.line for p in report.errors] == [8]
    harapeko = report.records[0]
    assert (harapeko.isbn13, harapeko.c_code, harapeko.price) == ("9784033280103", "8797", 1200)
    assert [(c.name, c.role) for c in harapeko.creators] == [
        ("エリック・カール", "作"), ("もり ひさし", "訳")]


def test_column_names_are_matched_loosely():
    mapping = map_columns(["ＩＳＢＮ", "書名 ", "著者（ヨミ）", "本体価格(円)", "NDC10", "税込単価"])
    assert mapping == {0: "isbn", 1: "title", 2: "creator_readings", 3: "price", 4: "ndc10"}
    assert map_columns(["価格", "定価"]) == {0: "price"}  # one column per field


def test_no_isbn_column_is_a_file_error():
    with pytest.raises(CatalogueError) as error:
        import_catalogue("書名,著者\nあ,い\n".encode())
    assert "ISBN" in error.value.ja


def test_undecodable_bytes_are_refused_not_guessed():
    with pytest.raises(CatalogueError) as error:
        decode_catalogue("書名,ISBN\n".encode("utf-8") + b"\x81\x20\xff\xfe\n")
    assert "2行目" in error.value.ja


def marc_record(isbn: str | None, title: str | None, **extra) -> Record:
    record = Record(force_utf8=True)
    record.leader = record.leader[:9] + "a" + record.leader[10:]
    record.add_field(Field(tag="001", data="000000000099"), Field(tag="003", data="JTNDL"))
    if isbn:
        record.add_field(Field("020", Indicators(" ", " "),
                               [Subfield("a", isbn), Subfield("c", "1200円")]))
    record.add_field(Field("084", Indicators(" ", " "),
                           [Subfield("a", "913.6"), Subfield("2", "njb/9")]))
    record.add_field(Field("100", Indicators("1", " "),
                           [Subfield("6", "880-02"), Subfield("a", "山田, 花子,"),
                            Subfield("e", "作")]))
    if title:
        record.add_field(Field("245", Indicators("1", "0"),
                               [Subfield("6", "880-01"), Subfield("a", title + " /"),
                                Subfield("n", "上"), Subfield("c", "山田花子 作")]))
        record.add_field(Field("880", Indicators("1", "0"),
                               [Subfield("6", "245-01/$1"), Subfield("a", "シラナイ マチ ノ チズ")]))
    record.add_field(Field("880", Indicators("1", " "),
                           [Subfield("6", "100-02/$1"), Subfield("a", "ヤマダ, ハナコ")]))
    record.add_field(Field("264", Indicators(" ", "1"),
                           [Subfield("a", "東京 :"), Subfield("b", "しらないまち書房,"),
                            Subfield("c", "2019.4")]))
    record.add_field(Field("490", Indicators("0", " "),
                           [Subfield("a", "しらないまち文庫 ;"), Subfield("v", "12")]))
    return record


def test_marc21_records_with_readings_and_a_broken_record():
    good = marc_record("9784999990016", "しらないまちのちず").as_marc()
    no_isbn = marc_record(None, "ISBNのない本").as_marc()
    broken = b"00099nam a2200037 a 4500" + b"garbage\x1e\x1d"
    report = import_catalogue(good + no_isbn + broken)
    assert report.format == "marc21"
    [record] = report.records
    assert (record.isbn13, record.title, record.title_reading) == (
        "9784999990016", "しらないまちのちず", "シラナイ マチ ノ チズ")
    assert (record.volume, record.series, record.publisher, record.year) == (
        "上", "しらないまち文庫 ; 12", "しらないまち書房", 2019)
    assert (record.price, record.ndc9, record.ndl_bib_id) == (1200, "913.6", "000000000099")
    assert [(c.name, c.reading, c.role) for c in record.creators] == [("山田, 花子", "ヤマダ, ハナコ", "作")]
    assert [(p.record, p.severity) for p in report.problems] == [(2, "error"), (3, "error")]
    assert "ISBN" in report.problems[0].ja and "壊れて" in report.problems[1].ja


def test_comment_lines_above_the_header_are_skipped_and_readable():
    from kiosk.lookup.catalogue_import import comment_lines

    data = ("# 出典：ひまわり書店の目録\n\n# 2024年4月版\nISBN\t書名\n9784033280103\tはらぺこあおむし\n"
            "# this line is data, not a comment\t\n").encode()
    report = import_catalogue(data)
    assert [r.title for r in report.records] == ["はらぺこあおむし"]
    assert [p.line for p in report.errors] == [6]  # a '#' row below the header is a row
    assert comment_lines(data) == ["出典：ひまわり書店の目録", "2024年4月版"]


def test_a_header_whose_first_column_is_named_hash_is_still_the_header():
    report = import_catalogue("#,書名,ISBN\n1,はらぺこあおむし,9784033280103\n".encode())
    assert [r.title for r in report.records] == ["はらぺこあおむし"]


def test_creators_written_whole_keep_commas_and_missing_readings():
    data = ("ISBN\t書名\t著者\tNDL書誌ID\t注記\n"
            "9784033280103\tはらぺこあおむし\tCarle, Eric||作 / もり ひさし|モリ ヒサシ|訳 / 偕成社編集部||\t"
            "000001234567\t価格は税込のため空欄\n").encode()
    record = import_catalogue(data).records[0]
    assert [(c.name, c.reading, c.role) for c in record.creators] == [
        ("Carle, Eric", None, "作"), ("もり ひさし", "モリ ヒサシ", "訳"), ("偕成社編集部", None, None)]
    assert (record.ndl_bib_id, record.note) == ("000001234567", "価格は税込のため空欄")


def test_a_broken_utf16_file_is_refused_with_a_reason_not_a_crash():
    with pytest.raises(CatalogueError) as error:
        import_catalogue(b"\xff\xfe\x00\xd8broken")
    assert "UTF-8" in error.value.ja
