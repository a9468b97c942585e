"""The 192-after-ISBN pairing rule and the double-read filter (pure, clock passed in)."""

import pytest

from kiosk.errors import KioskError
from kiosk.scan import DoubleReadFilter, PriceCodePairing, parse_scan

ISBN = parse_scan("9784033280103")
PRICE = parse_scan("1928797012008")
OTHER_ISBN = parse_scan("9784344405042")
ITEM = parse_scan("A000012343A")


def test_price_code_right_after_isbn_is_attached():
    pairing = PriceCodePairing(window_s=3)
    assert pairing.feed("s1", 10.0, ISBN).action == "book"
    attached = pairing.feed("s1", 11.5, PRICE)
    assert (attached.action, attached.isbn13, attached.price_code) == ("attach", "9784033280103", PRICE)


def test_price_code_too_late_asks_for_the_isbn():
    pairing = PriceCodePairing(window_s=3)
    pairing.feed("s1", 10.0, ISBN)
    assert pairing.feed("s1", 13.01, PRICE).action == "ask_isbn"


def test_price_code_at_the_window_edge_still_pairs():
    pairing = PriceCodePairing(window_s=3)
    pairing.feed("s1", 10.0, ISBN)
    assert pairing.feed("s1", 13.0, PRICE).action == "attach"


def test_other_scanner_does_not_pair():
    pairing = PriceCodePairing()
    pairing.feed("s1", 10.0, ISBN)
    assert pairing.feed("s2", 10.5, PRICE).action == "ask_isbn"


def test_anything_in_between_breaks_the_pair():
    pairing = PriceCodePairing()
    pairing.feed("s1", 10.0, ISBN)
    assert pairing.feed("s1", 10.2, ITEM).action == "other"
    assert pairing.feed("s1", 10.4, PRICE).action == "ask_isbn"


def test_second_isbn_replaces_the_first():
    pairing = PriceCodePairing()
    pairing.feed("s1", 10.0, ISBN)
    pairing.feed("s1", 10.5, OTHER_ISBN)
    assert pairing.feed("s1", 11.0, PRICE).isbn13 == "9784344405042"


def test_isbn_answering_a_lone_price_code_pairs_them():
    pairing = PriceCodePairing()
    assert pairing.feed("s1", 10.0, PRICE).action == "ask_isbn"
    answered = pairing.feed("s1", 12.0, ISBN)
    assert (answered.action, answered.isbn13, answered.price_code) == ("attach", "9784033280103", PRICE)


def test_a_pair_is_used_once():
    pairing = PriceCodePairing()
    pairing.feed("s1", 10.0, ISBN)
    pairing.feed("s1", 10.5, PRICE)
    assert pairing.feed("s1", 11.0, PRICE).action == "ask_isbn"


def test_rejected_scans_pass_through():
    pairing = PriceCodePairing()
    pairing.feed("s1", 10.0, ISBN)
    assert pairing.feed("s1", 10.1, parse_scan("1928797012009")).action == "other"


def test_clock_going_backwards_does_not_pair():
    pairing = PriceCodePairing()
    pairing.feed("s1", 10.0, ISBN)
    assert pairing.feed("s1", 9.0, PRICE).action == "ask_isbn"


@pytest.mark.parametrize("window", [0, -1, 61, "3"])
def test_window_is_validated(window):
    with pytest.raises(KioskError):
        PriceCodePairing(window_s=window)


def test_double_read_within_the_interval_is_dropped():
    reads = DoubleReadFilter()  # default 1 s
    assert reads.accept("s1", "9784033280103", 0.0)
    assert not reads.accept("s1", "9784033280103", 0.3)


def test_second_copy_after_the_interval_counts():
    reads = DoubleReadFilter(interval_s=1.0)
    assert reads.accept("s1", "9784033280103", 0.0)
    assert reads.accept("s1", "9784033280103", 1.0)


def test_held_trigger_keeps_dropping():
    reads = DoubleReadFilter(interval_s=1.0)
    accepted = [reads.accept("s1", "X", t / 10) for t in range(0, 30, 3)]  # every 0.3 s for 3 s
    assert accepted == [True] + [False] * 9


def test_other_scanner_or_other_code_counts():
    reads = DoubleReadFilter()
    assert reads.accept("s1", "A", 0.0)
    assert reads.accept("s2", "A", 0.1)
    assert reads.accept("s1", "B", 0.2)
    assert reads.accept("s1", "A", 0.3)


def test_zero_interval_keeps_everything():
    reads = DoubleReadFilter(interval_s=0)
    assert reads.accept("s1", "A", 0.0) and reads.accept("s1", "A", 0.0)


@pytest.mark.parametrize("interval", [-0.1, 11, None])
def test_interval_is_validated(interval):
    with pytest.raises(KioskError):
        DoubleReadFilter(interval_s=interval)
