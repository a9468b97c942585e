"""The camera as a scanner, in headless Chromium with a fake camera playing a video the test makes
(tests/camera_video.py: the kiosk's own barcode drawings, photo-like). Headless Chromium on Linux
has no BarcodeDetector of its own: these run the bundled polyfill and its .wasm, served by the
kiosk itself (no CDN)."""

import contextlib

import pytest
from sqlalchemy import select

from kiosk.db.models import IntakeItem
from tests import csp_watch
from tests.browser_wait import wait_for
from tests.camera_video import blurred, book_frame, empty_frame, isbn13, photo_like, price_code, write_y4m
from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_delivery_browser import start_delivery

# SQLite only: the camera's counting is the page's; looks reach both backends in
# tests/web/test_camera_scans.py. The suite stays well under 15 minutes; test_delivery_browser.py
# and test_call_numbers_browser.py drive whole deliveries on both backends.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


SIZE = (640, 360)


@contextlib.contextmanager
def camera_browser(browser, video):
    """A browser of its own whose camera plays ``video`` (looped), its permission granted."""
    own = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + [
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        yield own
    finally:
        own.close()


@contextlib.contextmanager
def camera_page(browser, live_kiosk, video, start=None):
    """The delivery screen in a browser with that camera; the kiosk's CSP watched throughout.
    ``page.kiosk_requests``: every URL the page and its worker asked for; ``page.posts``: the
    scans the delivery screen posted."""
    with camera_browser(browser, video) as own:
        context = own.new_context(viewport={"width": 1024, "height": 600}, locale="ja-JP", has_touch=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        violations = csp_watch.watch(page)
        page.kiosk_requests, page.posts = [], []
        context.on("request", lambda request: page.kiosk_requests.append(request.url))
        page.on("request", lambda request: page.posts.append(request.post_data_json)
                if request.method == "POST" and request.url.endswith("/scans") else None)
        if start is None:
            start_delivery(page, live_kiosk, slip=None)
        else:
            page.goto(live_kiosk.url + start)
        yield page
        context.close()
        csp_watch.assert_none(violations)


def open_camera(page):
    page.click("#camera-open")
    wait_for(page, "document.getElementById('camera-panel').dataset.decoder !== undefined && "
                   "window.kioskCamera.stats.frames > 0", timeout=20_000)


def copies(live_kiosk) -> list[tuple[str, int | None, str | None]]:
    with live_kiosk.db.read() as session:
        return [tuple(row) for row in session.execute(
            select(IntakeItem.isbn13, IntakeItem.list_price, IntakeItem.c_code)
            .where(IntakeItem.removed.is_(False)).order_by(IntakeItem.id))]


def status(page) -> str:
    return page.inner_text("#camera-status")


def test_an_isbn_and_its_192_code_in_one_frame_arrive_as_one_paired_scan(browser, live_kiosk, tmp_path):
    book = photo_like(book_frame(SIZE, isbn13(7), price_code(1200)))
    video = write_y4m(tmp_path / "book.y4m", [book] * 10, fps=10)
    with camera_page(browser, live_kiosk, video) as page:
        open_camera(page)
        wait_for(page, "document.querySelectorAll('#items > li').length === 1 && "
                       "document.querySelector('#items > li').textContent.indexOf('本体 1,200円') >= 0",
                 timeout=20_000)
        frames = page.evaluate("window.kioskCamera.stats.frames")
        wait_for(page, f"window.kioskCamera.stats.frames >= {frames + 10}", timeout=20_000)  # the book stays in view
        assert page.locator("#items > li").count() == 1
        assert page.evaluate("document.getElementById('camera-panel').dataset.decoder") == "polyfill"
        assert page.is_visible("#latest-title")  # the copy's card stays in view beside the panel
        posts, requests = page.posts, page.kiosk_requests
    assert copies(live_kiosk) == [(isbn13(7), 1200, "8797")]
    assert len(posts) == 1 and posts[0]["camera"] == [
        {"text": isbn13(7), "format": "ean_13"}, {"text": price_code(1200), "format": "ean_13"}]
    assert posts[0]["scanner_id"].startswith("camera-")
    assert any(url.startswith(live_kiosk.url) and url.endswith("/static/vendor/barcode-detector/zxing_reader.wasm")
               for url in requests), requests
    assert all(url.startswith(live_kiosk.url) or url.startswith(("data:", "blob:")) for url in requests), requests


def test_a_blurred_frame_is_refused_and_nothing_counts(browser, live_kiosk, tmp_path):
    frame = blurred(photo_like(book_frame(SIZE, isbn13(8), price_code(900))), 4)
    video = write_y4m(tmp_path / "blurred.y4m", [frame] * 10, fps=10)
    with camera_page(browser, live_kiosk, video) as page:
        open_camera(page)
        wait_for(page, "document.getElementById('camera-status').textContent === 'ピントが合っていません'")
        frames = page.evaluate("window.kioskCamera.stats.frames")
        wait_for(page, f"window.kioskCamera.stats.frames >= {frames + 10}", timeout=20_000)
        assert status(page) == "ピントが合っていません"
        assert page.locator("#items > li").count() == 0 and page.posts == []
    assert copies(live_kiosk) == []


def test_an_empty_desk_says_no_barcode_and_the_camera_chosen_is_remembered(browser, live_kiosk, tmp_path):
    video = write_y4m(tmp_path / "desk.y4m", [photo_like(empty_frame(SIZE))] * 4, fps=10)
    with camera_page(browser, live_kiosk, video) as page:
        open_camera(page)
        wait_for(page, "document.getElementById('camera-status').textContent === 'バーコードが見つかりません'")
        assert page.evaluate("localStorage.getItem('kiosk-camera-facing')") is None  # the back camera, by default
        page.click("#camera-switch")
        frames = page.evaluate("window.kioskCamera.stats.frames")
        wait_for(page, f"window.kioskCamera.stats.frames > {frames + 3}", timeout=20_000)  # reading again
        page.click("#camera-close")
        assert page.is_hidden("#camera-panel") and page.is_visible("#camera-open")
        page.reload()
        assert page.evaluate("localStorage.getItem('kiosk-camera-facing')") == "user"
        assert page.is_hidden("#camera-panel")  # closed stays closed


def test_fifty_books_in_a_row_none_lost_none_doubled(browser, live_kiosk, tmp_path):
    books = [(isbn13(100 + n), price_code(500 + 10 * n)) for n in range(50)]
    desk = photo_like(empty_frame(SIZE))
    frames = []
    for n, (isbn, price) in enumerate(books):
        look = photo_like(book_frame(SIZE, isbn, price), angle=(n % 7) - 3, seed=n)
        frames += [look] * 6 + [desk] * 3  # 0.4 s in view, 0.2 s of desk
    frames += [desk] * 60  # four seconds of empty desk before the video starts again
    video = write_y4m(tmp_path / "fifty.y4m", frames, fps=15)
    with camera_page(browser, live_kiosk, video) as page:
        open_camera(page)
        wait_for(page, "document.querySelectorAll('#items > li').length >= 50", timeout=120_000)
        page.click("#camera-close")  # before the video plays again from its first book
        page.wait_for_timeout(500)
    assert copies(live_kiosk) == [(isbn, 500 + 10 * n, "8797") for n, (isbn, _) in enumerate(books)]


def test_the_same_title_shown_again_after_leaving_the_frame_is_a_second_copy(browser, live_kiosk, tmp_path):
    """The camera counts a look once while the book stays in view (the paired test above), and
    again once it has left the frame for the double-read interval (1 s) and come back: two
    copies of one title, one after the other. The server's double-read filter does not drop it."""
    book = photo_like(book_frame(SIZE, isbn13(9), price_code(700)))
    desk = photo_like(empty_frame(SIZE))
    video = write_y4m(tmp_path / "twice.y4m", [book] * 6 + [desk] * 15 + [book] * 6 + [desk] * 40, fps=10)
    with camera_page(browser, live_kiosk, video) as page:
        open_camera(page)
        wait_for(page, "document.querySelectorAll('#items > li').length >= 2", timeout=30_000)
        page.click("#camera-close")
        page.wait_for_timeout(300)
    assert copies(live_kiosk) == [(isbn13(9), 700, "8797")] * 2


@pytest.mark.parametrize("symbology", ["nw7", "code39", "code128"])
def test_on_the_find_screen_a_copys_label_opens_that_copy(browser, live_kiosk, tmp_path, symbology):
    from datetime import date

    from kiosk.ledger.accession import Accession, Book, CopyRequest, register
    from kiosk.ledger.funds import Fund, Kind
    from kiosk.settings import save_settings_section

    saved = save_settings_section(live_kiosk.db, 1, "item_code", {"symbology": symbology}, actor="t")

    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    register(live_kiosk.db, 1, accession, [CopyRequest(Book(f"本 {n}"), price=1000) for n in range(1001, 1004)],
             actor="t")
    label = photo_like(book_frame(SIZE, item=1002, item_settings=saved))
    video = write_y4m(tmp_path / "label.y4m", [label] * 10, fps=10)
    with camera_page(browser, live_kiosk, video, start="/copies/") as page:
        page.click("#camera-open")  # the label is read at once: the page goes to the copy
        page.wait_for_url("**/copies/1002", timeout=20_000)
        assert "本 1002" in page.inner_text("main")
        # The copy's page opens the camera again beside its card; the label still in view is the
        # copy shown, not a new scan: the page stays.
        wait_for(page, "window.kioskCamera.stats.frames >= 10", timeout=20_000)
        assert page.url.endswith("/copies/1002") and page.is_visible("#camera-panel")
        assert page.evaluate("window.kioskCamera.stats.looks") == 0
