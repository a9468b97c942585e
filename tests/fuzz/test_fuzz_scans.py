"""Hostile scans into a delivery and into the kiosk's scan endpoint, through the real app:
text hypothesis makes up (control characters, full-width digits, huge bursts, near-ISBNs) and
random bytes as the request body. Every reply is a clean refusal (4xx with a Japanese message)
or an accepted scan; never a 500, never an exception; a refused scan changes no row."""

import re

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ, JAPANESE, dump_all

ISBN = "9784033280103"
# Text close to what a scanner sends: digits (ASCII and full-width), check-digit X, separators,
# line ends, control characters and anything else.
scan_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789X-\r\n\t ０１２３４５６７８９", min_size=8, max_size=20),
    st.builds(lambda cut, tail: ISBN[:cut] + tail, st.integers(0, 13), st.text(max_size=8)),
    st.text(alphabet=st.characters(max_codepoint=0x1f), max_size=30),
    st.text(min_size=200, max_size=5000),
)


def _delivery(client) -> int:
    response = client.post("/deliveries/", data={"source": "山田さん", "received_on": "2026-11-20", "kind": "donation"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/deliveries/(\d+)", response.headers["Location"]).group(1))


def _check_reply(response) -> bool:
    """True for an accepted scan; a refusal must be a 4xx with a Japanese message."""
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    data = response.get_json()
    assert isinstance(data, dict), response.get_data(as_text=True)[:200]
    if response.status_code == 200 and data.get("ok"):
        return True
    assert 400 <= response.status_code < 500 and data.get("ok") is False
    message = data.get("message") or data.get("error_ja") or ""
    assert JAPANESE.search(message), data
    return False


def test_hostile_codes_scanned_into_a_delivery(client, app):
    db = app.extensions["kiosk_db"]
    intake = _delivery(client)
    refused = []

    @FUZZ
    @given(code=scan_text, as_form=st.booleans())
    def scan(code, as_form):
        before = dump_all(db)
        if as_form:
            response = client.post(f"/deliveries/{intake}/scans", data={"code": code})
        else:
            response = client.post(f"/deliveries/{intake}/scans", json={"code": code})
        if not _check_reply(response):
            refused.append(code)
            assert dump_all(db) == before, f"the refused scan {code!r} changed the database"

    scan()
    assert refused  # the strategy does make hostile codes


def test_random_bytes_as_a_delivery_scan_body(client, app):
    db = app.extensions["kiosk_db"]
    intake = _delivery(client)
    before = dump_all(db)

    @FUZZ
    @given(body=st.binary(max_size=2000),
           content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded",
                                         "text/plain", "multipart/form-data; boundary=x"]))
    def scan(body, content_type):
        response = client.post(f"/deliveries/{intake}/scans", data=body, headers={"Content-Type": content_type})
        assert not _check_reply(response), body

    scan()
    assert dump_all(db) == before


def test_random_bytes_and_text_posted_to_the_scan_endpoint(client, app):
    db = app.extensions["kiosk_db"]
    before = dump_all(db)

    @FUZZ
    @given(payload=st.one_of(st.binary(max_size=2000).map(lambda b: ("raw", b)),
                             scan_text.map(lambda t: ("text", t)),
                             st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                          lambda inner: st.lists(inner, max_size=4)
                                          | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                                          max_leaves=10).map(lambda j: ("json", j))))
    def post(payload):
        kind, value = payload
        if kind == "raw":
            response = client.post("/scans", data=value, headers={"Content-Type": "application/json"})
        elif kind == "text":
            response = client.post("/scans", json={"text": value, "scanner_id": "wedge"})
        else:
            response = client.post("/scans", json={"text": value, "scanner_id": "wedge"} if isinstance(value, str)
                                   else value)
        _check_reply(response)

    post()
    assert dump_all(db) == before
