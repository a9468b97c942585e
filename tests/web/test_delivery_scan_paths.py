"""One scan path into a delivery, through the app: a USB scan (the page posts the stream's
sequence number) and a keyboard-wedge burst or typed code (the page posts the text) are parsed
and paired by the same feed and applied by kiosk.intake.scan_outcome, so the same codes give the same
outcome; a USB scan is never parsed a second time."""

import re

import pytest

ISBN = "9784033280103"
PRICE_CODE = "1928797012008"  # C-code 8797, 本体 1,200 円
MAGAZINE = "4910123450612"
OWN_LABEL = "A000000051A"
MISREAD = "9784033280104"


def _delivery(client) -> int:
    response = client.post("/deliveries/", data={"source": "山田さん", "received_on": "2026-11-20", "kind": "donation"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/deliveries/(\d+)", response.headers["Location"]).group(1))


def _usb(client, app, intake, code):
    envelope = app.extensions["scan_feed"].receive("usb-1", code)  # what the reader thread does at Enter
    return client.post(f"/deliveries/{intake}/scans", json={"seq": envelope.seq})  # what the page posts back


def _wedge(client, app, intake, code):
    return client.post(f"/deliveries/{intake}/scans", json={"code": code})


def _seen(reply) -> tuple:
    """What the page reads from a reply (item ids aside: each path has its own delivery)."""
    data = reply.get_json()
    item = data.get("item") or {}
    return (reply.status_code, data["ok"], data["kind"], data.get("message"), data.get("number"),
            item.get("isbn13"), item.get("list_price"), item.get("c_code"), data.get("counts"))


@pytest.mark.parametrize("codes", [
    [ISBN], [ISBN, PRICE_CODE], [PRICE_CODE, ISBN], [PRICE_CODE], [ISBN, MAGAZINE, PRICE_CODE],
    [MAGAZINE], [OWN_LABEL], [MISREAD], ["<img src=x>"], [ISBN, PRICE_CODE, "1928797015009"],
], ids=lambda codes: "-".join(c[:4] for c in codes))
def test_a_usb_scan_and_a_wedge_scan_of_the_same_codes_give_the_same_outcome(client, app, codes):
    by_usb, by_wedge = _delivery(client), _delivery(client)
    usb = [_seen(_usb(client, app, by_usb, code)) for code in codes]
    wedge = [_seen(_wedge(client, app, by_wedge, code)) for code in codes]
    assert usb == wedge
    copies = [[(i["isbn13"], i["list_price"], i["c_code"]) for i in client.get(f"/deliveries/{intake}/items.json")
               .get_json()["items"]] for intake in (by_usb, by_wedge)]
    assert copies[0] == copies[1]


def test_the_outcomes_the_page_shows(client, app):
    intake = _delivery(client)
    added = _usb(client, app, intake, ISBN).get_json()
    priced = _usb(client, app, intake, PRICE_CODE).get_json()
    assert priced["ok"] and priced["kind"] == "price_code" and priced["item"]["id"] == added["item"]["id"]
    assert priced["item"]["list_price"] == 1200 and priced["item"]["c_code"] == "8797"
    label = _wedge(client, app, intake, OWN_LABEL)
    assert label.status_code == 422 and label.get_json()["number"] == 5
    assert label.get_json()["message"] == "登録済みの本（登録番号 5）のバーコードです"
    alone = _wedge(client, app, intake, PRICE_CODE)
    assert alone.status_code == 422 and alone.get_json()["message"] == "先に本のISBNをスキャンしてください"


def test_a_usb_scan_is_parsed_once(client, app, monkeypatch):
    import kiosk.scan.feed as feed_module

    calls = []
    parse = feed_module.parse_scan
    monkeypatch.setattr(feed_module, "parse_scan", lambda text, settings: calls.append(text) or parse(text, settings))
    intake = _delivery(client)
    assert _usb(client, app, intake, ISBN).status_code == 200
    assert _usb(client, app, intake, PRICE_CODE).get_json()["item"]["list_price"] == 1200
    assert calls == [ISBN, PRICE_CODE]  # by the feed, when read; the delivery took its result


def test_a_wedge_scan_goes_through_the_feed_and_every_read_counts(client, app):
    feed = app.extensions["scan_feed"]
    intake = _delivery(client)
    before = app.extensions["scan_broker"].last_seq
    replies = [_wedge(client, app, intake, ISBN) for _ in range(2)]  # two copies of one title, one after the other
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].get_json()["item"]["id"] != replies[1].get_json()["item"]["id"]
    seq = app.extensions["scan_broker"].last_seq
    assert seq == before + 2 and feed.scan_event(seq).scanner_id == "wedge" and feed.scan_event(seq).scan.isbn13 == ISBN


def test_a_typed_code_posted_as_a_form_takes_the_same_path(client):
    intake = _delivery(client)
    reply = client.post(f"/deliveries/{intake}/scans", data={"code": "978-4-03-328010-3"})
    assert reply.status_code == 200 and reply.get_json()["item"]["isbn13"] == ISBN


def test_the_librarys_scanner_prefix_applies_to_posted_codes(client, app):
    from kiosk.settings import change_settings

    with app.extensions["kiosk_db"].write() as session:
        change_settings(session, 1, "scanner", {"prefix": "#"}, actor="t")
    intake = _delivery(client)
    reply = _wedge(client, app, intake, "#" + ISBN)
    assert reply.status_code == 200 and reply.get_json()["item"]["isbn13"] == ISBN


@pytest.mark.parametrize("seq", [10_000, "x", -1])
def test_a_sequence_number_the_feed_does_not_keep_is_refused(client, seq):
    intake = _delivery(client)
    reply = client.post(f"/deliveries/{intake}/scans", json={"seq": seq})
    assert reply.status_code == 422 and reply.get_json()["message"] == "もう一度スキャンしてください"
    assert client.get(f"/deliveries/{intake}/items.json").get_json()["scanned"] == 0
