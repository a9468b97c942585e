"""Touch layout: every page fits 1024×600 and 1280×800 without sideways scrolling, and every
control is at least 48 px tall."""

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_delivery_browser import COPIES, scan_and_wait, start_delivery

# SQLite only: what fits on the screen is the page's, not the database's. The suite stays well under
# 15 minutes; test_delivery_browser.py and test_call_numbers_browser.py drive whole deliveries on
# both backends.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


SIZES = [(1024, 600), (1280, 800)]
CONTROLS = "a.nav, button, .button, .tile, input[type=text], input:not([type]), select, .key"


@pytest.mark.scan_stream  # the widest header: with the USB scanner's state badge
@pytest.mark.parametrize("width, height", SIZES, ids=lambda v: str(v))
def test_pages_fit_and_controls_are_big_enough(page, live_kiosk, width, height):
    page.set_viewport_size({"width": width, "height": height})
    start_delivery(page, live_kiosk)
    for n, code in enumerate(COPIES[:3], start=1):
        scan_and_wait(page, code, n)
    delivery = page.url
    _keep_labels_for_a_sheet(live_kiosk.db)  # so the 印刷 screen shows its sheet section too
    for path in ["/", "/deliveries/new", delivery, delivery + "/check", "/ledger/", "/copies/", "/printing/",
                 "/staff/login"]:
        page.goto(path if path.startswith("http") else live_kiosk.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {width}x{height}"
        small = page.evaluate(f"""() => Array.from(document.querySelectorAll({CONTROLS!r}))
            .filter(e => e.offsetParent !== null)
            .map(e => [e.textContent.trim() || e.name || e.tagName, e.getBoundingClientRect().height])
            .filter(([, h]) => h < 47.5)""")
        assert small == [], f"controls under 48 px on {path}: {small}"
        if path == "/printing/":
            screenshot(page, f"10-printing-{width}x{height}")
            page.tap("input[name=start]")  # the sheet's start position, typed on the on-screen keypad
            for key in ("clear", "7", "ok"):
                page.tap(f"#keypad .key[data-key='{key}']")
            assert page.input_value("input[name=start]") == "7"
    screenshot(page, f"11-login-{width}x{height}")


def _keep_labels_for_a_sheet(db) -> None:
    from datetime import date

    from kiosk.ledger.accession import Accession, Book, CopyRequest, register
    from kiosk.ledger.funds import Fund, Kind
    from kiosk.printing.queue import enqueue

    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    copies = register(db, 1, accession, [CopyRequest(Book("ぐりとぐら"), price=1100)], actor="t").copies
    enqueue(db, 1, [copy.number for copy in copies], printer=None, actor="t")
