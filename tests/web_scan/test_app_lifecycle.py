"""What runs beside the web app stops when serving ends: the USB reader thread, the lookup
worker pool and the database (web.stop_app), and `kiosk serve` runs that on SIGTERM too."""

import signal
from pathlib import Path

import httpx
from click.testing import CliRunner

from kiosk_app.cli import main
from tests.served_kiosk import Kiosk
from tests.scan.replay_backend import ReplayBackend, ReplayDevice
from tests.web_scan.conftest import build_app
from web import stop_app


def test_stop_app_stops_the_reader_the_lookup_pool_and_the_database(make_database_url, tmp_path, monkeypatch):
    device = ReplayDevice(0x0C2E, 0x0B61, [], product="Voyager 1250g Barcode Scanner")
    app = build_app(make_database_url, tmp_path, monkeypatch,
                    SCANNER_DEVICE="0c2e:0b61", SCANNER_BACKEND=ReplayBackend([device], idle_read_s=0.001))
    reader = app.extensions["scan_reader"]
    workers = app.extensions["intake_scanner"].background._threads
    assert reader._thread.is_alive() and all(worker.is_alive() for worker in workers)

    stop_app(app)

    assert not reader._thread.is_alive()
    assert not any(worker.is_alive() for worker in workers)
    assert "scan_reader" not in app.extensions and "intake_scanner" not in app.extensions


def test_kiosk_serve_stops_cleanly_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    initialised = CliRunner().invoke(main, ["init", "--name", "ひまわり小学校図書館"],
                                     env={"KIOSK_DATABASE_URL": url, "KIOSK_DATA_DIR": str(tmp_path)})
    assert initialised.exit_code == 0, initialised.output
    kiosk = Kiosk(url, tmp_path)
    try:
        kiosk.wait_ready()
        assert httpx.get(kiosk.url + "/", timeout=5).status_code == 200
        kiosk.process.send_signal(signal.SIGTERM)
        assert kiosk.process.wait(15) == 0
    finally:
        if kiosk.process.poll() is None:
            kiosk.process.kill()
        kiosk.log.close()
    assert "受入キオスクを停止しました" in Path(kiosk.log.name).read_text()
