"""End-to-end: the kiosk served by waitress on 127.0.0.1, driven by headless Debian Chromium
through Playwright. Screenshots (1024×600) go to test-artifacts/screenshots/.

Without /usr/bin/chromium the browser tests are skipped with the reason, except under CI
(CI=true), where they must run: the test command installs Chromium.
"""

import os
import threading
from pathlib import Path

import pytest

from tests import csp_watch

from kiosk.library import create_library
from tests.conftest import stop_waitress

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _need_browser():
    if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs it; CI requires it)")


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveKiosk:
    def __init__(self, app, server, thread):
        self.app, self.server, self.thread = app, server, thread
        self.url = f"http://127.0.0.1:{server.effective_port}"
        self.db = app.extensions["kiosk_db"]


@pytest.fixture
def live_kiosk(database_url, tmp_path, monkeypatch, request):
    from waitress.server import create_server

    from web import create_app

    monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))  # PDF printers may write only under it
    scan_stream = request.node.get_closest_marker("scan_stream") is not None
    # A loaded CI machine can make the test driver itself send a burst's keys 50 ms apart; a real
    # scanner sends them a few ms apart. The window is wider here, and the "person typing" test
    # types slower than it, so the two are still told apart.
    app = create_app(database_url, {"SECRET_KEY": "e2e", "LOOKUP_OFFLINE": True, "SCAN_STREAM": scan_stream,
                                    "WEDGE_GAP_MS": 100})
    with app.extensions["kiosk_db"].write() as session:
        create_library(session, "ひまわり小学校図書館", isil="JP-1234567", first_number=1001, actor="t")
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield LiveKiosk(app, server, thread)
    stop_waitress(server, thread, app)
    app.extensions["kiosk_db"].dispose()


@pytest.fixture
def page(browser, live_kiosk):
    context = browser.new_context(viewport={"width": 1024, "height": 600}, locale="ja-JP", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = csp_watch.watch(page)
    yield page
    context.close()
    csp_watch.assert_none(violations)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
