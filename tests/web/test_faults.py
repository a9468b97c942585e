"""When the database or the disk fails, the kiosk says so in Japanese (503), records nothing,
and works again by itself when the fault ends; an unexpected error and an oversized upload get
the kiosk's own page too. Real faults: a PostgreSQL server of the test's own stopped and
started, a tmpfs filled to the last byte, a database file or file system made read-only."""

import http.cookiejar
import logging
import os
import re
import stat
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import text

from kiosk.library import create_library
from tests import throwaway_postgres, tmpfs
from tests.conftest import stop_waitress
from tests.web.conftest import KioskClient
from web import create_app

DELIVERY = {"source": "ひまわり書店", "kind": "purchase", "received_on": "2026-11-20"}


@pytest.fixture
def quiet_lookups(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_SAMPLE_CATALOGUE", str(tmp_path / "none.tsv"))
    monkeypatch.setenv("KIOSK_LOOKUP_SOURCES", "ndl")
    monkeypatch.setenv("KIOSK_NDL_SRU_URL", "http://127.0.0.1:9/unreachable")


@pytest.fixture
def make_app(quiet_lookups):
    made = []

    def make(url, *, library=True, **config):
        app = create_app(url, {"TESTING": True, "SECRET_KEY": "fault-tests", "LOOKUP_OFFLINE": True, **config})
        made.append(app)
        if library:
            with app.extensions["kiosk_db"].write() as session:
                create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t")
        return app

    yield make
    for app in made:
        app.extensions["kiosk_db"].dispose()


@pytest.fixture
def can_mount():
    if reason := tmpfs.tmpfs_unavailable():
        pytest.skip(reason)


def _deliveries(app) -> int:
    with app.extensions["kiosk_db"].read() as session:
        return session.execute(text("SELECT count(*) FROM intakes")).scalar_one()


def _assert_fault_page(response, *, status=503, says):
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert says in page
    assert "何も登録・記録されていません" in page
    assert "Internal Server Error" not in page and "Traceback" not in page
    return page


# -- PostgreSQL stopped and started again, under waitress ------------------------------------

class Browser:
    """A cookie-keeping HTTP client that reads the page's CSRF token, like the kiosk's pages."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        sent = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(sent, timeout=30) as answer:
                return answer.status, answer.read().decode(), answer.headers
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(), answer.headers

    def post(self, path, data, headers=None):
        _, home, _ = self.request("/")
        token = re.search(r'name="csrf-token" content="([^"]+)"', home).group(1)
        return self.request(path, data, {"X-CSRF-Token": token, **(headers or {})})


@pytest.fixture
def postgres_server():
    if reason := throwaway_postgres.available():
        pytest.skip(reason)
    server = throwaway_postgres.ThrowawayPostgres().init()
    yield server
    server.destroy()


@pytest.fixture
def served(make_app):
    from waitress.server import create_server

    running = []

    def serve(app) -> Browser:
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((app, server, thread))
        return Browser(f"http://127.0.0.1:{server.effective_port}")

    yield serve
    for app, server, thread in running:
        stop_waitress(server, thread, app)


def test_postgres_stopped_then_started_again(postgres_server, make_app, served, caplog):
    app = make_app(postgres_server.url)
    browser = served(app)
    status, page, _ = browser.request("/")
    assert status == 200 and "ひまわり小学校図書館" in page
    token_page_browser = browser  # keeps its session cookie across the outage

    postgres_server.stop()
    status, page, headers = browser.request("/")
    assert status == 503, page
    assert "データベースに接続できません" in page and "何も登録・記録されていません" in page
    assert re.search(r'href="http://127\.0\.0\.1:\d+/">もう一度</a>', page)  # retry the same page
    assert "Internal Server Error" not in page and "Traceback" not in page
    assert headers["Content-Type"].startswith("text/html")
    status, body, headers = browser.request("/ledger/", headers={"Accept": "application/json"})
    assert status == 503 and headers["Content-Type"] == "application/json"
    assert '"ok":false' in body.replace(" ", "") and '"fault":"unreachable"' in body.replace(" ", "")
    assert any("database fault on GET /: The database cannot be reached (unreachable): connection failed" in r.getMessage()
               and "Connection refused" in r.getMessage() for r in caplog.records)

    postgres_server.start()  # the kiosk is not restarted
    status, page, _ = token_page_browser.request("/")
    assert status == 200 and "ひまわり小学校図書館" in page
    status, page, _ = browser.post("/deliveries/", {**DELIVERY, "source": "再開後書店"})
    assert status == 200 and "再開後書店" in page
    assert _deliveries(app) == 1


def test_postgres_stopped_during_a_registration_records_nothing(postgres_server, make_app, served):
    app = make_app(postgres_server.url)
    browser = served(app)
    _, home, _ = browser.request("/")
    token = re.search(r'name="csrf-token" content="([^"]+)"', home).group(1)

    postgres_server.stop(mode="immediate")  # as a power cut of the server: no goodbye to clients
    status, page, _ = browser.request("/deliveries/", {**DELIVERY, "source": "停止中書店"}, {"X-CSRF-Token": token})
    assert status == 503 and "データベースに接続できません" in page
    assert ">もう一度</a>" not in page and ">戻る</a>" in page  # a POST is not retried by a link: back to the form

    postgres_server.start()
    status, page, _ = browser.request("/deliveries/")
    assert status == 200 and "停止中書店" not in page
    assert _deliveries(app) == 0


def test_postgres_read_only_database(postgres_server, make_app, served):
    app = make_app(postgres_server.url)
    browser = served(app)
    postgres_server.psql("ALTER DATABASE kiosk SET default_transaction_read_only = on")
    app.extensions["kiosk_db"].dispose()  # the setting applies to new sessions
    assert browser.request("/")[0] == 200  # reading still works
    status, page, _ = browser.post("/deliveries/", DELIVERY)
    assert status == 503, page
    assert "読み取り専用" in page and "何も登録・記録されていません" in page

    postgres_server.psql("ALTER DATABASE kiosk SET default_transaction_read_only = off", database="postgres")
    status, page, _ = browser.post("/deliveries/", DELIVERY)
    assert status == 200 and _deliveries(app) == 1


def test_postgres_disk_full_then_space_freed(can_mount, make_app):
    if reason := throwaway_postgres.available():
        pytest.skip(reason)
    with tmpfs.small_tmpfs("96m") as disk:
        server = throwaway_postgres.ThrowawayPostgres(parent=str(disk)).init()
        try:
            app = make_app(server.url)
            client = KioskClient(app.test_client())
            client.token()
            filler = tmpfs.fill(disk)
            response = client.post("/deliveries/", data=DELIVERY)  # the first row must extend the table's file
            page = _assert_fault_page(response, says="データベースのディスクがいっぱいです")
            assert "空きを作って" in page
            filler.unlink()
            assert client.post("/deliveries/", data=DELIVERY).status_code == 302
            assert _deliveries(app) == 1
        finally:
            server.destroy()


# -- SQLite on a full disk, on a read-only file or file system ------------------------------

def test_full_disk_then_space_freed(can_mount, make_app, caplog):
    with tmpfs.small_tmpfs("4m") as disk:
        app = make_app(f"sqlite:///{disk / 'kiosk.sqlite3'}")
        client = KioskClient(app.test_client())
        assert client.post("/deliveries/", data=DELIVERY).status_code == 302

        filler = tmpfs.fill(disk)
        response = client.post("/deliveries/", data={**DELIVERY, "source": "満杯書店"})
        page = _assert_fault_page(response, says="データベースのディスクがいっぱいです")
        assert "空きを作って" in page and "戻る" in page
        as_json = client.post("/deliveries/", data=DELIVERY, headers={"Accept": "application/json"})
        assert as_json.status_code == 503
        assert as_json.get_json()["ok"] is False and as_json.get_json()["fault"] == "disk_full"
        assert "ディスクがいっぱい" in as_json.get_json()["message"]
        assert any("(disk_full): database or disk is full" in r.getMessage() for r in caplog.records)

        filler.unlink()
        assert client.post("/deliveries/", data=DELIVERY).status_code == 302
        assert _deliveries(app) == 2


def test_read_only_database_file_then_writable_again(can_mount, make_app, tmp_path):
    database = tmp_path / "kiosk.sqlite3"
    app = make_app(f"sqlite:///{database}")
    client = KioskClient(app.test_client())
    client.token()
    app.extensions["kiosk_db"].dispose()  # connections opened from now on meet the read-only file
    with tmpfs.read_only_file(database):
        assert client.get("/").status_code == 200  # it can still be read
        response = client.post("/deliveries/", data=DELIVERY)
        _assert_fault_page(response, says="データベースが読み取り専用になっていて、書き込めません")
    # The connection that opened the file read-only must not stay in the pool.
    assert client.post("/deliveries/", data=DELIVERY).status_code == 302
    assert _deliveries(app) == 1


def test_read_only_file_system_then_writable_again(can_mount, make_app):
    with tmpfs.small_tmpfs("4m") as disk:
        app = make_app(f"sqlite:///{disk / 'kiosk.sqlite3'}")
        client = KioskClient(app.test_client())
        client.token()
        app.extensions["kiosk_db"].dispose()  # a read-only remount needs no file open for writing
        with tmpfs.read_only_remount(disk):
            response = client.get("/ledger/")
            page = _assert_fault_page(response, says="読み取り専用")
            assert 'href="http://localhost/ledger/">もう一度</a>' in page
        assert client.get("/ledger/").status_code == 200
        assert client.post("/deliveries/", data=DELIVERY).status_code == 302


# -- anything else ---------------------------------------------------------------------------

def test_unexpected_error_gets_the_kiosks_page_without_a_traceback(make_app, tmp_path, caplog):
    app = make_app(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", TESTING=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail of a bug")

    @app.get("/bad-sql")
    def bad_sql():
        with app.extensions["kiosk_db"].read() as session:
            session.execute(text("SELECT no_such_column FROM libraries"))

    client = app.test_client()
    for path in ("/boom", "/bad-sql"):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 500, page
        assert "思いがけないエラーが起きました" in page and "戻る" in page
        assert "secret detail" not in page and "Traceback" not in page and "no_such_column" not in page
        assert "Internal Server Error" not in page
    assert client.get("/boom", headers={"Accept": "application/json"}).get_json()["ok"] is False
    assert any("secret detail of a bug" in (r.exc_text or "") + str(r.exc_info) for r in caplog.records)


def test_nine_megabyte_upload_gets_a_japanese_413(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    client = KioskClient(app.test_client())
    slip = b"x" * (9 * 1024 * 1024)
    import io

    response = client.post("/deliveries/", data={**DELIVERY, "slip": (io.BytesIO(slip), "slip.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 413, page
    assert "送られたデータが大きすぎます（上限 8 MB）" in page and "戻る" in page
    assert "Request Entity Too Large" not in page
    as_json = client.post("/deliveries/", data=slip, headers={"Accept": "application/json",
                                                              "Content-Type": "application/json"})
    assert as_json.status_code == 413 and as_json.get_json()["ok"] is False
    assert "大きすぎます" in as_json.get_json()["message"]
    assert _deliveries(app) == 0


# -- the secret key ---------------------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_SECRET_KEY", raising=False)
    where = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(where))
    return where


def _app_with_kept_key(make_app, tmp_path):
    database = tmp_path / "kiosk.sqlite3"
    app = make_app(f"sqlite:///{database}", SECRET_KEY=None, library=not database.exists())
    assert KioskClient(app.test_client()).get("/").status_code == 200
    return app


@pytest.mark.parametrize("kept", ["", "\n", "0123456789abcdef"])
def test_empty_or_short_secret_key_is_made_again(make_app, tmp_path, data_dir, kept):
    data_dir.mkdir()
    (data_dir / "secret-key").write_text(kept)
    app = _app_with_kept_key(make_app, tmp_path)
    key = (data_dir / "secret-key").read_text()
    assert re.fullmatch(r"[0-9a-f]{64}", key) and app.secret_key == key
    assert stat.S_IMODE(os.stat(data_dir / "secret-key").st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == ["secret-key"]  # no temporary file left
    client = KioskClient(app.test_client())
    assert client.post("/deliveries/", data=DELIVERY).status_code == 302  # the session works


def test_secret_key_is_kept_across_restarts(make_app, tmp_path, data_dir):
    first = _app_with_kept_key(make_app, tmp_path)
    second = _app_with_kept_key(make_app, tmp_path)
    assert first.secret_key == second.secret_key == (data_dir / "secret-key").read_text()


def test_secret_key_that_cannot_be_written_is_kept_in_memory(make_app, tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("KIOSK_SECRET_KEY", raising=False)
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "a-file" / "data"))  # cannot be a directory
    with caplog.at_level(logging.WARNING):
        app = _app_with_kept_key(make_app, tmp_path)
    assert len(app.secret_key) == 64
    assert any("using a key in memory only" in r.getMessage() for r in caplog.records)


def test_secret_key_on_a_full_disk(can_mount, make_app, tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("KIOSK_SECRET_KEY", raising=False)
    with tmpfs.small_tmpfs("256k") as disk:
        monkeypatch.setenv("KIOSK_DATA_DIR", str(disk))
        (disk / "secret-key").write_text("")  # what a first start on a full disk left behind
        filler = tmpfs.fill(disk)
        with caplog.at_level(logging.WARNING):
            app = _app_with_kept_key(make_app, tmp_path)  # the database is elsewhere
        assert any("No space left on device" in r.getMessage() for r in caplog.records)
        assert KioskClient(app.test_client()).post("/deliveries/", data=DELIVERY).status_code == 302
        assert [p.name for p in disk.iterdir() if p.name.startswith(".secret-key")] == []

        filler.unlink()
        again = _app_with_kept_key(make_app, tmp_path)
        assert again.secret_key == (disk / "secret-key").read_text() and len(again.secret_key) == 64
