"""Hostile delivery slips (納品書), to the parser and through the real upload: text in every
encoding the kiosk reads and some it does not, BOMs, stray quotes and delimiters, NUL and
control characters, numbers too big for any column, huge fields and huge files, damaged Excel.
The parser gives a Slip or a SlipError; the upload opens the delivery with the slip whole or
refuses it in Japanese with no row written."""

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.intake.slip import Slip, parse_slip
from kiosk.errors import KioskError

from tests.fuzz.conftest import FUZZ, JAPANESE, assert_kiosk_error, dump_all

HEADER = ["納品日", "書店名", "伝票番号", "書名", "著者", "出版社", "ISBN", "本体価格", "税込単価", "数量", "金額", "Cコード"]
ISBNS = ["9784033280103", "4-03-328010-3", "9784033280104", "", "978403328010X"]

cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "合計", "計", "1", "0", "-3", "1,200", "¥1,320", "１２００円", "2026/11/20", "2026年2月30日",
                     '"', '""', "\t", ",", "\r\n", "\x00", "\ufeff", "ｱｲｳ", "9" * 30, "-" + "9" * 25]),
    st.sampled_from(ISBNS),
    st.integers(-2**70, 2**70).map(str),
)
row = st.lists(cell, min_size=0, max_size=len(HEADER) + 2)
encoding = st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16", "utf-16-le", "euc-jp", "latin-1"])


def _encode(rows: list[list[str]], delimiter: str, quoting: int, encoding_: str) -> bytes:
    import csv

    if quoting == csv.QUOTE_NONE:  # cells joined as they are: stray quotes and delimiters left in
        return "\r\n".join(delimiter.join(r) for r in rows).encode(encoding_, "replace")
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=quoting).writerows(rows)
    return out.getvalue().encode(encoding_, "replace")


slip_bytes = st.one_of(
    st.builds(lambda header, rows, delimiter, quoting, enc: _encode([header, *rows], delimiter, quoting, enc),
              st.one_of(st.just(HEADER), st.permutations(HEADER), row), st.lists(row, max_size=8),
              st.sampled_from([",", "\t", ";"]), st.sampled_from([0, 1, 2, 3]), encoding),
    st.binary(max_size=3000),
    st.builds(lambda head, tail: head + tail, st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04",
                                                              b"\xef\xbb\xbf\xef\xbb\xbf"]), st.binary(max_size=500)),
)


def _refused_or_read(data: bytes) -> Slip | None:
    try:
        return parse_slip(data)
    except KioskError as error:
        assert_kiosk_error(error)
        return None


@FUZZ
@given(data=slip_bytes)
def test_the_parser_reads_a_slip_or_refuses_it_in_japanese(data):
    slip = _refused_or_read(data)
    if slip is not None:
        assert all(line.quantity >= 1 and line.title for line in slip.lines)
        assert all(JAPANESE.search(problem.ja) for problem in slip.problems)


@pytest.mark.parametrize("data", [
    pytest.param(("書名,ISBN,数量\n" + "本,9784033280103,1\n" * 100_000).encode(), id="100k-lines"),
    pytest.param(b'\xef\xbb\xbf\xe6\x9b\xb8\xe5\x90\x8d,ISBN,\xe6\x95\xb0\xe9\x87\x8f\n"' + b"a" * 2_000_000 + b'",1,1\n',
                 id="a-2MB-quoted-field"),
    pytest.param(b'"' + b"x" * 300_000, id="an-unclosed-quote"),
    pytest.param(b"\x00" * 1_000_000, id="a-MB-of-NULs"),
], )
def test_huge_slips_are_read_or_refused(data):
    _refused_or_read(data)


def _new_delivery(client, data: bytes):
    return client.post("/deliveries/", data={"source": "山田書店", "received_on": "2026-11-20", "kind": "purchase",
                                             "fund": "city", "slip": (io.BytesIO(data), "slip.csv")},
                       content_type="multipart/form-data")


def test_hostile_slips_uploaded_open_a_whole_delivery_or_none(client, app):
    db = app.extensions["kiosk_db"]
    counts = {"opened": 0, "refused": 0}

    @FUZZ
    @given(data=slip_bytes)
    def upload(data):
        before = dump_all(db)
        response = _new_delivery(client, data)
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        if response.status_code == 302:  # opened: with every line the parser read
            counts["opened"] += 1
            intake = int(re.search(r"/deliveries/(\d+)", response.headers["Location"]).group(1))
            page = client.get(f"/deliveries/{intake}/items.json").get_json()
            assert (page["expected"] or 0) == parse_slip(data).quantity
            return
        counts["refused"] += 1
        assert 400 <= response.status_code < 500
        assert JAPANESE.search(response.get_data(as_text=True))
        assert dump_all(db) == before, "a refused slip changed the database"

    upload()
    assert counts["refused"] and counts["opened"], counts  # both kinds were tried
