"""Hostile openBD bodies: the real fixtures with hypothesis JSON put in place of values
(strings, numbers, nulls, lists and objects where the other kinds belong), cut short or
overwritten, and random bytes. The parser gives a record, None, or the kiosk's own error in
Japanese; over loopback HTTP into the lookup chain only a record it reads is cached."""

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kiosk.lookup.openbd import parse_openbd_response
from kiosk.lookup.sources import OpenBdSource

from tests.fuzz.conftest import FUZZ
from tests.fuzz.lookup_bodies import damaged, fuzz_served_lookups, parse_bytes_and_text

FIXTURES = Path(__file__).parent.parent / "lookup" / "fixtures" / "openbd"
BODIES = [("get-9784033280103.json", "9784033280103"), ("get-subtitle-series-9784999990016.json", "9784999990016"),
          ("get-summary-only-9784999990023.json", "9784999990023"),
          ("get-tax-included-only-9784999990047.json", "9784999990047"), ("get-unknown.json", "9784033280103")]

json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(["", "A01", "03", "78", "C8797", "2021-10", "abc円", "9784033280103"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8)


def _paths(value, path=()):
    """Every place in a JSON document, the root included."""
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield from _paths(inner, (*path, key))


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


@st.composite
def hostile_body(draw) -> tuple[bytes, str]:
    name, isbn13 = draw(st.sampled_from(BODIES))
    body = (FIXTURES / name).read_bytes()
    kind = draw(st.sampled_from(["values", "values", "damaged", "random"]))
    if kind == "values":
        document = json.loads(body)
        for _ in range(draw(st.integers(1, 4))):
            path = draw(st.sampled_from(list(_paths(document))[1:]))
            document = _replaced(document, path, draw(json_value))
        return json.dumps(document, ensure_ascii=draw(st.booleans())).encode(), isbn13
    if kind == "damaged":
        return draw(damaged(body)), isbn13
    return draw(st.one_of(st.binary(max_size=1000), json_value.map(lambda v: json.dumps(v).encode()))), isbn13


@FUZZ
@given(case=hostile_body())
def test_the_parser_gives_a_record_none_or_a_japanese_error(case):
    parse_bytes_and_text(parse_openbd_response, *case)


def test_hostile_bodies_over_http_cache_only_records(db):
    fuzz_served_lookups(db, OpenBdSource, "/v1/get", "application/json; charset=utf-8", parse_openbd_response,
                        hostile_body())
