"""A long delivery: the scan screen shows one page of copies and the whole delivery's counts,
and a scan, a tap or a poll answers with the one copy that changed, never the whole delivery."""

import re
from datetime import date

import pytest
from sqlalchemy import event

from kiosk.lookup.cache import DatabaseCache
from kiosk.events import now
from kiosk.ledger.funds import Fund, Kind
from kiosk.intake.delivery import open_intake
from kiosk.intake.scan_page import intake_counts, intake_page, item_view
from kiosk.codes.isbn import isbn13_check_digit
from kiosk.lookup import BibRecord
from kiosk.db.models import IntakeItem
from kiosk.intake.slip import Slip, SlipLine


def isbn(n: int) -> str:
    body = f"97849{n:07d}"
    return body + isbn13_check_digit(body)


def delivery(app, copies: int, first: int = 0) -> int:
    """A delivery with ``copies`` copies already scanned (rows as add_scan writes them), oldest first."""
    db = app.extensions["kiosk_db"]
    intake = open_intake(db, 1, source="ひまわり書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    rows = [{"intake_id": intake, "scanned_at": now(), "isbn13": isbn(n), "slip_line_id": None,
             "record": BibRecord(isbn13=isbn(n), title=f"本 その{n}", source="ndl").to_json(), "list_price": None,
             "c_code": None, "inspection": "pending", "removed": False} for n in range(first, first + copies)]
    if rows:
        with db.write() as session:
            session.connection().execute(IntakeItem.__table__.insert(), rows)
    return intake


def titles(page: str) -> list[str]:
    return re.findall(r'<div class="title"><span data-content>(本 その\d+)</span></div>', page)


def test_the_scan_screen_shows_the_newest_fifty_and_pages_to_the_oldest(client, app):
    intake = delivery(app, 120)
    first = client.get(f"/deliveries/{intake}").get_data(as_text=True)
    assert titles(first) == [f"本 その{n}" for n in range(119, 69, -1)]
    assert "スキャン 120 冊" in first and "新しい順 1〜50 冊目 ／ 全 120 冊" in first
    assert f'href="/deliveries/{intake}?page=2"' in first
    third = client.get(f"/deliveries/{intake}?page=3").get_data(as_text=True)
    assert titles(third) == [f"本 その{n}" for n in range(19, -1, -1)]
    assert "新しい順 101〜120 冊目" in third and "スキャン 120 冊" in third
    assert f'href="/deliveries/{intake}?page=2"' in third and f'href="/deliveries/{intake}"' in third
    assert f'href="/deliveries/{intake}?page=4"' not in re.sub(r'<a[^>]*hidden[^>]*>', "", third)
    assert titles(client.get(f"/deliveries/{intake}?page=99").get_data(as_text=True)) == titles(third)
    assert titles(client.get(f"/deliveries/{intake}?page=x").get_data(as_text=True)) == titles(first)
    listed = client.get(f"/deliveries/{intake}/items.json?page=2").get_json()
    assert listed["scanned"] == 120 and listed["pages"] == 3 and len(listed["items"]) == 50
    assert listed["items"][0]["title"] == "本 その69"


def test_a_short_delivery_has_no_page_links(client, app):
    page = client.get(f"/deliveries/{delivery(app, 3)}").get_data(as_text=True)
    assert len(titles(page)) == 3 and re.search(r'<nav class="pager" id="pager" hidden>', page)


def test_counts_and_one_copy_by_id(app):
    db = app.extensions["kiosk_db"]
    intake = delivery(app, 5)
    assert intake_counts(db, intake).scanned == 5 and intake_counts(db, intake).expected is None
    from kiosk.intake.delivery import attach_slip, update_item

    attach_slip(db, intake, Slip(encoding="typed", lines=[SlipLine(line=1, title="本 その0", isbn13=isbn(0), quantity=3)]))
    page = intake_page(db, intake)
    assert intake_counts(db, intake).expected == 3 and page.intake.has_slip
    oldest = page.items[-1]
    assert item_view(db, oldest.id).slip_line == 1 and item_view(db, oldest.id).title == "本 その0"
    update_item(db, oldest.id, removed=True)
    assert intake_counts(db, intake).scanned == 4
    with pytest.raises(Exception, match="見つかりません|no scanned copy"):
        item_view(db, oldest.id)


@pytest.fixture
def statements(app):
    """The SQL statements the app sends, as a list that can be cleared."""
    seen: list[str] = []
    engine = app.extensions["kiosk_db"].engine
    listener = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    yield seen
    event.remove(engine, "before_cursor_execute", listener)


def test_scans_taps_and_polls_never_load_the_whole_delivery(client, app, statements, monkeypatch):
    import kiosk.intake.delivery

    def whole_delivery(*args, **kwargs):
        raise AssertionError("the whole delivery was loaded")

    monkeypatch.setattr(kiosk.intake.delivery, "_items", whole_delivery)
    monkeypatch.setattr("web.delivery.intake_view", whole_delivery)
    DatabaseCache(app.extensions["kiosk_db"]).put_many(
        BibRecord(isbn13=isbn(n), title=f"本 その{n}", source="ndl") for n in range(10_000, 10_010))
    cost = {}
    for copies in (10, 400):
        intake = delivery(app, copies)
        client.post(f"/deliveries/{intake}/scans", json={"code": isbn(10_000)})  # warm: settings, library
        statements.clear()
        scanned = client.post(f"/deliveries/{intake}/scans", json={"code": isbn(10_001 if copies == 10 else 10_002)})
        assert scanned.status_code == 200
        answer = scanned.get_json()
        assert set(answer) >= {"ok", "kind", "item", "row", "counts", "lookup"}
        assert answer["counts"] == f"スキャン {copies + 2} 冊 ／ 納品書 — 冊"
        item = answer["item"]["id"]
        scan_statements = len(statements)
        tapped = client.post(f"/deliveries/{intake}/items/{item}", data={"inspection": "ok"},
                             headers={"Accept": "application/json"}).get_json()
        assert tapped["item"]["inspection"] == "ok" and 'class="item ok' in tapped["row"]
        polled = client.get(f"/deliveries/{intake}/items/{item}").get_json()
        assert polled["item"]["id"] == item and polled["counts"] == answer["counts"]
        removed = client.post(f"/deliveries/{intake}/items/{item}", data={"remove": "1"},
                              headers={"Accept": "application/json"}).get_json()
        assert removed["removed"] and removed["counts"] == f"スキャン {copies + 1} 冊 ／ 納品書 — 冊"
        assert client.get(f"/deliveries/{intake}/items/{item}").status_code == 404
        cost[copies] = scan_statements
    assert cost[10] == cost[400]


def test_a_copy_of_another_delivery_is_not_found_through_this_one(client, app):
    one, other = delivery(app, 2), delivery(app, 2, first=100)
    item = client.get(f"/deliveries/{other}/items.json").get_json()["items"][0]["id"]
    assert client.get(f"/deliveries/{one}/items/{item}").status_code == 404
