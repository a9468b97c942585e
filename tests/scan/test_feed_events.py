"""The feed keeps its last scans by sequence number (a page posts a USB scan back by its number,
and the server takes it as parsed and paired), and can count every read of a page's own posts."""

from kiosk.scan import ScanBroker, ScanFeed
from kiosk.scan.broker import DEFAULT_HISTORY

ISBN, PRICE_CODE = "9784033280103", "1928797012008"


def _feed(clock):
    return ScanFeed(ScanBroker(), clock=clock, wall_clock=lambda: 0.0)


def test_a_scan_is_kept_by_its_number_as_parsed_and_paired():
    feed = _feed(iter([0.0, 0.5]).__next__)
    book = feed.receive("usb-1", ISBN)
    price = feed.receive("usb-1", PRICE_CODE)
    assert feed.scan_event(book.seq) is book.event and feed.scan_event(price.seq) is price.event
    assert feed.scan_event(price.seq).pairing.action == "attach"
    assert feed.scan_event(price.seq).pairing.isbn13 == ISBN


def test_a_scanners_state_and_an_unknown_number_are_not_scans():
    from kiosk.scan.usbreader import ReaderStatus

    feed = _feed(lambda: 0.0)
    status = feed.scanner_status(ReaderStatus("0c2e:0b61", "connected", "", "0c2e:0b61"))
    assert feed.scan_event(status.seq) is None and feed.scan_event(99) is None


def test_only_as_many_scans_as_the_broker_keeps_are_kept():
    now = [0.0]

    def clock():
        now[0] += 2.0
        return now[0]

    feed = _feed(clock)
    envelopes = [feed.receive("usb-1", ISBN) for _ in range(DEFAULT_HISTORY + 5)]
    assert feed.scan_event(envelopes[4].seq) is None
    assert feed.scan_event(envelopes[5].seq) is envelopes[5].event
    assert feed.scan_event(envelopes[-1].seq) is envelopes[-1].event


def test_every_read_counts_a_repeat_and_still_pairs():
    feed = _feed(iter([0.0, 0.1, 0.2, 0.3]).__next__)
    assert feed.receive("wedge", ISBN, every_read=True) is not None
    assert feed.receive("wedge", ISBN, every_read=True) is not None  # a second copy, at once
    assert feed.receive("wedge", PRICE_CODE, every_read=True).event.pairing.action == "attach"
    assert feed.receive("wedge", PRICE_CODE) is None  # without it, the repeat is a double read
