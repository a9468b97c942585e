"""A kiosk app on a fresh database, and a test client that behaves like the kiosk's page:
it reads the CSRF token from the page's meta tag and sends it with every POST."""

import os
import re

import pytest

from kiosk.library import create_library
from web import create_app


class KioskClient:
    def __init__(self, client):
        self.client = client
        self._token = None

    def token(self) -> str:
        if self._token is None:
            page = self.client.get("/").get_data(as_text=True)
            self._token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        return self._token

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path, data=None, json=None, headers=None, **kwargs):
        headers = {"X-CSRF-Token": self.token(), **(headers or {})}
        return self.client.post(path, data=data, json=json, headers=headers, **kwargs)


def offline_kiosk_app(database_url, tmp_path, monkeypatch, *, bundled_sample: bool = False):
    """The web app offline (no network source answers) with one library from number 1001; the
    bundled sample catalogue only with ``bundled_sample`` (as scripts/run.sh starts the kiosk)."""
    if bundled_sample:
        monkeypatch.delenv("KIOSK_SAMPLE_CATALOGUE", raising=False)
    else:
        monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    if not os.environ.get("KIOSK_DATA_DIR"):  # a test's own data directory, not the user's (kiosk-id, PDFs)
        monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_LOOKUP_SOURCES", "ndl")
    monkeypatch.setenv("KIOSK_NDL_SRU_URL", "http://127.0.0.1:9/unreachable")  # nothing listens on port 9
    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "test-secret", "LOOKUP_OFFLINE": True})
    with app.extensions["kiosk_db"].write() as session:
        create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t")
    return app


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    app = offline_kiosk_app(database_url, tmp_path, monkeypatch)
    yield app
    app.extensions["kiosk_db"].dispose()


@pytest.fixture
def client(app):
    return KioskClient(app.test_client())
