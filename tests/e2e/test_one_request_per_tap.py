"""A double tap on any state-changing button sends one request (web/static/js/once.js)."""

import time
from datetime import date

import pytest
from flask import request
from sqlalchemy import func, select

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.library import find_library
from kiosk.db.models import Event

# SQLite only: one request per tap is the page's; the routes' outcomes on both backends are in
# tests/web and tests/races. The suite stays well under 15 minutes; test_delivery_browser.py and
# test_call_numbers_browser.py drive whole deliveries on both backends.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def test_a_double_tap_on_withdraw_sends_one_request(page, live_kiosk):
    db = live_kiosk.db

    @live_kiosk.app.before_request
    def slow_withdrawal():  # a busy server: the tap seems to do nothing, so staff tap again
        if request.method == "POST" and request.path.endswith("/withdraw"):
            time.sleep(1.0)

    with db.read() as session:
        library_id = find_library(session, None).id
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="書店", on=date.today())
    (copy,) = register(db, library_id, accession, [CopyRequest(Book("二度押しの本"), price=100)], actor="t").copies
    page.goto(f"{live_kiosk.url}/staff/login")
    page.click("form.pin-form button[type=submit]")  # no PIN set yet: staff actions are open
    page.goto(f"{live_kiosk.url}/copies/{copy.number}")
    page.check("input[name=reason][value=worn]")
    page.click("#withdraw-form button[type=submit]")  # the first tap asks once more
    page.wait_for_selector("#withdraw-confirm")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/withdraw" in r.url else None)
    # Two taps 300 ms apart while the server is slow to answer, timed inside the page (the
    # test's own waits share a process with the server).
    page.evaluate("""selector => {
        const button = document.querySelector(selector);
        button.click();
        setTimeout(() => button.click(), 300);
    }""", "#withdraw-confirm")
    page.wait_for_timeout(2500)
    page.wait_for_load_state("load")
    assert len(posts) == 1, posts
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Event).where(
            Event.action == "withdrawn", Event.number == copy.number)) == 1
    assert "除籍" in page.content()
