"""Text too long for the ledger, typed on the touch screen: a Japanese message, nothing changed."""

from datetime import date

from kiosk.ledger.funds import Fund, Kind
from kiosk.intake.delivery import add_scan, open_intake

LONG = "長" * 600


def _delivery(app):
    db = app.extensions["kiosk_db"]
    with db.read() as session:
        from kiosk.library import find_library

        library_id = find_library(session, None).id
    intake = open_intake(db, library_id, source="書店", received_on=date.today(), kind=Kind.DONATION,
                         fund=Fund.GIFT, actor="t")
    return intake, add_scan(db, intake, "9784834000825")


def test_a_typed_title_too_long_is_refused_in_japanese_and_not_cut(client, app):
    intake, item = _delivery(app)
    reply = client.post(f"/deliveries/{intake}/items/{item}", data={"isbn13": "9784834000825", "title": LONG, "authors": "なかがわ"})
    assert reply.status_code == 400
    assert "書名が長すぎます（600文字）。500文字以内にしてください" in reply.get_data(as_text=True)
    assert "Traceback" not in reply.get_data(as_text=True)
    shown = client.get(f"/deliveries/{intake}/items/{item}").get_json()["item"]
    assert shown["title"] is None


def test_a_typed_slip_line_too_long_is_refused_in_japanese(client, app):
    intake, _ = _delivery(app)
    reply = client.post(f"/deliveries/{intake}/slip-lines", data={"title": LONG, "quantity": "1"})
    assert reply.status_code == 400 and "書名が長すぎます" in reply.get_data(as_text=True)


def test_a_delivery_source_too_long_is_refused_in_japanese(client):
    reply = client.post("/deliveries/", data={"source": "書" * 201, "kind": "purchase"})
    assert reply.status_code == 400 and "受入先が長すぎます（201文字）" in reply.get_data(as_text=True)
