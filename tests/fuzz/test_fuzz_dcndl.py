"""Hostile NDL Search SRU/DC-NDL bodies: the real fixtures with hypothesis text as values,
cut short, with bytes overwritten or DTDs and entities spliced in, and random bytes. The
parser gives a record, None, or the kiosk's own error in Japanese; over loopback HTTP into
the lookup chain, a body the parser refuses caches nothing: the database is unchanged."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import KioskError
from kiosk.lookup.dcndl import parse_sru_response
from kiosk.lookup.record import BibRecord
from kiosk.lookup.sources import NdlSruSource

from tests.fuzz.conftest import FUZZ, assert_kiosk_error, dump_all
from tests.fuzz.lookup_bodies import ServedLookup, damaged, forget_cached, xml_with_hostile_values

FIXTURES = Path(__file__).parent.parent / "lookup" / "fixtures" / "ndl"
# (fixture, the ISBN it answers)
BODIES = [("sru-dcndl-xml-9784033280103.xml", "9784033280103"),
          ("sru-dcndl-string-9784033280103.xml", "9784033280103"),
          ("sru-string-two-records-9784999990023.xml", "9784999990023"),
          ("sru-xml-article-set-edition-book-9784999990030.xml", "9784999990030"),
          ("sru-xml-series-volume-9784999990016.xml", "9784999990016"),
          ("sru-diagnostic.xml", "9784033280103")]


@st.composite
def hostile_body(draw) -> tuple[bytes, str]:
    name, isbn13 = draw(st.sampled_from(BODIES))
    body = (FIXTURES / name).read_bytes()
    kind = draw(st.sampled_from(["values", "damaged", "random"]))
    if kind == "values":
        return draw(xml_with_hostile_values(body.decode())).encode(), isbn13
    if kind == "damaged":
        return draw(damaged(body)), isbn13
    return draw(st.one_of(st.binary(max_size=1000), st.text(max_size=300).map(str.encode))), isbn13


def parsed_or_refused(body: bytes, isbn13: str) -> BibRecord | None | KioskError:
    try:
        record = parse_sru_response(body, isbn13)
    except KioskError as error:
        assert_kiosk_error(error)
        return error
    assert record is None or (isinstance(record, BibRecord) and record.isbn13 == isbn13 and record.title)
    return record


@FUZZ
@given(case=hostile_body())
def test_the_parser_gives_a_record_none_or_a_japanese_error(case):
    body, isbn13 = case
    parsed_or_refused(body, isbn13)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return
    parsed_or_refused(text, isbn13)  # the transport hands over decoded text


def test_hostile_bodies_over_http_cache_only_records(db):
    served = ServedLookup(db, NdlSruSource, "/api/sru")
    cached = 0
    try:
        @FUZZ
        @given(case=hostile_body())
        def lookup(case):
            nonlocal cached
            body, isbn13 = case
            expected = parsed_or_refused(body, isbn13)
            before = dump_all(db)
            result = served.lookup(isbn13, body, "application/xml; charset=utf-8")
            assert result.source != "cache"  # each example's record is forgotten below
            if isinstance(expected, BibRecord):
                assert result.source == "ndl" and result.record == expected
                cached += 1  # a record the parser takes is cached: that is the cache's job
                forget_cached(db)
            else:
                assert result.record is None
            assert dump_all(db) == before, f"a body changed the database: {body[:200]!r}"

        lookup()
        assert cached  # records were read too, not only refusals
    finally:
        served.close()
