"""Fan-out of scan events: order, exactly once, slow or gone subscribers, resuming."""

import threading

import pytest

from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from kiosk.scan import ScanBroker, ScanFeed, SubscriptionClosed
from kiosk.scan.usbreader import UsbScannerReader

from .replay_backend import ReplayBackend, ReplayDevice

SHIFT, ENTER = 0x02, 0x28
US_KEYS = {"A": (SHIFT, 0x04), **{d: (0, 0x1E + (int(d) - 1) % 10) for d in "1234567890"}}


def keyboard_reports(text: str) -> list[bytes]:
    out = []
    for char in text:
        modifiers, usage = US_KEYS[char]
        out += [bytes([modifiers, 0, usage, 0, 0, 0, 0, 0]), bytes(8)]
    return out + [bytes([0, 0, ENTER, 0, 0, 0, 0, 0]), bytes(8)]


def test_1000_scans_from_the_reader_arrive_in_order_once_each():
    labels = ItemCodeSettings()
    script = [r for n in range(1, 1001) for r in keyboard_reports(encode_item_number(n, labels))]
    device = ReplayDevice(0x0C2E, 0x0B61, script)
    broker = ScanBroker()
    feed = ScanFeed(broker)
    subscription = broker.subscribe()
    reader = UsbScannerReader(
        feed.receive, backend=ReplayBackend([device]), device="0c2e:0b61", on_status=feed.scanner_status,
        backoff_min_s=0.005, read_timeout_ms=10,
    )
    reader.start()
    received = []
    try:
        while len(received) < 1001:  # one "connected" status, then 1000 scans
            envelope = subscription.get(timeout=10)
            assert envelope is not None, f"stalled after {len(received)} events"
            received.append(envelope)
    finally:
        reader.stop()
    assert [e.seq for e in received] == list(range(1, 1002))
    assert received[0].event.to_json()["state"] == "connected"
    assert [e.event.scan.number for e in received[1:]] == list(range(1, 1001))
    assert subscription.get(timeout=0.05).event.to_json()["state"] == "stopped"
    assert subscription.get(timeout=0.05) is None  # nothing doubled


def test_many_subscribers_each_get_every_event_in_order():
    broker = ScanBroker()
    subscriptions = [broker.subscribe() for _ in range(5)]
    publisher = threading.Thread(target=lambda: [broker.publish(n) for n in range(2000)])
    publisher.start()
    results = [[] for _ in subscriptions]

    def consume(subscription, out):
        while len(out) < 2000:
            out.append(subscription.get(timeout=5).event)

    consumers = [threading.Thread(target=consume, args=pair) for pair in zip(subscriptions, results)]
    for thread in consumers:
        thread.start()
    for thread in [publisher, *consumers]:
        thread.join(10)
    assert all(result == list(range(2000)) for result in results)


def test_a_subscriber_that_disconnects_is_dropped_without_blocking_others():
    broker = ScanBroker()
    leaving, staying = broker.subscribe(), broker.subscribe()
    broker.publish("a")
    leaving.close()
    broker.publish("b")
    assert broker.subscriber_count == 1
    assert [staying.get(0).event, staying.get(0).event] == ["a", "b"]
    with pytest.raises(SubscriptionClosed):
        leaving.get(0)


def test_a_subscriber_that_stops_reading_is_cut_off_not_waited_for():
    broker = ScanBroker(max_pending=10)
    stuck, live = broker.subscribe(), broker.subscribe()
    for n in range(11):
        broker.publish(n)
        live.get(0)
    assert broker.subscriber_count == 1
    with pytest.raises(SubscriptionClosed, match="not read"):
        stuck.get(0)


def test_reconnecting_page_resumes_after_the_last_event_it_saw():
    broker = ScanBroker(history=100)
    for n in range(1, 11):
        assert broker.publish(n).seq == n
    resumed = broker.subscribe(after=6)
    broker.publish(11)
    assert [resumed.get(0).event for _ in range(5)] == [7, 8, 9, 10, 11]
    assert resumed.get(0) is None and not resumed.missed


def test_resuming_too_far_back_says_events_were_missed():
    broker = ScanBroker(history=3)
    for n in range(1, 11):
        broker.publish(n)
    resumed = broker.subscribe(after=2)
    assert resumed.missed and resumed.get(0).event == 8


def test_get_times_out_with_none():
    assert ScanBroker().subscribe().get(timeout=0.01) is None


def test_closing_the_broker_ends_every_subscription():
    broker = ScanBroker()
    subscription = broker.subscribe()
    waiting = threading.Thread(target=lambda: list(subscription))
    waiting.start()
    broker.close()
    waiting.join(2)
    assert not waiting.is_alive()
    assert broker.subscribe().closed


def test_feed_drops_double_reads_and_pairs_price_codes():
    clock = iter([0.0, 0.2, 0.5, 2.0]).__next__
    broker = ScanBroker()
    feed = ScanFeed(broker, clock=clock, wall_clock=lambda: 0.0)
    subscription = broker.subscribe()
    assert feed.receive("s1", "9784033280103") is not None
    assert feed.receive("s1", "9784033280103") is None  # double read at 0.2 s
    attached = feed.receive("s1", "1928797012008").event.to_json()
    assert attached["action"] == "attach" and attached["isbn13"] == "9784033280103"
    assert attached["price_code"]["list_price"] == 1200
    second_copy = feed.receive("s1", "1928797012008").event
    assert second_copy.pairing.action == "ask_isbn"
    assert [subscription.get(0).seq for _ in range(3)] == [1, 2, 3]
    assert second_copy.to_json()["received_at"] == "1970-01-01T00:00:00+00:00"
