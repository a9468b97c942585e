"""A whole delivery in headless Chromium: Shift_JIS slip, keyboard-wedge scans, taps, register."""

from pathlib import Path

import pytest

from tests.browser_keys import scanner_burst
from tests.browser_wait import wait_for

from tests.e2e.conftest import screenshot

SLIP = Path(__file__).parents[1] / "delivery" / "fixtures" / "slip-himawari-sjis.csv"
COPIES = ["9784033280103", "9784834000825", "9784003101018", "9784003101018", "9784834006254", "9784591123454",
          "9784062748681", "9784062748681", "9784062748681"]


def start_delivery(page, live_kiosk, slip=SLIP):
    page.goto(live_kiosk.url + "/deliveries/new")
    screenshot(page, "01-new-delivery")
    page.fill("input[name=source]", "ひまわり書店")
    if slip is not None:
        page.set_input_files("input[name=slip]", str(slip))
    page.click("button[type=submit]")
    page.wait_for_url("**/deliveries/*")


def scan_burst(page, code: str) -> None:
    """What a USB scanner in keyboard mode does: keys a few ms apart, then Enter, stamped as the
    OS stamps them (tests/browser_keys.py: not at the test driver's pace, which a loaded machine
    delays)."""
    scanner_burst(page, code)


def scan_and_wait(page, code: str, rows_after: int) -> None:
    scan_burst(page, code)
    try:
        wait_for(page, f"document.querySelectorAll('#items > li').length === {rows_after}")
    except Exception:
        raise AssertionError(f"scan {code} did not arrive; the page says: {page.inner_text('#message')!r}") from None


def rows(page) -> int:
    return page.locator("#items > li").count()


def test_whole_delivery(page, live_kiosk, tmp_path):
    from kiosk.settings import change_settings

    with live_kiosk.db.write() as session:
        change_settings(session, 1, "printing", {"printer": f"pdf:{tmp_path / 'printed'}"}, actor="t")
    start_delivery(page, live_kiosk)
    page.click("input#typed-code")  # focus in a field: the scan must still go to the delivery
    page.keyboard.press("Escape")
    for n, code in enumerate(COPIES, start=1):
        scan_and_wait(page, code, n)
        assert page.input_value("input#typed-code") == "", f"scan {n} was left in the field"
    assert "スキャン 9 冊 ／ 納品書 9 冊" in page.inner_text("#counts")
    screenshot(page, "02-scanned")
    buttons_ok = page.locator("#items > li button.tap.ok")
    for index in range(buttons_ok.count()):
        page.locator("#items > li").nth(index).locator("button.tap.ok").tap()
        wait_for(page, f"document.querySelectorAll('#items > li.ok').length === {index + 1}")
    page.locator("#items > li").last.locator("button.tap.bad").tap()  # はらぺこあおむし: 落丁
    page.wait_for_selector("#items > li.defective")
    screenshot(page, "03-inspected")
    page.click("text=納品書との照合")
    assert "納品書と一致しています" in page.inner_text("main")
    assert "交換する本" in page.inner_text("main")
    screenshot(page, "04-check")
    page.click("button.go")
    page.wait_for_selector("#confirm-register")  # slip-only books: call numbers estimated or missing, listed
    page.click("#confirm-register")
    page.wait_for_selector("table.registered")
    numbers = [int(n) for n in page.locator("table.registered td.number").all_inner_texts()]
    assert numbers == list(range(1001, 1009))
    screenshot(page, "05-registered")
    page.click("#print-labels")
    page.wait_for_url("**/printing/")
    screenshot(page, "05b-printed")
    (printed,) = (tmp_path / "printed").glob("labels-*.pdf")
    from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
    from tests.printer.zbar import decode_pdf

    assert {decode_item_code(d, ItemCodeSettings()) for _, d in decode_pdf(printed.read_bytes())} == set(numbers)
    page.goto(live_kiosk.url + "/ledger/")
    assert "8冊 10,230円" in page.inner_text("main")
    screenshot(page, "06-ledger")
    page.click("#year-figures")  # the year's figures for the audit
    page.wait_for_selector("#accessions")
    assert "購入 市費（図書費）" in page.inner_text("#accessions") and "10,230" in page.inner_text("#accessions")
    assert "1001〜1008" in page.inner_text("#holdings")
    screenshot(page, "06b-year-figures")


