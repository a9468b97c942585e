"""What a scan means for an open delivery: kiosk.intake.scan_outcome, each outcome, on both backends.

Scans are parsed and paired by a real ScanFeed (the one parser, the one pairing rule) on a
clock the test moves, then applied to the delivery."""

from datetime import date

import pytest

from kiosk.lookup.cache import DatabaseCache
from kiosk.intake.scan_outcome import ADDED, PRICED, REFUSED, scan_into_delivery
from kiosk.ledger.funds import Fund, Kind
from kiosk.intake.delivery import open_intake, update_item
from kiosk.intake.scan_page import intake_counts, item_view
from kiosk.intake.pending_lookups import IntakeScanner
from kiosk.lookup import BackgroundLookup, LookupChain
from kiosk.scan import ScanBroker, ScanFeed

ISBN, OTHER_ISBN = "9784033280103", "9784834000825"
PRICE_CODE = "1928797012008"  # C-code 8797, 本体 1,200 円
MAGAZINE = "4910123450612"
OWN_LABEL = "A000000051A"  # this library's item label: copy 5 (default NW-7, mod11)


class Kiosk:
    """A delivery, the scanner that adds its copies, and a feed on a clock the test moves."""

    def __init__(self, db, library_id):
        chain = LookupChain([], cache=DatabaseCache(db))
        self.scanner = IntakeScanner(db, chain, BackgroundLookup(chain, workers=1, offline=True))
        self.db = db
        self.now = 100.0
        self.feed = ScanFeed(ScanBroker(), clock=lambda: self.now)
        self.intake = open_intake(db, library_id, source="山田さん", received_on=date(2026, 11, 20),
                                  kind=Kind.DONATION, fund=Fund.GIFT, actor="t")

    def scan(self, text, after=0.5, scanner="usb-1"):
        self.now += after
        event = self.feed.receive(scanner, text, every_read=True).event
        return scan_into_delivery(self.scanner, self.intake, event.pairing)

    def copies(self) -> int:
        return intake_counts(self.db, self.intake).scanned

    def close(self):
        self.scanner.background.shutdown()


@pytest.fixture
def kiosk(db, library_id):
    k = Kiosk(db, library_id)
    yield k
    k.close()


def test_an_isbn_adds_a_copy(kiosk):
    outcome = kiosk.scan(ISBN)
    assert (outcome.action, outcome.kind, outcome.ok) == (ADDED, "isbn", True)
    assert item_view(kiosk.db, outcome.item_id).isbn13 == ISBN and kiosk.copies() == 1


def test_a_price_code_just_after_an_isbn_goes_on_that_copy(kiosk):
    added = kiosk.scan(ISBN)
    priced = kiosk.scan(PRICE_CODE, after=1.0)
    assert (priced.action, priced.kind, priced.item_id) == (PRICED, "price_code", added.item_id)
    copy = item_view(kiosk.db, added.item_id)
    assert (copy.list_price, copy.c_code) == (1200, "8797") and kiosk.copies() == 1


def test_an_isbn_just_after_a_lone_price_code_takes_it(kiosk):
    asked = kiosk.scan(PRICE_CODE)
    assert asked.action == REFUSED and asked.reason.ja == "先に本のISBNをスキャンしてください"
    added = kiosk.scan(ISBN, after=1.0)
    assert added.action == ADDED
    copy = item_view(kiosk.db, added.item_id)
    assert (copy.list_price, copy.c_code) == (1200, "8797")


def test_a_price_code_alone_is_refused_and_nothing_is_written(kiosk):
    outcome = kiosk.scan(PRICE_CODE)
    assert (outcome.action, outcome.kind, outcome.item_id) == (REFUSED, "price_code", None)
    assert "ISBN first" in str(outcome.reason) and kiosk.copies() == 0


def test_a_price_code_after_the_pairing_window_is_refused(kiosk):
    added = kiosk.scan(ISBN)
    late = kiosk.scan(PRICE_CODE, after=kiosk.feed.pairing.window_s + 0.5)
    assert late.action == REFUSED and item_view(kiosk.db, added.item_id).list_price is None


def test_a_price_code_from_another_scanner_is_not_paired(kiosk):
    added = kiosk.scan(ISBN, scanner="usb-1")
    other = kiosk.scan(PRICE_CODE, scanner="wedge")
    assert other.action == REFUSED and item_view(kiosk.db, added.item_id).list_price is None


def test_anything_in_between_breaks_the_pair(kiosk):
    added = kiosk.scan(ISBN)
    assert kiosk.scan(MAGAZINE).action == REFUSED
    assert kiosk.scan(PRICE_CODE).action == REFUSED
    assert item_view(kiosk.db, added.item_id).list_price is None


def test_a_second_price_code_is_not_paired_again(kiosk):
    kiosk.scan(ISBN)
    assert kiosk.scan(PRICE_CODE).action == PRICED
    assert kiosk.scan("1928797015009").action == REFUSED  # 本体 1,500 円: the pair is used up


def test_a_price_code_after_its_copy_was_removed_is_refused(kiosk):
    older = kiosk.scan(ISBN, after=10)
    added = kiosk.scan(ISBN, after=10)
    update_item(kiosk.db, added.item_id, removed=True)
    assert kiosk.scan(PRICE_CODE).action == REFUSED
    assert item_view(kiosk.db, older.item_id).list_price is None


def test_the_price_code_goes_on_the_newest_copy_of_its_isbn(kiosk):
    first = kiosk.scan(ISBN, after=10)
    second = kiosk.scan(ISBN, after=10)
    assert kiosk.scan(PRICE_CODE).item_id == second.item_id
    assert item_view(kiosk.db, first.item_id).list_price is None


def test_a_magazine_is_refused_with_the_manuals_reason(kiosk):
    outcome = kiosk.scan(MAGAZINE)
    assert (outcome.action, outcome.kind) == (REFUSED, "magazine")
    assert "雑誌は登録しません" in outcome.reason.ja and "magazines are not registered" in str(outcome.reason)
    assert kiosk.copies() == 0


def test_the_librarys_own_label_is_a_copy_already_registered(kiosk):
    outcome = kiosk.scan(OWN_LABEL)
    assert (outcome.action, outcome.kind, outcome.number) == (REFUSED, "item", 5)
    assert outcome.reason.ja == "登録済みの本（登録番号 5）のバーコードです"
    assert "own copy 5, already registered" in str(outcome.reason) and kiosk.copies() == 0


@pytest.mark.parametrize("code, kind, reason_ja", [
    ("9784033280104", "isbn", "チェックデジット"),  # a misread: wrong check digit
    ("<img src=x>", "unknown", "本のバーコードではありません"),
    ("", "unknown", "何も読み取れませんでした"),
])
def test_a_bad_code_is_refused_with_the_parsers_reason(kiosk, code, kind, reason_ja):
    outcome = kiosk.scan(code)
    assert (outcome.action, outcome.kind) == (REFUSED, kind) and reason_ja in outcome.reason.ja
    assert kiosk.copies() == 0


def test_a_bad_code_between_an_isbn_and_its_price_code_breaks_the_pair(kiosk):
    added = kiosk.scan(ISBN)
    kiosk.scan("9784033280104")
    assert kiosk.scan(PRICE_CODE).action == REFUSED
    assert item_view(kiosk.db, added.item_id).list_price is None


def test_two_isbns_in_a_row_are_two_copies(kiosk):
    first, second = kiosk.scan(ISBN), kiosk.scan(OTHER_ISBN)
    assert first.item_id != second.item_id and kiosk.copies() == 2
