"""A book's two barcodes read by the USB scanner on the open delivery screen: the page posts
each scan's sequence number and the copy shows the price the feed paired with its ISBN."""

import pytest

from tests.browser_wait import wait_for
from tests.e2e.test_delivery_browser import start_delivery


@pytest.mark.scan_stream
def test_a_usb_isbn_and_its_price_code_make_one_copy_with_its_price(page, live_kiosk):
    page.add_init_script("document.addEventListener('kiosk:stream-state', "
                         "function (e) { if (e.detail.connected) { window.__streamOpen = true; } });")
    posted = []
    page.on("request", lambda request: posted.append(request.post_data_json)
            if request.method == "POST" and request.url.endswith("/scans") else None)
    start_delivery(page, live_kiosk, slip=None)
    wait_for(page, "window.__streamOpen === true")
    feed = live_kiosk.app.extensions["scan_feed"]
    book = feed.receive("usb-1", "9784033280103")
    wait_for(page, "document.querySelectorAll('#items > li').length === 1")
    price = feed.receive("usb-1", "1928797012008")  # the lower barcode, swept right after
    wait_for(page, "document.querySelector('#items > li') !== null && "
                   "document.querySelector('#items > li').textContent.indexOf('本体 1,200円') >= 0")
    assert page.locator("#items > li").count() == 1
    assert posted == [{"seq": book.seq}, {"seq": price.seq}]  # the numbers, not the text to parse again
