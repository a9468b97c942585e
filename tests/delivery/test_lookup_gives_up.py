"""A lookup that gives up is said on the delivery's row, with the typed form; one that takes
long is said too, and its late answer still fills the row in. Through the app, with the
lookup services played by a real HTTP server on 127.0.0.1 that hangs or answers late."""

import io
import re
import time

import pytest

from kiosk.library import create_library
from kiosk.intake.pending_lookups import FAILED, FOUND, NOT_FOUND, OFFLINE, outcome_of
from kiosk.lookup import BibRecord
from kiosk.lookup.chain import LookupResult, SourceStatus
from tests.lookup.fake_service import Reply, fixture
from tests.web.conftest import KioskClient

NDL_PATH, OPENBD_PATH = "/api/sru", "/v1/get"
HARAPEKO = "9784033280103"
HANGS = 3600  # seconds: until the fake server is stopped


@pytest.fixture
def app(database_url, tmp_path, monkeypatch, service):
    from web import create_app

    monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    monkeypatch.setenv("KIOSK_LOOKUP_SOURCES", "ndl")
    monkeypatch.setenv("KIOSK_NDL_SRU_URL", service.base + NDL_PATH)
    monkeypatch.setenv("KIOSK_OPENBD_URL", service.base)
    monkeypatch.setenv("KIOSK_LOOKUP_TIMEOUT", "1.5")
    monkeypatch.setenv("KIOSK_LOOKUP_CONNECT_TIMEOUT", "0.5")
    monkeypatch.setenv("KIOSK_LOOKUP_RETRIES", "0")
    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "test-secret", "LOOKUP_OFFLINE": False})
    with app.extensions["kiosk_db"].write() as session:
        create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t")
    yield app
    app.extensions["intake_scanner"].background.shutdown()
    app.extensions["kiosk_db"].dispose()


@pytest.fixture
def client(app):
    return KioskClient(app.test_client())


def _delivery(client) -> int:
    response = client.post("/deliveries/", data={"source": "寄贈者", "received_on": "2026-11-20", "kind": "donation",
                                                 "slip": (io.BytesIO(b""), "")}, content_type="multipart/form-data")
    return int(re.search(r"/deliveries/(\d+)", response.headers["Location"]).group(1))


def _until(client, intake: int, item: int, done, seconds: float = 10.0) -> dict:
    """Poll the copy as the page does until ``done(answer)``."""
    deadline = time.monotonic() + seconds
    while True:
        answer = client.get(f"/deliveries/{intake}/items/{item}").get_json()
        if done(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def test_a_lookup_that_never_answers_is_said_on_the_row_with_the_typed_form(client, app, service):
    service.script(NDL_PATH, Reply(b"", delay=HANGS))
    intake = _delivery(client)
    scanned = client.post(f"/deliveries/{intake}/scans", json={"code": HARAPEKO}).get_json()
    assert scanned["ok"] and scanned["lookup"] == "looking"
    assert "書誌を検索中…" in scanned["row"] and 'data-waiting="1"' in scanned["row"]
    item = scanned["item"]["id"]
    answer = _until(client, intake, item, lambda a: a["lookup"] != "looking")
    assert answer["lookup"] == FAILED and answer["item"]["title"] is None
    assert "書誌が見つかりませんでした（検索先が応答しません）。書名を入力してください" in answer["row"]
    assert 'data-waiting="0"' in answer["row"] and 'name="title"' in answer["row"]  # the typed form
    assert service.count(NDL_PATH) >= 1  # it was asked, and never answered
    page = client.get(f"/deliveries/{intake}").get_data(as_text=True)
    shown = re.sub(r'data-[a-z-]+="[^"]*"', "", page)  # the words scripts may say later are not said
    assert "検索先が応答しません" in shown and "書誌を検索中" not in shown
    # the outcome outlives the lookup settings being changed (the scanner is built again)
    from web import configure_lookups

    configure_lookups(app, app.extensions["kiosk_db"])
    assert client.get(f"/deliveries/{intake}/items/{item}").get_json()["lookup"] == FAILED
    # staff type the title: the row is the book's
    client.post(f"/deliveries/{intake}/items/{item}", data={"title": "はらぺこあおむし", "isbn13": HARAPEKO})
    typed = client.get(f"/deliveries/{intake}/items/{item}").get_json()
    assert typed["item"]["title"] == "はらぺこあおむし" and "見つかりませんでした" not in typed["row"]


def test_a_slow_lookup_is_said_and_its_late_answer_fills_the_row_in(client, app, service):
    service.script(NDL_PATH, Reply(fixture(f"ndl/sru-dcndl-xml-{HARAPEKO}.xml"), delay=1.0))
    app.extensions["intake_scanner"].slow_after = 0.3
    intake = _delivery(client)
    item = client.post(f"/deliveries/{intake}/scans", json={"code": HARAPEKO}).get_json()["item"]["id"]
    slow = _until(client, intake, item, lambda a: a["lookup"] != "looking")
    assert slow["lookup"] == "slow" and slow["item"]["title"] is None
    assert "書誌の検索に時間がかかっています" in slow["row"] and 'name="title"' in slow["row"]
    assert 'data-waiting="1"' in slow["row"]  # the page keeps asking
    late = _until(client, intake, item, lambda a: a["item"]["title"] is not None)
    assert late["item"]["title"] == "はらぺこあおむし" and late["lookup"] == FOUND
    assert 'data-waiting="0"' in late["row"] and 'name="title"' not in late["row"]


def test_offline_says_it_did_not_look(client, app, service):
    app.extensions["intake_scanner"].background.offline = True  # as LOOKUP_OFFLINE or the setting makes it
    intake = _delivery(client)
    scanned = client.post(f"/deliveries/{intake}/scans", json={"code": HARAPEKO}).get_json()
    assert scanned["lookup"] == OFFLINE and "オフラインのため検索していません" in scanned["row"]
    assert service.count(NDL_PATH) == 0


def _result(*statuses, record=None):
    return LookupResult(HARAPEKO, record, None, tuple(SourceStatus(name, status, fault=fault)
                                                      for name, status, fault in statuses))


def test_what_a_lookup_came_to():
    remote = {"ndl", "openbd"}
    found = BibRecord(isbn13=HARAPEKO, title="はらぺこあおむし", source="ndl")
    assert outcome_of(_result(("ndl", "found", None), record=found), remote) == FOUND
    assert outcome_of(_result(("cache", "not_found", None), ("ndl", "failed", "timeout"),
                              ("openbd", "not_found", None)), remote) == NOT_FOUND
    assert outcome_of(_result(("ndl", "failed", "timeout"), ("openbd", "skipped", "circuit_open")), remote) == FAILED
    assert outcome_of(_result(("ndl", "skipped", None), ("openbd", "skipped", None)), remote) == OFFLINE
    assert outcome_of(_result(("sample", "not_found", None)), set()) == NOT_FOUND  # no remote source at all
