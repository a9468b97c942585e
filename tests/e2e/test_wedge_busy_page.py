"""The keyboard-wedge listener (web/static/js/wedge.js) on a page whose main thread is kept busy:
a scan arrives whole or not at all, and never in the focused field.

A real scanner's keys are stamped by the OS as they arrive and queue up while the page is busy;
the page then gets them late, all at once. Playwright's keyboard.type waits for the page to
handle each key before it sends the next, so with a busy page it would itself space the keys
tens of ms apart. These tests therefore send the keys through the DevTools protocol
(Input.dispatchKeyEvent) without waiting: 1-5 ms apart, as a scanner does, queued in the
browser while the page is busy. They use the async Playwright API in a thread of their own, with
a browser of their own (the sync API of tests/e2e's session browser cannot send without waiting).

The kiosk runs with its default wedge settings (40 ms gap, 4 characters).
"""

import asyncio
import random
import threading
import time

import pytest

from kiosk.codes.isbn import isbn13_check_digit
from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from tests.browser_keys import key_events
from tests.browser_wait import wait_for_async
from tests.conftest import stop_waitress
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _need_browser

CUT = "読み取りが途切れました。もう一度スキャンしてください"

# Records what the page's listeners hand on: scans (cancelled, so the page stays), cut scans,
# every input event on the field, and every key's timeStamp (to explain a failure).
RECORDER = """() => {
  window.__scans = []; window.__cuts = []; window.__inputs = 0; window.__keys = [];
  document.addEventListener("kiosk:scan", e => { e.preventDefault(); window.__scans.push(e.detail.text); });
  document.addEventListener("kiosk:scan-cut", e => { window.__cuts.push(e.detail.text); });
  document.addEventListener("kiosk:scan-resumed", e => {  // a cut said too early, taken back
    const i = window.__cuts.lastIndexOf(e.detail.text); if (i >= 0) window.__cuts.splice(i, 1); });
  document.querySelector("input[name=code]").addEventListener("input", () => { window.__inputs += 1; });
  window.addEventListener("keydown", e => { window.__keys.push([e.key, e.timeStamp]); }, true);
}"""

# The page's main thread busy most of the time: blocks of 20-50 ms, a few ms apart.
BUSY = """() => {
  window.__busy = true;
  (function block() {
    if (!window.__busy) { return; }
    const end = performance.now() + 20 + Math.random() * 30;
    while (performance.now() < end) { /* drawing the last scan, say */ }
    setTimeout(block, 2 + Math.random() * 15);
  })();
}"""


def isbn(n: int) -> str:
    body = f"97849{n:07d}"
    return body + isbn13_check_digit(body)


def scan_codes(count: int) -> list[str]:
    """ISBN-13s and item labels (with NW-7's letters, and without as some scanners send them)."""
    labels = ItemCodeSettings()
    codes = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            codes.append(isbn(n))
        elif kind == 1:
            codes.append(encode_item_number(1001 + n, labels))
        else:
            codes.append(encode_item_number(1001 + n, labels)[1:-1])
    return codes


class Scanner:
    """Sends key events through CDP without waiting for the page: they queue in the browser.

    Each key carries the time a scanner would have sent it (``timestamp``, as the OS stamps a
    real key when it arrives): on a loaded two-core CI machine the test's own process and
    Playwright's driver are themselves late by tens of ms now and then, which a real scanner
    is not."""

    def __init__(self, cdp):
        self.cdp = cdp
        self.sent = []
        self.clock = 0.0

    async def burst(self, code: str, gap_ms=(1, 5), end="\r") -> None:
        self.clock = max(self.clock, time.time())
        for char in code + end:
            for event in key_events(char):
                event = {**event, "timestamp": self.clock}
                self.sent.append(asyncio.ensure_future(self.cdp.send("Input.dispatchKeyEvent", event)))
            step = random.uniform(*gap_ms) / 1000
            self.clock += step
            await asyncio.sleep(step)

    async def delivered(self) -> None:
        await asyncio.gather(*self.sent)
        self.sent.clear()


def in_browser(kiosk_url: str, test) -> None:
    """Run ``await test(page, scanner)`` on the find-copy page, in a browser of its own."""
    from playwright.async_api import async_playwright

    async def main():
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                page = await browser.new_page(viewport={"width": 1024, "height": 600}, locale="ja-JP")
                page.set_default_timeout(15_000)
                await page.goto(kiosk_url + "/copies/")
                await page.evaluate(RECORDER)
                await page.focus("input[name=code]")
                await test(page, Scanner(await page.context.new_cdp_session(page)))
            finally:
                await browser.close()

    outcome = {}

    def run():
        try:
            asyncio.run(main())
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="wedge-browser")
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the browser test did not finish in 120 s"
    if "error" in outcome:
        raise outcome["error"]


