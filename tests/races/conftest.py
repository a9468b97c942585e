"""Two real kiosks (two `kiosk serve` processes, waitress) on one database, and clients that
release the same request at the same moment: the double tap, the second tab, the second kiosk."""

import threading
from pathlib import Path

import httpx
import pytest

from kiosk.library import create_library
from tests.served_kiosk import Kiosk, Tab
from kiosk.db.storage import open_database

KIOSKS = 2
TAPS = 8  # simultaneous requests per race: threads spread over the kiosks


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def desk(request, tmp_path_factory):
    """A library on a fresh database and two kiosks serving it (module-wide: starting a kiosk
    costs about a second)."""
    from contextlib import nullcontext

    from tests.conftest import own_postgres_schema

    data_dir = tmp_path_factory.mktemp("desk")
    sqlite = nullcontext(f"sqlite:///{data_dir / 'kiosk.sqlite3'}")
    with sqlite if request.param == "sqlite" else own_postgres_schema("kiosk_race") as url:
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
