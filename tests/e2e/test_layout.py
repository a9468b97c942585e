"""Touch layout: every page fits 1024×600 and 1280×800 without sideways scrolling, and every
control is at least 48 px tall."""

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_delivery_browser import COPIES, scan_and_wait, start_delivery

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
    screenshot(page, f"11-login-{width}x{height}")
