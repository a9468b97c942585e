"""POST /scans: a keyboard-wedge burst from the kiosk's own page goes through the same feed as
the USB reader's scans (double reads dropped, 192 paired) and comes back parsed; errors carry
the Japanese message for the screen; another site's page cannot post scans."""

import time

from kiosk.settings import change_settings

PRICE_CODE = "1928797012008"  # C-code 8797 (児童・絵本・外国文学小説), 本体 1,200 円


def post(client, text, **extra):
    return client.post("/scans", json={"text": text, "scanner_id": "wedge", **extra})


def test_an_isbn_comes_back_parsed_and_is_published(client, app):
    response = post(client, "978-4-03-328010-3\r")
    data = response.get_json()
    assert response.status_code == 200 and data["ok"] is True
    assert data["event"]["scan"] == {"kind": "isbn", "isbn13": "9784033280103", "isbn10": "4033280103"}
    assert data["event"]["scanner"] == "wedge" and data["event"]["action"] == "book"
    assert data["seq"] == app.extensions["scan_broker"].last_seq


def test_full_width_digits_from_an_ime_are_read(client):
    data = post(client, "９７８４０３３２８０１０３").get_json()
    assert data["event"]["scan"]["isbn13"] == "9784033280103"


def test_a_wrong_check_digit_is_refused_in_japanese(client):
    response = post(client, "9784033280104")
    data = response.get_json()
    assert response.status_code == 422 and data["ok"] is False
    assert "チェックデジット" in data["error_ja"] and "check digit" in data["error"]
    assert data["event"]["error_ja"] == data["error_ja"]  # the stream shows the same message


def test_a_double_read_is_dropped_and_a_second_copy_later_counts(client, app):
    with app.extensions["kiosk_db"].write() as session:
        change_settings(session, 1, "scanner", {"double_read_seconds": 0.2}, actor="t")
    broker = app.extensions["scan_broker"]
    first = post(client, "9784033280103").get_json()
    again = post(client, "9784033280103").get_json()
    assert again == {"ok": True, "dropped": True, "message_ja": "二度読みのため数えませんでした"}
    assert broker.last_seq == first["seq"]
    time.sleep(0.25)  # a deliberate second copy, after the interval
    second_copy = post(client, "9784033280103").get_json()
    assert second_copy["ok"] and second_copy["seq"] == first["seq"] + 1


def test_the_price_code_after_an_isbn_is_attached_to_it(client):
    post(client, "9784033280103")
    data = post(client, PRICE_CODE).get_json()
    event = data["event"]
    assert event["action"] == "attach" and event["isbn13"] == "9784033280103"
    assert event["price_code"]["list_price"] == 1200
    assert event["price_code"]["c_code"]["form"] == "絵本"


def test_a_price_code_alone_asks_for_the_isbn(client):
    event = post(client, PRICE_CODE).get_json()["event"]
    assert event["action"] == "ask_isbn"


def test_the_librarys_scanner_prefix_applies_to_wedge_scans(client, app):
    with app.extensions["kiosk_db"].write() as session:
        change_settings(session, 1, "scanner", {"prefix": "#"}, actor="t")
    data = post(client, "#9784033280103").get_json()
    assert data["ok"] and data["event"]["scan"]["isbn13"] == "9784033280103"


def test_another_sites_page_is_refused(client, app):
    broker = app.extensions["scan_broker"]
    response = client.post("/scans", json={"text": "9784033280103"}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert response.get_json()["error_ja"]
    assert broker.last_seq == 0  # nothing reached the feed


def test_the_same_origin_is_accepted(client):
    response = client.post("/scans", json={"text": "9784033280103"}, headers={"Origin": "http://localhost"})
    assert response.status_code == 200


def test_without_the_pages_token_it_is_refused_with_json(app):
    response = app.test_client().post("/scans", json={"text": "9784033280103"})
    assert response.status_code == 403 and "画面を開き直して" in response.get_json()["error_ja"]


def test_a_form_post_is_refused(client, app):
    response = client.post("/scans", data={"text": "9784033280103"})
    assert response.status_code == 415 and response.get_json()["error_ja"]
    assert app.extensions["scan_broker"].last_seq == 0


def test_bad_bodies_are_refused_in_japanese(client, app):
    for body, status in [({"text": ""}, 400), ({"text": 9784033280103}, 400), ({"text": "9" * 300}, 400),
                         ({"text": "9784033280103", "scanner_id": "usb-1"}, 400), (["9784033280103"], 400)]:
        response = client.post("/scans", json=body)
        assert response.status_code == status, body
        assert response.get_json()["error_ja"], body
    assert app.extensions["scan_broker"].last_seq == 0


def test_the_scan_page(client):
    page = client.get("/scan").get_data(as_text=True)
    assert "スキャン確認" in page and "使わない設定" in page
    assert 'data-wedge-gap="40" data-wedge-min="4"' in page
    assert "js/scanpage.js" in page and "js/usbscans.js" in page
