"""Two real kiosks (two `kiosk serve` processes, waitress) on one database, and clients that
release the same request at the same moment: the double tap, the second tab, the second kiosk."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from kiosk.library import create_library
from kiosk.db.storage import open_database

ROOT = Path(__file__).resolve().parents[2]
KIOSKS = 2
TAPS = 8  # simultaneous requests per race: threads spread over the kiosks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kiosk:
    """One `kiosk serve` process."""

    def __init__(self, database_url: str, data_dir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KIOSK_DATABASE_URL": database_url, "KIOSK_DATA_DIR": str(data_dir),
               "KIOSK_SECRET_KEY": "race-secret-" + "0" * 40, "KIOSK_BACKUP_MINUTES": "0",
               "KIOSK_SAMPLE_CATALOGUE": str(data_dir / "none.tsv"), "KIOSK_LOOKUP_SOURCES": "ndl",
               "KIOSK_NDL_SRU_URL": "http://127.0.0.1:9/unreachable", "KIOSK_STAFF": "race"}
        self.log = open(data_dir / f"kiosk-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from kiosk_app.cli import main; main()", "serve", "--port", str(self.port),
             "--threads", "16"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kiosk exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("kiosk did not start in 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Tab:
    """One browser tab, signed in as staff: its own session cookie and CSRF token, on one kiosk."""

    def __init__(self, kiosk: Kiosk):
        self.client = httpx.Client(base_url=kiosk.url, timeout=60, follow_redirects=False)
        page = self.client.get("/").text
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        signed_in = self.post("/staff/login", {"pin": ""})  # no PIN is set: staff actions are open
        assert signed_in.status_code == 302, signed_in.text[:300]

    def post(self, path: str, data: dict | None = None) -> httpx.Response:
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token},
                                headers={"X-CSRF-Token": self.token})

    def close(self) -> None:
        self.client.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def desk(request, tmp_path_factory):
    """A library on a fresh database and two kiosks serving it (module-wide: starting a kiosk
    costs about a second)."""
    from tests.conftest import postgres_url, _with_search_path
    import uuid
    from sqlalchemy import create_engine, text
    from kiosk.db.storage import normalise_url

    data_dir = tmp_path_factory.mktemp("desk")
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'kiosk.sqlite3'}"
    else:
        admin = postgres_url()
        if admin is None:
            pytest.skip("KIOSK_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped (set it to run them)")
        schema = f"kiosk_race_{uuid.uuid4().hex[:12]}"
        engine = create_engine(normalise_url(admin))
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        url = _with_search_path(admin, schema)
    db = open_database(url)
    with db.write() as session:
        library_id = create_library(session, "競合小学校図書館", first_number=1, actor="t").id
    kiosks = [Kiosk(url, data_dir) for _ in range(KIOSKS)]
    try:
        for kiosk in kiosks:
            kiosk.wait_ready()
        yield Desk(db, library_id, kiosks, data_dir)
    finally:
        for kiosk in kiosks:
            kiosk.stop()
        db.dispose()
        if schema:
            engine = create_engine(normalise_url(postgres_url()))
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()


class Desk:
    def __init__(self, db, library_id: int, kiosks: list[Kiosk], data_dir: Path):
        self.db, self.library_id, self.kiosks, self.data_dir = db, library_id, kiosks, data_dir

    def race(self, path: str, forms: list[dict] | dict, taps: int = TAPS) -> list[httpx.Response]:
        """``taps`` tabs (spread over the kiosks) POST at the same moment; ``forms`` is one form
        for all (a double tap) or one per tab (different values at once)."""
        forms = forms if isinstance(forms, list) else [forms] * taps
        return self.race_requests([(path, form) for form in forms])

    def race_requests(self, requests: list[tuple[str, dict]]) -> list[httpx.Response]:
        """Each (path, form) POSTed by its own tab, all released at the same moment."""
        tabs = [Tab(self.kiosks[i % len(self.kiosks)]) for i in range(len(requests))]
        start = threading.Barrier(len(tabs))
        replies: list = [None] * len(tabs)

        def tap(index: int) -> None:
            start.wait()
            replies[index] = tabs[index].post(*requests[index])

        threads = [threading.Thread(target=tap, args=(i,)) for i in range(len(tabs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        for tab in tabs:
            tab.close()
        assert all(reply is not None for reply in replies), "a request never answered"
        return replies
