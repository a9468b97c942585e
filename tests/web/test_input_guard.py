"""A NUL in a form field or a query parameter is refused before any view runs
(web/input_guard.py): PostgreSQL answered it with a 500 (it refuses NUL in text), SQLite kept it
invisibly. The refusal is the kiosk's Japanese page or JSON; nothing is written."""

import pytest

from tests.fuzz.conftest import JAPANESE, dump_all

DELIVERY = {"source": "山田書店", "received_on": "2026-11-20", "kind": "purchase", "fund": "city"}


@pytest.mark.parametrize("field", ["source", "fund_note", "slip_number"])
def test_a_form_field_with_a_nul_is_refused_and_nothing_written(client, app, field):
    db = app.extensions["kiosk_db"]
    before = dump_all(db)
    response = client.post("/deliveries/", data={**DELIVERY, field: "ひまわり\x00書店"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "入力に使えない文字（NUL）" in page, page[:300]
    assert dump_all(db) == before
    assert client.post("/deliveries/", data=DELIVERY).status_code == 302  # the same form without it


def test_a_scan_with_a_nul_is_the_scan_parsers_to_refuse_in_json(client, app):
    """The scan routes are left to the scan parser, which answers in JSON (tests/fuzz too)."""
    opened = client.post("/deliveries/", data=DELIVERY)
    desk = opened.headers["Location"].split("#")[0]
    db = app.extensions["kiosk_db"]
    before = dump_all(db)
    for post in ({"json": {"code": "97848340\x0000825"}}, {"data": {"code": "97848340\x0000825"}},
                 {"json": {"camera": [{"text": "9784834000825\x00", "format": "ean_13"}]}}):
        response = client.post(desk + "/scans", **post)
        assert 400 <= response.status_code < 500 and response.get_json()["ok"] is False, post
        assert JAPANESE.search(response.get_json()["message"])
    assert dump_all(db) == before
    assert client.post(desk + "/scans", json={"code": "9784834000825"}).status_code == 200


def test_a_query_parameter_with_a_nul_is_refused(client):
    response = client.get("/copies/?code=12\x0034")
    assert response.status_code == 400 and "入力に使えない文字（NUL）" in response.get_data(as_text=True)
