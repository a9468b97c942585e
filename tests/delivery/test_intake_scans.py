"""Scans are recorded at once; the record arrives from a real HTTP server later (both backends)."""

import threading
from datetime import date

from sqlalchemy import select

from kiosk.lookup.cache import DatabaseCache
from kiosk.ledger.funds import Fund, Kind
from kiosk.intake.delivery import open_intake, update_item
from kiosk.intake.pending_lookups import IntakeScanner
from kiosk.lookup import BackgroundLookup, BibRecord, LookupChain, NdlSruSource
from kiosk.db.models import IntakeItem
from tests.lookup.fake_service import Reply, fixture

NDL_PATH = "/api/sru"


class Arrivals:
    """What the scanner reported back when lookups finished."""

    def __init__(self):
        self.items, self.done = [], threading.Event()

    def __call__(self, item_id, result):
        self.items.append((item_id, result))
        self.done.set()


def _scanner(db, settings):
    chain = LookupChain([NdlSruSource(settings=settings)], cache=DatabaseCache(db))
    arrivals = Arrivals()
    return IntakeScanner(db, chain, BackgroundLookup(chain, workers=1), on_record=arrivals), arrivals


def _intake(db, library_id):
    return open_intake(db, library_id, source="ひまわり書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE,
                       fund=Fund.CITY, actor="t")


def _record_of(db, item_id):
    with db.read() as session:
        return session.get(IntakeItem, item_id).record


def test_scan_is_kept_before_the_slow_lookup_answers(db, library_id, service, settings):
    service.script(NDL_PATH, Reply(fixture("ndl/sru-dcndl-xml-9784033280103.xml"), delay=0.4))
    scanner, arrivals = _scanner(db, settings)
    item = scanner.scan(_intake(db, library_id), "9784033280103")
    assert _record_of(db, item) is None  # recorded at once, record still on its way
    assert arrivals.done.wait(5)
    assert _record_of(db, item)["title"] == "はらぺこあおむし" and arrivals.items[0][0] == item


def test_cache_hit_fills_the_record_at_once_without_the_network(db, library_id, service, settings):
    DatabaseCache(db).put(BibRecord(isbn13="9784033280103", title="はらぺこあおむし", source="ndl"))
    scanner, _ = _scanner(db, settings)
    item = scanner.scan(_intake(db, library_id), "9784033280103")
    assert _record_of(db, item)["title"] == "はらぺこあおむし" and service.count(NDL_PATH) == 0


def test_a_typed_record_is_not_overwritten_by_a_late_lookup(db, library_id, service, settings):
    service.script(NDL_PATH, Reply(fixture("ndl/sru-dcndl-xml-9784033280103.xml"), delay=0.4))
    scanner, arrivals = _scanner(db, settings)
    item = scanner.scan(_intake(db, library_id), "9784033280103")
    update_item(db, item, record=BibRecord(isbn13="9784033280103", title="手入力の書名", source="typed"))
    assert arrivals.done.wait(5)
    assert _record_of(db, item)["title"] == "手入力の書名"


def test_a_dead_service_leaves_the_scan_recorded(db, library_id, service, settings):
    service.script(NDL_PATH, Reply(b"<html>maintenance</html>", status=503, content_type="text/html"))
    scanner, arrivals = _scanner(db, settings)
    intake = _intake(db, library_id)
    item = scanner.scan(intake, "9784033280103")
    assert arrivals.done.wait(5) and arrivals.items[0][1].record is None
    with db.read() as session:
        items = list(session.scalars(select(IntakeItem).where(IntakeItem.intake_id == intake)))
    assert [(i.id, i.isbn13, i.record) for i in items] == [(item, "9784033280103", None)]