def test_a_person_typing_slowly_is_not_a_scan(page, live_kiosk):
    start_delivery(page, live_kiosk)
    page.click("input#typed-code")
    page.keyboard.press("Escape")
    page.keyboard.type("97840", delay=250)
    assert page.input_value("input#typed-code") == "97840"
    assert rows(page) == 0


def test_unknown_isbn_typed_on_the_keypad_and_a_hostile_title(page, live_kiosk):
    start_delivery(page, live_kiosk, slip=None)
    page.tap("input#typed-code")
    for digit in "9784834000825":
        page.tap(f"#keypad .key[data-key='{digit}']")
    page.tap("#keypad .key[data-key='ok']")
    page.wait_for_selector("#items > li")
    assert "書誌が見つかりません" in page.inner_text("#items")
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    page.fill("#items input[name=title]", hostile)
    page.tap("#items input[name=price]")
    for digit in "1100":
        page.tap(f"#keypad .key[data-key='{digit}']")
    page.tap("#keypad .key[data-key='ok']")
    page.click("#items form.compact button[type=submit]")
    page.wait_for_load_state()
    assert hostile in page.inner_text("#items")  # shown as text
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "07-hostile-title")


def test_slip_with_a_missing_book(page, live_kiosk):
    start_delivery(page, live_kiosk)
    for n, code in enumerate(COPIES[:-1], start=1):
        scan_and_wait(page, code, n)
    page.click("text=納品書との照合")
    text = page.inner_text("main")
    assert "不足" in text and "日本の歴史 1" in text
    screenshot(page, "08-missing-book")


def test_a_wrong_check_digit_is_shown_in_red(page, live_kiosk):
    start_delivery(page, live_kiosk)
    scan_burst(page, "9784033280104")
    page.wait_for_selector("#message.error")
    assert "チェックデジット" in page.inner_text("#message")
    assert rows(page) == 0
    screenshot(page, "09-bad-scan")


@pytest.mark.scan_stream
def test_scans_from_the_usb_reader_reach_the_open_page(page, live_kiosk):
    page.add_init_script("document.addEventListener('kiosk:stream-state', "
                         "function (e) { if (e.detail.connected) { window.__streamOpen = true; } });")
    start_delivery(page, live_kiosk)
    wait_for(page, "window.EventSource !== undefined")
    wait_for(page, "document.getElementById('scanner-state') !== null")
    # This page's own stream has opened (the broker's subscriber count may still include the
    # previous page's stream, and a scan sent before this one opens is not this page's).
    wait_for(page, "window.__streamOpen === true")
    feed = live_kiosk.app.extensions["scan_feed"]
    for n, code in enumerate(COPIES[:3], start=1):
        feed.receive("usb-1", code)  # what the USB reader thread does at Enter
        wait_for(page, f"document.querySelectorAll('#items > li').length === {n}")
    assert "スキャン 3 冊" in page.inner_text("#counts")
    screenshot(page, "10-usb-scans")



@pytest.mark.scan_stream
def test_a_usb_scan_made_while_the_page_reloads_reaches_the_new_page(page, live_kiosk):
    page.add_init_script("document.addEventListener('kiosk:stream-state', "
                         "function (e) { if (e.detail.connected) { window.__streamOpen = true; } });")
    start_delivery(page, live_kiosk)
    wait_for(page, "window.__streamOpen === true")  # this tab has never seen a scan, only its position
    feed = live_kiosk.app.extensions["scan_feed"]

    def scan_in_the_gap(route):  # the old page is gone, the new one has not listened yet
        if "opened" not in gap:
            gap.add("opened")
            feed.receive("usb-1", COPIES[0])
        route.continue_()

    gap: set = set()
    page.route("**/scans/stream*", scan_in_the_gap)
    page.reload()
    wait_for(page, "document.querySelectorAll('#items > li').length === 1")
    page.wait_for_timeout(300)
    assert page.locator("#items > li").count() == 1  # kept once, not twice


def test_the_scan_sound_is_on_once_a_scanner_key_reached_the_page(page, live_kiosk):
    """A page opened with no tap (the kiosk's browser starting, a reload) has its sound
    suspended by the browser: the first scanner key wakes it (the flash shows either way)."""
    start_delivery(page, live_kiosk)
    page.goto(page.url)  # no tap or key on this page yet
    assert page.evaluate("window.kioskFeedback.soundState()") == "suspended"
    scan_and_wait(page, COPIES[0], 1)
    wait_for(page, "window.kioskFeedback.soundState() === 'running'")
    assert page.evaluate("document.body.classList.contains('flash-ok')")


