"""DC-NDL records out of NDL Search SRU responses (both packings), choosing among several,
and refusing hostile or broken XML."""

from xml.sax.saxutils import escape

import pytest

from kiosk.lookup.dcndl import parse_sru_response, read_candidates
from kiosk.lookup.faults import LookupFailed

from tests.lookup.fake_service import fixture

HARAPEKO = "9784033280103"


def parse(name: str, isbn13: str):
    return parse_sru_response(fixture(f"ndl/{name}"), isbn13)


def failure(body, isbn13=HARAPEKO) -> LookupFailed:
    with pytest.raises(LookupFailed) as error:
        parse_sru_response(body, isbn13)
    return error.value


def test_xml_and_string_packing_give_the_same_record():
    from_xml = parse("sru-dcndl-xml-9784033280103.xml", HARAPEKO)
    from_string = parse("sru-dcndl-string-9784033280103.xml", HARAPEKO)
    assert from_xml == from_string
    assert from_xml.title == "はらぺこあおむし"
    assert from_xml.title_reading == "ハラペコ アオムシ"
    assert [(c.name, c.reading, c.role) for c in from_xml.creators] == [
        ("エリック=カール", "カール, エリック", "作"), ("もりひさし", "モリ, ヒサシ", "訳")]
    assert (from_xml.publisher, from_xml.year, from_xml.price) == ("偕成社", 1976, 1200)
    assert (from_xml.ndc9, from_xml.ndc10, from_xml.jp_number) == ("726.6", None, "00000001")
    assert from_xml.extent == "1冊 ; 22×30cm" and from_xml.source == "ndl"


def test_volume_series_edition_and_both_ndc():
    record = parse("sru-xml-series-volume-9784999990016.xml", "9784999990016")
    assert (record.volume, record.series, record.edition) == ("上", "しらないまち文庫 ; 12", "新装版")
    assert (record.ndc9, record.ndc10) == ("913.6", "913.6")
    assert (record.price, record.year, record.ndl_bib_id) == (1300, 2019, "000000000016")
    assert [(c.name, c.reading, c.role) for c in record.creators] == [
        ("山田花子", "ヤマダ, ハナコ", "作"), ("川本太郎", "カワモト, タロウ", "絵"),
        ("森のなかま文庫編集部", None, "編")]
    assert record.note is None


def test_two_records_the_ndl_catalogue_is_chosen_and_the_note_says_why():
    record = parse("sru-string-two-records-9784999990023.xml", "9784999990023")
    assert record.ndl_bib_id == "000000000023" and record.price == 1600
    assert "2件から R100000002-I000000000023" in record.note
    assert "R100000001-I000000000023（NDL以外の目録の書誌）" in record.note
    assert [(c.name, c.reading, c.role) for c in record.creators] == [
        ("ジェーン・ドウ", "ドウ, ジェーン", "文"), ("さとういちろう", "サトウ, イチロウ", "訳")]
    assert record.ndc10 == "933.7" and record.ndc9 is None


def test_the_book_is_preferred_to_an_article_a_set_and_another_edition():
    record = parse("sru-xml-article-set-edition-book-9784999990030.xml", "9784999990030")
    assert record.ndl_bib_id == "000000000030" and record.volume == "1"
    assert "記事：図書ではない" in record.note
    assert "ISBN 9784999990054：別の版・巻" in record.note
    assert "複数のISBN" in record.note


def test_an_article_alone_is_not_found():
    assert parse("sru-xml-article-only-9784999990061.xml", "9784999990061") is None


def test_a_record_for_another_isbn_is_never_returned():
    assert parse("sru-dcndl-xml-9784033280103.xml", "9784999990016") is None


def test_empty_result_is_not_found():
    assert parse("sru-empty.xml", HARAPEKO) is None


def test_a_book_without_title_is_a_fault_not_a_record():
    error = failure(fixture("ndl/sru-xml-no-title-9784999990078.xml"), "9784999990078")
    assert error.status == "incomplete" and "書名" in error.ja


def test_missing_fields_are_named_in_the_note():
    record = parse("sru-xml-sparse-9784999990047.xml", "9784999990047")
    assert record.price is None and record.creators == ()
    assert "非売品" in record.note and "著者" in record.note and "NDC" in record.note


def test_sru_diagnostic_is_a_fault():
    assert failure(fixture("ndl/sru-diagnostic.xml")).status == "http_error"


def test_not_found_diagnostic_is_an_empty_result():
    body = (b'<searchRetrieveResponse><diagnostics><diagnostic><message>Record does not exist'
            b'</message></diagnostic></diagnostics></searchRetrieveResponse>')
    assert parse_sru_response(body, HARAPEKO) is None


@pytest.mark.parametrize("body, status", [
    (b"", "malformed"),
    (b"<searchRetrieveResponse><numberOfRecords>1</numberOfRecords><records><record>",
     "truncated"),
    (b"<searchRetrieveResponse><numberOfRecords>1</numberOfRecords></wrong>", "malformed"),
    (b"<other/>", "malformed"),
    (b"<searchRetrieveResponse><records/></searchRetrieveResponse>", "malformed"),
    (b"<searchRetrieveResponse><numberOfRecords>2</numberOfRecords></searchRetrieveResponse>",
     "truncated"),
])
def test_broken_responses(body, status):
    assert failure(body).status == status


def test_html_page_is_recognised():
    assert failure(fixture("ndl/html-error-page.html")).status == "html_page"


def test_cut_string_packed_record_is_truncated():
    whole = fixture("ndl/sru-dcndl-string-9784033280103.xml").decode()
    cut = whole.replace("&lt;/rdf:RDF&gt;", "")
    assert failure(cut).status == "truncated"


BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<searchRetrieveResponse><numberOfRecords>1</numberOfRecords>&lol3;</searchRetrieveResponse>')
XXE = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rdf:RDF xmlns:rdf="x">&x;</rdf:RDF>'


def test_entity_bomb_is_refused():
    error = failure(BOMB.encode())
    assert error.status == "malformed" and "DTD" in str(error)


def test_external_entity_inside_a_string_packed_record_is_refused():
    body = ('<searchRetrieveResponse><numberOfRecords>1</numberOfRecords><records><record>'
            f'<recordData>{escape(XXE)}</recordData></record></records></searchRetrieveResponse>')
    error = failure(body)
    assert error.status == "malformed" and "passwd" not in error.ja


def test_candidates_expose_what_was_read():
    candidates = read_candidates(fixture("ndl/sru-xml-article-set-edition-book-9784999990030.xml"))
    assert [c.is_book() for c in candidates] == [False, True, True, True]
    assert candidates[1].isbns == ["9784999990030", "9784999990047"]
