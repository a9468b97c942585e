"""The delivery screen in headless Chromium: every state-changing button is disabled from the
tap until its answer, so a double tap sends one request; a long delivery shows its newest page;
a row whose lookup gives up says so."""

import threading
import time

import pytest

from tests.browser_wait import wait_for
from flask import request

from kiosk.library import create_library
from tests.conftest import stop_waitress
from tests.e2e.conftest import screenshot
from tests.e2e.test_delivery_browser import COPIES, SLIP, scan_and_wait, start_delivery
from tests.lookup.fake_service import FakeService, Reply

# SQLite only: one request per tap is the page's; the routes' outcomes on both backends are in
# tests/web and tests/races. The suite stays well under 15 minutes; test_delivery_browser.py and
# test_call_numbers_browser.py drive whole deliveries on both backends.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def posts_to(page, part: str) -> list[str]:
    """The POST requests the page sends whose URL contains ``part``, as they are sent."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.method == "POST" and part in r.url else None)
    return seen


def slow_posts(app, seconds: float) -> None:
    """A busy server: a tap seems to do nothing for a while, so staff tap again."""
    @app.before_request
    def slow():
        if request.method == "POST" and ("/items/" in request.path or request.path.endswith("/register")):
            time.sleep(seconds)


def test_a_double_tap_on_an_inspection_button_sends_one_request(page, live_kiosk):
    slow_posts(live_kiosk.app, 0.5)
    start_delivery(page, live_kiosk, slip=None)
    scan_and_wait(page, COPIES[0], 1)
    taps = posts_to(page, "/items/")
    page.locator("#items > li form.actions button.tap.ok").dblclick()
    assert page.locator("#items > li form.actions button.tap.ok").is_disabled()  # until the answer
    page.wait_for_selector("#items > li.ok")
    page.wait_for_timeout(300)
    assert len(taps) == 1, taps
    assert page.locator("#items > li form.actions button.tap.ok").is_enabled()  # the new row's buttons work
    # two clicks in the same instant (no time for the page to redraw in between)
    page.evaluate("""() => { const b = document.querySelector('#items > li form.actions button.tap.bad'); b.click(); b.click(); }""")
    page.wait_for_selector("#items > li.defective")
    page.wait_for_timeout(300)
    assert len(taps) == 2, taps
    screenshot(page, "20-double-tap-inspection")


def test_a_double_tap_on_remove_sends_one_request_and_the_counts_follow(page, live_kiosk):
    slow_posts(live_kiosk.app, 0.5)
    start_delivery(page, live_kiosk, slip=None)
    scan_and_wait(page, COPIES[0], 1)
    scan_and_wait(page, COPIES[1], 2)
    taps = posts_to(page, "/items/")
    page.locator("#items > li").first.locator("button.tap.plain").dblclick()
    wait_for(page, "document.querySelectorAll('#items > li').length === 1")
    page.wait_for_timeout(300)
    assert len(taps) == 1, taps
    assert "スキャン 1 冊" in page.inner_text("#counts")


def test_a_double_tap_on_the_typed_record_and_on_register_sends_one_request_each(page, live_kiosk):
    slow_posts(live_kiosk.app, 0.5)
    start_delivery(page, live_kiosk, slip=None)
    scan_and_wait(page, "9784834000825", 1)  # no source knows it (offline): the typed form
    assert "書誌が見つかりませんでした" in page.inner_text("#items")
    typed = posts_to(page, "/items/")
    page.fill("#items input[name=title]", "ぐりとぐら")
    page.fill("#items input[name=price]", "990")
    page.locator("#items form.compact button[type=submit]").dblclick(no_wait_after=True)
    page.wait_for_selector("#items > li .title:has-text('ぐりとぐら')")
    assert len(typed) == 1, typed
    page.locator("#items > li form.actions button.tap.ok").click()
    page.wait_for_selector("#items > li.ok")
    page.click("text=納品書との照合")
    registers = posts_to(page, "/register")
    page.locator("button.go").dblclick(no_wait_after=True)
    page.wait_for_selector("#confirm-register")  # no class yet: the second confirmation
    page.wait_for_timeout(300)
    assert len(registers) == 1, registers
    page.locator("#confirm-register").dblclick(no_wait_after=True)
    try:
        page.wait_for_selector("table.registered")
    except Exception:
        raise AssertionError(page.inner_text("main")) from None
    page.wait_for_timeout(300)
    assert len(registers) == 2, registers
    assert [int(n) for n in page.locator("table.registered td.number").all_inner_texts()] == [1001]


def test_a_long_delivery_shows_its_newest_page_and_a_scan_keeps_it_one_page_long(page, live_kiosk):
    from kiosk.events import now
    from kiosk.lookup import BibRecord
    from kiosk.db.models import IntakeItem
    from tests.web.test_delivery_paging import isbn

    start_delivery(page, live_kiosk, slip=SLIP)
    intake = int(page.url.rstrip("/").rsplit("/", 1)[1])
    with live_kiosk.db.write() as session:
        session.connection().execute(IntakeItem.__table__.insert(), [
            {"intake_id": intake, "scanned_at": now(), "isbn13": isbn(n), "slip_line_id": None,
             "record": BibRecord(isbn13=isbn(n), title=f"本 その{n}", source="ndl").to_json(), "list_price": None,
             "c_code": None, "inspection": "pending", "removed": False} for n in range(60)])
    page.reload()
    assert page.locator("#items > li").count() == 50
    assert "スキャン 60 冊" in page.inner_text("#counts")
    assert page.locator("#pager-older").is_visible()
    scan_and_wait(page, COPIES[0], 50)  # one more on top, the oldest on this page goes to the next
    wait_for(page, "document.getElementById('counts').textContent.includes('61')")
    assert page.locator("#items > li").first.get_attribute("id") != page.locator("#items > li").nth(1).get_attribute("id")
    page.click("#pager-older")
    page.wait_for_url("**page=2")
    assert page.locator("#items > li").count() == 11 and "スキャン 61 冊" in page.inner_text("#counts")
    screenshot(page, "21-long-delivery-page-2")


@pytest.fixture
def hanging_kiosk(database_url, tmp_path, monkeypatch):
    """The kiosk with its lookup service on 127.0.0.1 never answering."""
    from waitress.server import create_server

    from web import create_app

    service = FakeService().start()
    service.script("/api/sru", Reply(b"", delay=3600))
    monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    monkeypatch.setenv("KIOSK_LOOKUP_SOURCES", "ndl")
    monkeypatch.setenv("KIOSK_NDL_SRU_URL", service.base + "/api/sru")
    monkeypatch.setenv("KIOSK_LOOKUP_TIMEOUT", "1.5")
    monkeypatch.setenv("KIOSK_LOOKUP_RETRIES", "0")
    app = create_app(database_url, {"SECRET_KEY": "e2e", "LOOKUP_OFFLINE": False, "WEDGE_GAP_MS": 100})
    with app.extensions["kiosk_db"].write() as session:
        create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t")
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    class Kiosk:
        url = f"http://127.0.0.1:{server.effective_port}"
        db = app.extensions["kiosk_db"]

    yield Kiosk
    stop_waitress(server, thread, app)
    app.extensions["intake_scanner"].background.shutdown()
    service.stop()
    app.extensions["kiosk_db"].dispose()


def test_a_row_whose_lookup_gives_up_says_so_and_offers_the_typed_form(browser, hanging_kiosk):
    context = browser.new_context(viewport={"width": 1024, "height": 600}, locale="ja-JP", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        start_delivery(page, hanging_kiosk, slip=None)
        scan_and_wait(page, COPIES[0], 1)
        assert "書誌を検索中" in page.inner_text("#items")
        page.wait_for_selector("#items > li .gave-up")
        assert "書誌が見つかりませんでした（検索先が応答しません）" in page.inner_text("#items")
        assert page.locator("#items input[name=title]").is_visible()
        screenshot(page, "22-lookup-gave-up")
    finally:
        context.close()


def test_the_typed_records_class_is_tapped_on_the_keypad_point_included(page, live_kiosk):
    """913.6 needs its point: the keypad has one (it had none, so a class was set in the editor)."""
    from sqlalchemy import select

    from kiosk.db.models import IntakeItem

    start_delivery(page, live_kiosk, slip=None)
    scan_and_wait(page, "9784834000825", 1)  # offline and unknown: the typed form
    page.fill("#items input[name=title]", "ぐりとぐら")
    page.fill("#items input[name=price]", "990")
    page.click("#items input[name=ndc]")
    for key in "913.6":
        page.click(f"#keypad .key[data-key='{key}']")
    page.click("#keypad .key[data-key=ok]")
    assert page.input_value("#items input[name=ndc]") == "913.6"
    page.locator("#items form.compact button[type=submit]").click()
    page.wait_for_selector("#items > li .title:has-text('ぐりとぐら')")
    with live_kiosk.db.read() as session:
        record = session.scalar(select(IntakeItem.record))
    assert "913.6" in str(record), record