def test_a_weeding_by_scanning_copy_barcodes(page, live_kiosk):
    """Year-end weeding: scan each copy's barcode on the 除籍（まとめて） screen (a scan adds it to
    the list rather than opening the copy), tap the reason, withdraw all."""
    from datetime import date

    from kiosk.ledger.accession import Accession, Book, CopyRequest, register
    from kiosk.ledger.funds import Fund, Kind
    from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number

    register(live_kiosk.db, 1, Accession(Kind.PURCHASE, Fund.CITY, "ひまわり書店", date(2026, 11, 20)),
             [CopyRequest(Book(title, classification="913", author_mark="ナ"), price=550)
              for title in ("ぼろぼろの本", "よごれた本", "まだ読める本")], actor="t")
    from kiosk.settings import set_staff_pin

    with live_kiosk.db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    page.goto(live_kiosk.url + "/copies/")
    page.click("#weeding-link")
    page.wait_for_url("**/staff/login**")  # staff only: the PIN on the keypad first
    page.click("#pin")
    for key in "2580":
        page.click(f".key[data-key='{key}']")
    page.click(".key[data-key='ok']")
    page.click("form.pin-form button[type=submit]")
    page.wait_for_selector("#weeding-add")
    for n, number in enumerate((1001, 1002), start=1):
        scan_burst(page, encode_item_number(number, ItemCodeSettings()))
        wait_for(page, f"document.querySelectorAll('#weeding-list tbody tr, #weeding-list tr').length === {n + 1}")
    scan_burst(page, "9784033280103")  # a book's ISBN, not a copy's barcode: said, the list kept
    page.wait_for_selector("#weeding-error")
    assert "この図書館の本のバーコード" in page.inner_text("#weeding-error")
    assert "2冊" in page.inner_text("#weeding-count")
    page.click("text=破損・汚損")
    page.fill("#weeding-form input[name=note]", "学期末の点検")
    screenshot(page, "12-weeding")
    page.click("#weeding-submit")
    page.wait_for_selector("#withdraw-confirm")  # a second, deliberate tap
    assert "2冊" in page.inner_text("#withdraw-question") and "学期末の点検" in page.inner_text("#withdraw-note")
    page.click("#withdraw-confirm")
    page.wait_for_selector("#withdrawn-list")
    assert "除籍しました: 2冊" in page.inner_text("main") and "まだ読める本" not in page.inner_text("main")
    assert "学期末の点検" in page.inner_text("#withdrawal-notes")
    screenshot(page, "13-withdrawn")
    page.goto(live_kiosk.url + "/copies/1003")
    assert "除籍 " not in page.inner_text("h2")


def test_the_ledger_prints_one_sheet_a_page(page, live_kiosk, tmp_path):
    """Printed from the browser (Chromium's own print to PDF), the 図書台帳 screen gives one page
    per ledger sheet (葉) with its totals, and none of the screen's buttons."""
    import subprocess
    from datetime import date

    from kiosk.ledger.accession import Accession, Book, CopyRequest, register
    from kiosk.ledger.funds import Fund, Kind

    register(live_kiosk.db, 1, Accession(Kind.PURCHASE, Fund.CITY, "ひまわり書店", date(2026, 11, 20)),
             [CopyRequest(Book(f"本 その{i}"), price=1100) for i in range(1, 26)], actor="t")  # 10 + 10 + 5 rows
    page.goto(live_kiosk.url + "/ledger/")
    path = tmp_path / "ledger.pdf"
    page.emulate_media(media="print")
    path.write_bytes(page.pdf(prefer_css_page_size=True))
    pages = [p for p in subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                       check=True).stdout.split("\f") if p.strip()]
    assert len(pages) == 3
    for n, (text, totals) in enumerate(zip(pages, ("10冊 11,000円", "10冊 11,000円", "5冊 5,500円")), start=1):
        assert f"第{n}葉" in text and totals in text and "ひまわり小学校図書館" in text
        assert "CSVで保存" not in text and "装備チェックリスト" not in text
