"""Fixtures for the web side of scanning: a test-client app, the kiosk served by waitress on
127.0.0.1 (optionally with a USB reader on the replay backend), and headless Chromium.

SQLite only: what is tested here is the scan path, which never touches the database except
to read the library's scanner settings.
"""

import json
import threading

import pytest

from tests import csp_watch

from kiosk.codes.isbn import isbn13_check_digit
from kiosk.library import create_library
from tests.conftest import stop_waitress
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _need_browser, screenshot  # noqa: F401 - shared with e2e
from tests.web.conftest import KioskClient


def isbns(count: int, start: int = 0) -> list[str]:
    """``count`` distinct valid ISBN-13s (978-4-9…)."""
    return [f"97849{n:07d}" + isbn13_check_digit(f"97849{n:07d}") for n in range(start, start + count)]


def build_app(make_database_url, tmp_path, monkeypatch, **config):
    from web import create_app

    monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    app = create_app(make_database_url("sqlite"),
                     {"TESTING": True, "SECRET_KEY": "scan-tests", "LOOKUP_OFFLINE": True, **config})
    with app.extensions["kiosk_db"].write() as session:
        create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t")
    return app


def shut(app) -> None:
    from web import stop_app

    stop_app(app)


@pytest.fixture
def app(make_database_url, tmp_path, monkeypatch):
    app = build_app(make_database_url, tmp_path, monkeypatch)
    yield app
    shut(app)


@pytest.fixture
def client(app):
    return KioskClient(app.test_client())


class Served:
    """The kiosk under waitress on a free loopback port."""

    def __init__(self, app, server, thread):
        self.app, self.server, self.thread = app, server, thread
        self.url = f"http://127.0.0.1:{server.effective_port}"
        self.feed = app.extensions["scan_feed"]
        self.broker = app.extensions["scan_broker"]


@pytest.fixture
def serve(make_database_url, tmp_path, monkeypatch):
    """A factory: serve(**app_config) -> Served; everything is stopped after the test."""
    from waitress.server import create_server

    running = []

    def start(**config) -> Served:
        app = build_app(make_database_url, tmp_path, monkeypatch, **config)
        server = create_server(app, host="127.0.0.1", port=0, threads=6)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((app, server, thread))
        return Served(app, server, thread)

    yield start
    for app, server, thread in running:
        if "scan_reader" in app.extensions:
            app.extensions["scan_reader"].stop()
        stop_waitress(server, thread, app)
        app.extensions["kiosk_db"].dispose()


def read_events(lines, count: int, *, numbered_only: bool = True) -> list[tuple[int | None, dict]]:
    """The next ``count`` events from an SSE line iterator: (id or None, data)."""
    events, current = [], {}
    for line in lines:
        if line.startswith("id: "):
            current["id"] = int(line[4:])
        elif line.startswith("data: "):
            current["data"] = json.loads(line[6:])
        elif line == "" and "data" in current:
            if current["data"].get("type") == "position":  # where a new stream joined: a bookmark
                current = {}
                continue
            if current.get("id") is not None or not numbered_only:
                events.append((current.get("id"), current["data"]))
            current = {}
            if len(events) == count:
                break
    return events


class _BrowserElsewhere:
    """Remembers tests/e2e's session browser while it is open. Playwright's sync API cannot be
    started twice in one thread, so this package borrows it rather than open a second one.
    (Registered as a plugin: a conftest's own hooks only see fixtures of its directory.)"""

    browser = None

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        value = yield
        if fixturedef.argname == "browser" and fixturedef.baseid.startswith("tests/e2e"):
            _BrowserElsewhere.browser = value
        return value

    def pytest_fixture_post_finalizer(self, fixturedef, request):
        if fixturedef.argname == "browser" and fixturedef.baseid.startswith("tests/e2e"):
            _BrowserElsewhere.browser = None


def pytest_configure(config):
    if not config.pluginmanager.has_plugin("kiosk-browser-elsewhere"):
        config.pluginmanager.register(_BrowserElsewhere(), "kiosk-browser-elsewhere")


@pytest.fixture(scope="package")
def browser():
    """tests/e2e's browser when it is open; else this package's own, closed after its last
    test (so tests/e2e can open theirs later). One session ``browser`` in tests/conftest.py
    would make this unnecessary."""
    _need_browser()
    if _BrowserElsewhere.browser is not None:
        yield _BrowserElsewhere.browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 600}, locale="ja-JP", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = csp_watch.watch(page)
    yield page
    context.close()
    csp_watch.assert_none(violations)
