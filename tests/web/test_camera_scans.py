"""A camera's look posted to the delivery (Flask's test client, both databases): one copy with
its price from a look's ISBN and 192 code; a look that is not one book refused with the reason,
nothing written; the broker's stream marks the scans as the camera's."""

import re

import pytest

ISBN, PRICE = "9784033280103", "1928797012008"


def _delivery(client) -> int:
    started = client.post("/deliveries/", data={"source": "ひまわり書店", "received_on": "2026-11-20", "kind": "purchase"})
    return int(re.search(r"/deliveries/(\d+)", started.headers["Location"]).group(1))


def _look(client, intake, *codes, scanner_id="camera-t1"):
    return client.post(f"/deliveries/{intake}/scans", json={
        "camera": [{"text": code, "format": "ean_13"} for code in codes], "scanner_id": scanner_id})


def _items(client, intake):
    return client.get(f"/deliveries/{intake}/items.json").get_json()["items"]


def test_a_looks_isbn_and_192_code_are_one_copy_with_its_price(client, app):
    intake = _delivery(client)
    reply = _look(client, intake, PRICE, ISBN)  # the decoder's order does not matter
    assert reply.status_code == 200 and reply.get_json()["ok"]
    (item,) = _items(client, intake)
    assert (item["isbn13"], item["list_price"], item["c_code"]) == (ISBN, 1200, "8797")
    recent = [app.extensions["scan_feed"].scan_event(seq) for seq in (1, 2)]
    assert [(e.scanner_id, e.pairing.action) for e in recent] == [("camera-t1", "book"), ("camera-t1", "attach")]


def test_the_same_title_in_two_looks_is_two_copies(client):
    intake = _delivery(client)
    assert _look(client, intake, ISBN, PRICE).status_code == 200
    assert _look(client, intake, ISBN, PRICE).status_code == 200
    assert len(_items(client, intake)) == 2


def test_a_late_192_code_prices_the_copy_its_isbn_added(client):
    intake = _delivery(client)
    _look(client, intake, ISBN)
    assert _look(client, intake, PRICE).status_code == 200
    (item,) = _items(client, intake)
    assert item["list_price"] == 1200


@pytest.mark.parametrize("body, said", [
    ({"camera": [{"text": ISBN, "format": "ean_13"}, {"text": "9784344405042", "format": "ean_13"}]}, "2冊"),
    ({"camera": [{"text": "x", "format": "qr_code"}]}, "EAN-13"),
    ({"camera": []}, "届きませんでした"),
    ({"camera": [{"text": ISBN, "format": "ean_13"}], "scanner_id": "wedge"}, "スキャナーの指定"),
])
def test_a_look_that_is_not_one_book_is_refused_and_nothing_is_written(client, body, said):
    intake = _delivery(client)
    reply = client.post(f"/deliveries/{intake}/scans", json=body)
    assert reply.status_code == 400 and said in reply.get_json()["message"]
    assert _items(client, intake) == []


def test_the_decoder_comes_from_the_kiosk_itself(client):
    """The committed bundle (scripts/build-camera-decoder.sh) is served by the kiosk, the .wasm as
    application/wasm (streamed compile), both as their SHA256SUMS say; the screens name them."""
    import hashlib
    from pathlib import Path

    vendor = Path(__file__).parents[2] / "web" / "static" / "vendor" / "barcode-detector"
    sums = dict(reversed(line.split()) for line in (vendor / "SHA256SUMS").read_text().splitlines())
    for name, mimetype in (("barcode-detector.js", "text/javascript"), ("zxing_reader.wasm", "application/wasm")):
        served = client.get(f"/static/vendor/barcode-detector/{name}")
        assert served.status_code == 200 and served.mimetype == mimetype
        assert hashlib.sha256(served.data).hexdigest() == sums[name]
    for licence in ("LICENSE-barcode-detector", "LICENSE-zxing-wasm", "LICENSE-zxing-cpp"):
        assert (vendor / licence).stat().st_size > 500
    page = client.get(f"/deliveries/{_delivery(client)}").get_data(as_text=True)
    assert 'data-wasm="/static/vendor/barcode-detector/zxing_reader.wasm"' in page
    assert 'data-decoder="/static/vendor/barcode-detector/barcode-detector.js"' in page
