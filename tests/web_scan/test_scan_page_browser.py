"""The /scan page in headless Chromium (Debian's, through Playwright), served by waitress:
a scanner's key burst is a scan whatever has focus and leaves the field clean; a person
typing slowly is not; USB scans and the scanner's state arrive over the event stream; a
scanned text is shown as text, never run. Screenshots (1024×600) in test-artifacts/screenshots/.
"""

from tests.browser_keys import scanner_burst
from tests.browser_wait import wait_for
from tests.scan.replay_backend import ReplayBackend, ReplayDevice
from tests.web_scan.conftest import screenshot

ISBN, PRICE_CODE, MISREAD = "9784033280103", "1928797012008", "9784033280104"
# Wider than the default 40 ms between keys: Playwright sends each key on its own round trip, so
# keys typed 5 ms apart arrived over 60 ms apart on a loaded 2-core machine (a real scanner's
# keys carry the OS's timestamps). Also proves the setting reaches the page.
WEDGE = {"WEDGE_GAP_MS": 100}


def open_scan_page(page, kiosk):
    page.goto(kiosk.url + "/scan")
    wait_for(page, "document.getElementById('stream-state-text').textContent === '接続中'")


def scan_burst(page, code: str) -> None:
    """What a USB scanner in keyboard mode does: keys a few ms apart, then Enter, stamped as the
    OS stamps them (tests/browser_keys.py: not at the test driver's pace, which a loaded machine
    delays)."""
    scanner_burst(page, code)


def wait_for_code(page, code: str) -> None:
    try:
        wait_for(page, "code => document.getElementById('last-code').textContent === code", arg=code)
    except Exception:
        raise AssertionError(f"scan {code} not shown; the page shows {page.inner_text('#last-scan')!r}") from None


def test_a_burst_is_a_scan_whatever_has_focus(page, serve):
    kiosk = serve(**WEDGE)
    open_scan_page(page, kiosk)
    assert page.evaluate("document.body.dataset.wedgeGap") == "100"
    page.click("#typed-code")  # focus in a text field: the scan must still be taken as a scan
    scan_burst(page, ISBN)
    wait_for_code(page, ISBN)
    assert page.input_value("#typed-code") == "", "the burst was left in the field"
    assert page.inner_text("#last-kind") == "本（ISBN）"
    assert "4033280103" in page.inner_text("#last-details")
    assert page.get_attribute("#last-scan", "class") == "last ok"
    screenshot(page, "scan-01-isbn")
    scan_burst(page, PRICE_CODE)  # the book's second barcode, right after
    wait_for_code(page, PRICE_CODE)
    details = page.inner_text("#last-details")
    assert "1,200円" in details and "絵本" in details and "ISBN 9784033280103 の本" in details
    assert page.input_value("#typed-code") == ""
    screenshot(page, "scan-02-price-code")
    assert kiosk.broker.last_seq == 2


def test_a_misread_is_shown_in_red(page, serve):
    kiosk = serve(**WEDGE)
    open_scan_page(page, kiosk)
    scan_burst(page, MISREAD)
    wait_for_code(page, MISREAD)
    assert page.is_visible("#last-error") and "チェックデジット" in page.inner_text("#last-error")
    assert page.get_attribute("#last-scan", "class") == "last error"
    screenshot(page, "scan-03-misread")


def test_a_person_typing_slowly_is_not_a_scan(page, serve):
    kiosk = serve(**WEDGE)
    open_scan_page(page, kiosk)
    page.click("#typed-code")
    page.keyboard.type(ISBN, delay=250)  # a person: far slower than a scanner
    assert page.input_value("#typed-code") == ISBN
    assert kiosk.broker.last_seq == 0 and page.inner_text("#last-code") == ""
    page.keyboard.press("Enter")  # sends the typed code, as its button does
    wait_for_code(page, ISBN)
    assert kiosk.broker.last_seq == 1


def test_usb_scans_and_the_scanners_state_arrive_over_the_stream(page, serve):
    scanner = ReplayDevice(0x0C2E, 0x0B61, [], product="Voyager 1250g Barcode Scanner")  # plugged in, idle
    kiosk = serve(**WEDGE, SCANNER_DEVICE="0c2e:0b61", SCANNER_BACKEND=ReplayBackend([scanner], idle_read_s=0.005))
    open_scan_page(page, kiosk)
    # The header's badge starts as "確認中" and only the stream's scanner event changes it (the
    # scan page's own box is already "接続中" as rendered): waiting on the badge is waiting on the stream.
    wait_for(page, "document.getElementById('scanner-state').textContent === 'スキャナー接続中'")
    assert page.inner_text("#usb-state-text") == "接続中"
    hostile = '<img src=x onerror="window.__pwned=1">'
    for code in (ISBN, hostile):
        kiosk.feed.receive("0c2e:0b61", code)  # what the reader thread does at Enter
    wait_for_code(page, hostile)
    assert "USBスキャナー" in page.inner_text("#last-details")
    assert page.locator("#scan-history li").count() == 2
    assert page.evaluate("window.__pwned") is None and page.locator("#last-scan img").count() == 0
    screenshot(page, "scan-04-usb")


def test_a_cut_scan_is_shown_in_red_and_not_posted(page, serve):
    kiosk = serve(**WEDGE)
    open_scan_page(page, kiosk)
    page.click("#typed-code")
    scanner_burst(page, "12")  # two characters and Enter at scanner speed: a cut scan
    wait_for(page, "document.getElementById('last-error').textContent.indexOf('途切れ') >= 0")
    assert page.get_attribute("#last-scan", "class") == "last error"
    assert page.input_value("#typed-code") == "" and kiosk.broker.last_seq == 0
    assert page.locator("#wedge-message").count() == 0  # the page showed it itself