@pytest.fixture
def kiosk(make_database_url, tmp_path, monkeypatch):
    """The kiosk under waitress with the default wedge settings (40 ms, 4 characters)."""
    from waitress.server import create_server

    from tests.web_scan.conftest import build_app

    _need_browser()
    app = build_app(make_database_url, tmp_path, monkeypatch)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    stop_waitress(server, thread, app)
    app.extensions["kiosk_db"].dispose()


def widest_gaps(keys: list, count: int = 5) -> list[float]:
    """The widest gaps between keys of one burst (from the page's own record), for a failure."""
    gaps, last = [], None
    for key, stamp in keys:
        if last is not None and key not in ("Enter", "Shift"):
            gaps.append(round(stamp - last, 1))
        last = None if key == "Enter" else stamp
    return sorted(gaps)[-count:]


def test_500_scans_on_a_busy_page_arrive_whole_and_never_in_the_field(kiosk):
    codes = scan_codes(500)
    assert len(set(codes)) == 500 and {len(c) for c in codes} == {13, 11, 9}

    async def test(page, scanner):
        await page.evaluate(BUSY)
        for code in codes:
            await scanner.burst(code)
            await asyncio.sleep(random.uniform(5, 20) / 1000)  # the next book under the scanner
        await scanner.delivered()
        try:
            await wait_for_async(page, "n => window.__scans.length + window.__cuts.length >= n", arg=len(codes))
        finally:
            await page.evaluate("() => { window.__busy = false; }")
        got = await page.evaluate("() => ({scans: window.__scans, cuts: window.__cuts, inputs: window.__inputs,"
                                  " keys: window.__keys, field: document.querySelector('input[name=code]').value,"
                                  " message: (box => box && !box.hidden ? box.textContent : null)(document.getElementById('wedge-message'))})")
        lost = [c for c in codes if c not in got["scans"]]
        assert got["scans"] == codes, (
            f"{len(lost)} of {len(codes)} scans did not arrive whole (first: {lost[:3]}); cut: {got['cuts'][:3]}; "
            f"the widest gaps between keys the page saw: {widest_gaps(got['keys'])} ms")
        assert got["cuts"] == [] and got["message"] is None
        assert got["field"] == "", "keys of a scan were left in the focused field"
        # A single key is given to the field when nothing followed it for 120 ms by the page's
        # clock: a person typing. When this test's own driver stalls that long right after a
        # scan's first key (a loaded two-core CI machine), the key is given and then taken back
        # out as the rest arrives (an input event each way), and the scan is still whole. That
        # must stay rare; with the page busy and the driver on time it does not happen at all.
        assert got["inputs"] % 2 == 0 and got["inputs"] <= 6, f"{got['inputs']} input events on the field"

    in_browser(kiosk, test)


def test_a_person_typing_slowly_on_a_busy_page_types_into_the_field(kiosk):
    async def test(page, scanner):
        await page.evaluate(BUSY)
        await page.keyboard.type("51", delay=150)  # a person: far slower than a scanner
        await wait_for_async(page, "document.querySelector('input[name=code]').value === '51'")
        await page.keyboard.press("Backspace")
        await page.keyboard.type("2", delay=150)
        await wait_for_async(page, "document.querySelector('input[name=code]').value === '52'")
        assert await page.evaluate("window.__scans.length + window.__cuts.length") == 0
        await page.evaluate("() => { window.__busy = false; }")
        await page.keyboard.press("Enter")  # sends the form, as its OK button does
        await page.wait_for_url("**/copies/52")

    in_browser(kiosk, test)


def test_a_cut_scan_is_said_on_screen_and_never_sent(kiosk):
    async def test(page, scanner):
        await scanner.burst("97840", end="")  # the scanner stalls 120 ms in the middle of a code…
        await scanner.delivered()
        await asyncio.sleep(0.12)
        await scanner.burst("33280103")  # …and sends the rest
        await scanner.burst("12")  # two digits and Enter at scanner speed, nothing before
        await scanner.delivered()
        await page.wait_for_selector("#wedge-message")
        assert await page.inner_text("#wedge-message") == CUT
        assert await page.evaluate("window.__scans") == []
        assert await page.input_value("input[name=code]") == ""
        await asyncio.sleep(0.3)
        await scanner.burst(isbn(7))  # scanned again: whole
        await scanner.delivered()
        await wait_for_async(page, "window.__scans.length === 1")
        assert await page.evaluate("window.__scans") == [isbn(7)]
        assert not await page.is_visible("#wedge-message")

    in_browser(kiosk, test)


def test_an_unhandled_scan_opens_the_copy_its_label_names(kiosk):
    async def test(page, scanner):
        await page.evaluate("() => { window.__scans = null; }")  # (the recorder still cancels: reload)
        await page.reload()
        await page.focus("input[name=code]")
        await scanner.burst("000000051")  # copy 5's label, its NW-7 letters dropped by the scanner
        await scanner.delivered()
        await page.wait_for_url("**/copies/5")

    in_browser(kiosk, test)
