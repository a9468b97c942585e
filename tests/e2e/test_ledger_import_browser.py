"""The ledger import screen in Chromium: staff sign in, choose a CSV, see the dry run, and import
only once the confirmation is ticked (the browser itself holds back an unticked one); no CSP
violation on the way."""

from sqlalchemy import func, select

from kiosk.db.models import Copy
from kiosk.settings import set_staff_pin
from tests.e2e.conftest import screenshot
from tests.web.test_ledger_import_page import GOOD


def copies(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Copy))


def test_import_a_ledger_on_the_touch_screen(page, live_kiosk, tmp_path):
    with live_kiosk.db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    ledger = tmp_path / "図書原簿.csv"
    ledger.write_bytes(GOOD.encode("cp932"))
    page.goto(f"{live_kiosk.url}/ledger/")
    page.click("#ledger-import")
    page.fill("input[name=pin]", "2580")
    page.press("input[name=pin]", "Enter")
    page.wait_for_selector("#import-upload")
    page.set_input_files("#import-file", str(ledger))
    page.click("#import-check")
    page.wait_for_selector("#import-summary")
    assert "まだ何も取り込んでいません" in page.inner_text("#import-checked")
    screenshot(page, "ledger-import-checked")
    page.click("#import-submit")  # not ticked: the form is not sent
    assert page.is_visible("#import-confirm") and copies(live_kiosk.db) == 0
    page.check("#import-confirmed")
    page.click("#import-submit")
    page.wait_for_selector("#import-done")
    assert "3行を取り込みました" in page.inner_text("#import-done") and copies(live_kiosk.db) == 3
