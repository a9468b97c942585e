"""The camera's looks (kiosk.scan.camera) and the feed taking one look's codes together."""

import pytest

from kiosk.errors import KioskError
from kiosk.scan import ScanBroker, ScanFeed
from kiosk.scan.camera import CAMERA_SCANNER, one_copy_per_book, read_frame
from kiosk.scan.dedupe import DoubleReadFilter
from kiosk.scan.pairing import PriceCodePairing

ISBN, PRICE, OTHER_ISBN = "9784033280103", "1928797012008", "9784344405042"


def ean(text):
    return {"text": text, "format": "ean_13"}


def test_the_isbn_goes_first_whatever_order_the_decoder_gave():
    frame = read_frame([ean(PRICE), {"text": "A000012343A", "format": "codabar"}, ean(ISBN)])
    assert frame.texts == [ISBN, PRICE, "A000012343A"]
    assert frame.paired


def test_a_code_read_twice_in_one_frame_is_one_code():
    assert read_frame([ean(ISBN), ean(ISBN)]).texts == [ISBN]
    assert not read_frame([ean(ISBN)]).paired


@pytest.mark.parametrize("posted, said", [
    ([], "届きませんでした"),
    ("9784033280103", "届きませんでした"),
    ([ean(ISBN), ean(OTHER_ISBN)], "2冊"),
    ([ean(ISBN), ean(PRICE), ean("1929797012007")], "2冊"),
    ([{"text": "https://example.org", "format": "qr_code"}], "EAN-13"),
    ([{"text": "", "format": "code_128"}], "空"),
    ([{"text": "1" * 65, "format": "code_128"}], "長すぎ"),
    ([ean("97840332801")], "読み違え"),
    ([ean(ISBN)] * 5, "多すぎ"),
    (["9784033280103"], "形式"),
])
def test_a_look_that_is_not_one_book_is_refused_with_the_reason(posted, said):
    with pytest.raises(KioskError) as refused:
        read_frame(posted)
    assert said in refused.value.ja


def test_camera_scanner_ids():
    assert CAMERA_SCANNER.fullmatch("camera") and CAMERA_SCANNER.fullmatch("camera-tab3")
    assert not CAMERA_SCANNER.fullmatch("wedge") and not CAMERA_SCANNER.fullmatch("camera-X Y")


def test_the_feed_pairs_one_looks_isbn_and_192_at_once_even_with_no_window_left():
    clock = iter([10.0, 100.0])
    feed = ScanFeed(ScanBroker(), pairing=PriceCodePairing(window_s=0.001), clock=lambda: next(clock))
    book, price = feed.receive_frame("camera", read_frame([ean(PRICE), ean(ISBN)]).texts)
    assert (book.event.pairing.action, price.event.pairing.action) == ("book", "attach")
    assert price.event.pairing.isbn13 == ISBN and price.event.scan.list_price == 1200
    # the next look, 90 s later: a lone 192 code is not paired with the old ISBN
    (late,) = feed.receive_frame("camera", [PRICE])
    assert late.event.pairing.action == "ask_isbn"


def test_the_feed_counts_every_look_even_of_the_same_title_at_once():
    """The camera page's own rule says when a look is a new copy; the feed's double-read filter
    (1 s) must not drop a second copy of one title shown right after the first."""
    feed = ScanFeed(ScanBroker(), double_reads=DoubleReadFilter(1.0), clock=lambda: 5.0)
    first = feed.receive_frame("camera", [ISBN])
    second = feed.receive_frame("camera", [ISBN])
    assert first[0] is not None and second[0] is not None and second[0].seq == first[0].seq + 1


def test_a_looks_isbn_and_its_192_code_are_one_copy_with_its_price():
    feed = ScanFeed(ScanBroker(), clock=lambda: 1.0)
    events = feed.receive_frame("camera", read_frame([ean(PRICE), ean(ISBN)]).texts)
    (copy,) = one_copy_per_book([e.event.pairing for e in events])
    assert (copy.action, copy.scan.kind, copy.isbn13, copy.price_code.list_price) == ("attach", "isbn", ISBN, 1200)


def test_a_192_code_for_an_isbn_of_an_earlier_look_stays_a_price_for_that_copy():
    feed = ScanFeed(ScanBroker(), clock=lambda: 1.0)
    feed.receive_frame("camera", [ISBN])
    (late,) = one_copy_per_book([e.event.pairing for e in feed.receive_frame("camera", [PRICE])])
    assert (late.action, late.scan.kind, late.isbn13) == ("attach", "price_code", ISBN)
