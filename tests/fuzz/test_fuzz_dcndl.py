"""Hostile NDL Search SRU/DC-NDL bodies: the real fixtures with hypothesis text as values,
cut short, with bytes overwritten or DTDs and entities spliced in, and random bytes. The
parser gives a record, None, or the kiosk's own error in Japanese; over loopback HTTP into
the lookup chain, a body the parser refuses caches nothing: the database is unchanged."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kiosk.lookup.dcndl import parse_sru_response
from kiosk.lookup.sources import NdlSruSource

from tests.fuzz.conftest import FUZZ
from tests.fuzz.lookup_bodies import damaged, fuzz_served_lookups, parse_bytes_and_text, xml_with_hostile_values

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


@FUZZ
@given(case=hostile_body())
def test_the_parser_gives_a_record_none_or_a_japanese_error(case):
    parse_bytes_and_text(parse_sru_response, *case)


def test_hostile_bodies_over_http_cache_only_records(db):
    fuzz_served_lookups(db, NdlSruSource, "/api/sru", "application/xml; charset=utf-8", parse_sru_response,
                        hostile_body())
