"""Scans from the reader reach a connected page over real HTTP (waitress on 127.0.0.1):
in order, none lost, none doubled; a reconnecting page resumes with Last-Event-ID."""

import json
import threading

import httpx
import pytest

from kiosk.isbn import isbn13_check_digit
from kiosk.library import create_library
from tests.conftest import stop_waitress


def isbns(count):
    return [f"97849{n:07d}" + isbn13_check_digit(f"97849{n:07d}") for n in range(count)]


@pytest.fixture
def served(make_database_url, tmp_path, monkeypatch):
    from waitress.server import create_server

    from web import create_app

    monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    app = create_app(make_database_url("sqlite"), {"SECRET_KEY": "t", "LOOKUP_OFFLINE": True})
    with app.extensions["kiosk_db"].write() as session:
        create_library(session, "ひまわり小学校図書館", actor="t")
    server = create_server(app, host="127.0.0.1", port=0, threads=6)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.effective_port}"
    stop_waitress(server, thread, app)
    app.extensions["kiosk_db"].dispose()


def read_events(response, count):
    """The next ``count`` events of an SSE response: (id, data)."""
    events, current = [], {}
    for line in response.iter_lines():
        if line.startswith("id: "):
            current["id"] = int(line[4:])
        elif line.startswith("data: "):
            current["data"] = json.loads(line[6:])
        elif line == "" and "data" in current:
            events.append((current["id"], current["data"]))
            current = {}
            if len(events) == count:
                return events
    return events


def push_from_reader_thread(feed, codes):
    """A reader thread: scans go through the same feed the USB reader uses."""
    thread = threading.Thread(target=lambda: [feed.receive("usb-1", code) for code in codes])
    thread.start()
    return thread


def test_thousand_scans_arrive_in_order_exactly_once(served):
    app, base = served
    codes = isbns(1000)
    with httpx.Client(timeout=30) as client, client.stream("GET", base + "/scans/stream") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        assert app.extensions["scan_broker"].subscriber_count == 1  # subscribed before the headers came
        reader = push_from_reader_thread(app.extensions["scan_feed"], codes)
        events = read_events(response, 1000)
        reader.join()
    assert [data["text"] for _, data in events] == codes
    assert [seq for seq, _ in events] == sorted({seq for seq, _ in events})  # increasing, no repeats
    assert all(data["scan"]["kind"] == "isbn" for _, data in events)


def test_a_double_read_is_dropped_and_a_reconnect_resumes(served):
    app, base = served
    feed = app.extensions["scan_feed"]
    codes = isbns(20)
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", base + "/scans/stream") as response:
            for code in codes[:10]:
                feed.receive("usb-1", code)
            feed.receive("usb-1", codes[9])  # the same code again at once: a double read
            first = read_events(response, 10)
        for code in codes[10:]:
            feed.receive("usb-1", code)  # made while the page was reloading
        last_seen = first[-1][0]
        with client.stream("GET", base + "/scans/stream", headers={"Last-Event-ID": str(last_seen)}) as response:
            rest = read_events(response, 10)
    assert [d["text"] for _, d in first] == codes[:10]
    assert [d["text"] for _, d in rest] == codes[10:]
