"""What the DC-NDL and openBD fuzz tests share: hostile variants of the real fixtures, and a
lookup through the real source over loopback HTTP into the database cache."""

import re
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete

from kiosk.db.models import CachedRecord
from kiosk.errors import KioskError

from kiosk.lookup.cache import DatabaseCache
from kiosk.lookup.chain import LookupChain
from kiosk.lookup.record import BibRecord
from kiosk.lookup.sources import LookupSettings
from kiosk.lookup.transport import Limits

from tests.fuzz.conftest import FUZZ, assert_kiosk_error, dump_all
from tests.lookup.fake_service import FakeService, Reply


def text_slots(body: str) -> list[tuple[int, int]]:
    """Where the text between tags is, in ``body``: the places a record's values sit."""
    return [m.span(1) for m in re.finditer(r">([^<>]*)<", body)]


@st.composite
def xml_with_hostile_values(draw, body: str):
    """``body`` with some element texts replaced by hypothesis text (escaped: still XML)."""
    slots = text_slots(body)
    chosen = draw(st.lists(st.sampled_from(range(len(slots))), min_size=1, max_size=6, unique=True))
    pieces, at = [], 0
    for index in sorted(chosen):
        start, end = slots[index]
        pieces += [body[at:start], escape(draw(st.one_of(st.text(max_size=40), st.just(""), st.text(min_size=500,
                                                                                                      max_size=3000))))]
        at = end
    return "".join(pieces) + body[at:]


@st.composite
def damaged(draw, body: bytes):
    """``body`` cut short, with bytes overwritten, or with something spliced in."""
    how = draw(st.sampled_from(["cut", "overwrite", "splice"]))
    at = draw(st.integers(0, len(body)))
    if how == "cut":
        return body[:at]
    junk = draw(st.one_of(st.binary(min_size=1, max_size=40), st.sampled_from(
        [b"\x00", b"\xff\xfe", b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"]]>", b"<![CDATA[", b"</", b'"',
         b"\xe3\x81", b"{", b"null", b"[]", b"\\u0000", b"1e999999"])))
    return body[:at] + junk + (body[at + len(junk):] if how == "overwrite" else body[at:])


def forget_cached(db) -> None:
    """Empty the lookup cache, so the next example's body is parsed, not served from the cache."""
    with db.write() as session:
        session.execute(delete(CachedRecord))


class ServedLookup:
    """One source (NDL or openBD) of the real lookup code, asking a loopback server that sends
    whatever body the test sets, with the database as its cache."""

    def __init__(self, db, source_class, path: str):
        self.service = FakeService().start()
        settings = LookupSettings(
            ndl_sru_url=self.service.base + path, openbd_url=self.service.base,
            limits=Limits(connect_timeout=0.5, read_timeout=1.0, total_timeout=2.0, retries=0, backoff=0.0),
            ndl_min_interval=0.0, openbd_min_interval=0.0, failure_threshold=10**9, cooldown=0.0)
        self.path = path
        self.source = source_class(settings=settings)
        self.chain = LookupChain([self.source], DatabaseCache(db))

    def lookup(self, isbn13: str, body: bytes, content_type: str):
        self.service.routes[self.path] = [Reply(body, 200, content_type)]
        return self.chain.lookup(isbn13)

    def close(self):
        self.source.close()
        self.service.stop()


def parsed_or_refused(parse, body, isbn13: str) -> BibRecord | None | KioskError:
    """What a lookup parser (``parse(body, isbn13)``) makes of ``body``: a record of that ISBN
    with a title, None, or a KioskError with a Japanese message (returned); nothing else."""
    try:
        record = parse(body, isbn13)
    except KioskError as error:
        assert_kiosk_error(error)
        return error
    assert record is None or (isinstance(record, BibRecord) and record.isbn13 == isbn13 and record.title)
    return record


def parse_bytes_and_text(parse, body: bytes, isbn13: str) -> None:
    """The body as bytes, and as the text the transport hands over when it decodes."""
    parsed_or_refused(parse, body, isbn13)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return
    parsed_or_refused(parse, text, isbn13)


def fuzz_served_lookups(db, source_class, path: str, content_type: str, parse, bodies) -> None:
    """Each of ``bodies`` (a strategy of (body, isbn13)) served on loopback to ``source_class``
    through the lookup chain: a record the parser takes is cached (and forgotten for the next
    example), anything else leaves the database as it was; some records must have been read."""
    served = ServedLookup(db, source_class, path)
    cached = 0
    try:
        @FUZZ
        @given(case=bodies)
        def lookup(case):
            nonlocal cached
            body, isbn13 = case
            expected = parsed_or_refused(parse, body, isbn13)
            before = dump_all(db)
            result = served.lookup(isbn13, body, content_type)
            assert result.source != "cache"  # each example's record is forgotten below
            if isinstance(expected, BibRecord):
                assert result.source == source_class.name and result.record == expected
                cached += 1  # a record the parser takes is cached: that is the cache's job
                forget_cached(db)
            else:
                assert result.record is None
            assert dump_all(db) == before, f"a body changed the database: {body[:200]!r}"

        lookup()
        assert cached  # records were read too, not only refusals
    finally:
        served.close()
