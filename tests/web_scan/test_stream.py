"""Scans from the reader reach a connected page over real HTTP (waitress on 127.0.0.1):
in order, none lost, none doubled; a reconnecting page resumes with Last-Event-ID; a page
that goes away is dropped; the USB reader's state goes through the stream too."""

import threading
import time

import httpx

from tests.scan.fixtures.make_hid_fixtures import US, typed
from tests.scan.replay_backend import ReplayBackend, ReplayDevice
from tests.web_scan.conftest import build_app, isbns, read_events, shut


def push_from_reader_thread(feed, codes):
    """A reader thread: scans go through the same feed the USB reader uses."""
    thread = threading.Thread(target=lambda: [feed.receive("usb-1", code) for code in codes])
    thread.start()
    return thread


def test_thousand_scans_arrive_in_order_exactly_once(serve):
    kiosk = serve()
    codes = isbns(1000)
    with httpx.Client(timeout=30) as client, client.stream("GET", kiosk.url + "/scans/stream") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert kiosk.broker.subscriber_count == 1  # subscribed before the headers came
        reader = push_from_reader_thread(kiosk.feed, codes)
        events = read_events(response.iter_lines(), 1000)
        reader.join()
    assert [data["text"] for _, data in events] == codes
    assert [seq for seq, _ in events] == sorted({seq for seq, _ in events})  # increasing, no repeats
    assert all(data["scan"]["kind"] == "isbn" for _, data in events)


def test_a_double_read_is_dropped_and_a_reconnect_resumes(serve):
    kiosk = serve()
    codes = isbns(20)
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", kiosk.url + "/scans/stream") as response:
            for code in codes[:10]:
                kiosk.feed.receive("usb-1", code)
            kiosk.feed.receive("usb-1", codes[9])  # the same code again at once: a double read
            first = read_events(response.iter_lines(), 10)
        for code in codes[10:]:
            kiosk.feed.receive("usb-1", code)  # made while the page was reloading
        last_seen = first[-1][0]
        with client.stream("GET", kiosk.url + "/scans/stream", headers={"Last-Event-ID": str(last_seen)}) as response:
            rest = read_events(response.iter_lines(), 10)
    assert [d["text"] for _, d in first] == codes[:10]
    assert [d["text"] for _, d in rest] == codes[10:]


def test_wedge_scans_posted_by_the_page_are_in_the_stream(serve):
    kiosk = serve()
    with httpx.Client(timeout=10) as client:
        page = client.get(kiosk.url + "/scan").text
        token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        with client.stream("GET", kiosk.url + "/scans/stream") as response:
            posted = client.post(kiosk.url + "/scans", json={"text": "9784033280103"},
                                 headers={"X-CSRF-Token": token}).json()
            ((seq, event),) = read_events(response.iter_lines(), 1)
    assert seq == posted["seq"] and event == posted["event"] and event["scanner"] == "wedge"


def test_a_page_that_goes_away_is_dropped(serve):
    kiosk = serve(SCAN_HEARTBEAT_SECONDS=0.1)
    with httpx.Client(timeout=10) as client, client.stream("GET", kiosk.url + "/scans/stream") as response:
        next(response.iter_lines())
        assert kiosk.broker.subscriber_count == 1
    deadline = time.monotonic() + 5
    while kiosk.broker.subscriber_count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kiosk.broker.subscriber_count == 0  # noticed at the next heartbeat
    assert kiosk.feed.receive("usb-1", isbns(1)[0]) is not None  # and the reader goes on


def test_resuming_after_scans_no_longer_kept_says_so(serve):
    kiosk = serve()
    for code in isbns(1005):
        kiosk.feed.receive("usb-1", code)
    with httpx.Client(timeout=10) as client, client.stream(
            "GET", kiosk.url + "/scans/stream", headers={"Last-Event-ID": "1"}) as response:
        (first, second) = read_events(response.iter_lines(), 2, numbered_only=False)
    assert first == (None, {"type": "missed"})
    assert second[0] == 6  # the oldest kept


def test_usb_reader_scans_and_its_state_reach_the_page(serve):
    """The real UsbScannerReader on a replayed scanner: 300 scans, unplugged and plugged in
    again half-way, arrive in order, each once, with the reader's state changes in between."""
    codes = isbns(300)
    steps = [r for code in codes[:150] for r in typed(US, code)] + ["unplug"]
    steps += [r for code in codes[150:] for r in typed(US, code)]
    device = ReplayDevice(0x0C2E, 0x0B61, steps, product="Voyager 1250g Barcode Scanner")
    kiosk = serve(SCANNER_DEVICE="0c2e:0b61", SCANNER_BACKEND=ReplayBackend([device], idle_read_s=0.001))
    assert "scan_reader" in kiosk.app.extensions
    # ?after=0: from the first event on, as a page that was already open would have seen them
    with httpx.Client(timeout=30) as client, client.stream("GET", kiosk.url + "/scans/stream?after=0") as response:
        lines = response.iter_lines()
        ((seq, now),) = read_events(lines, 1, numbered_only=False)
        assert seq is None and now["type"] == "scanner"  # the reader's state now, sent at once
        events = read_events(lines, 300 + 3)
    kinds = ["scan" if d["type"] == "scan" else d["state"] for _, d in events]
    assert kinds == ["connected"] + ["scan"] * 150 + ["disconnected", "connected"] + ["scan"] * 150
    assert [d["text"] for _, d in events if d["type"] == "scan"] == codes
    assert [seq for seq, _ in events] == list(range(1, 304))
    assert "unplugged" in device.log and "replugged" in device.log


def test_a_testing_app_starts_no_reader_unless_asked(make_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_SCANNER_DEVICE", "0c2e:0b61")
    app = build_app(make_database_url, tmp_path, monkeypatch)
    try:
        assert "scan_reader" not in app.extensions
    finally:
        shut(app)
