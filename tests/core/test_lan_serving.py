"""`kiosk serve --host` beyond this PC refuses to start until a staff PIN exists (a real process)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kiosk.lan import is_loopback

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("kiosk.school.example", False),
])
def test_which_addresses_stay_on_this_pc(host, loopback):
    assert is_loopback(host) is loopback


def _env(database_url, tmp_path) -> dict:
    env = {**os.environ, "KIOSK_DATABASE_URL": database_url, "KIOSK_DATA_DIR": str(tmp_path / "data"),
           "KIOSK_BACKUP_MINUTES": "0", "KIOSK_SAMPLE_CATALOGUE": str(tmp_path / "none.tsv"),
           "KIOSK_STAFF": "t", "KIOSK_LOOKUP_SOURCES": "ndl", "KIOSK_NDL_SRU_URL": "http://127.0.0.1:9/x"}
    env.pop("KIOSK_LIBRARY", None)
    return env


def _kiosk(env, *args, timeout=60):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serving_on_the_lan_needs_a_staff_pin_first(database_url, tmp_path):
    env = _env(database_url, tmp_path)
    assert _kiosk(env, "init", "--name", "ひまわり小学校").returncode == 0
    refused = _kiosk(env, "serve", "--host", "0.0.0.0", "--port", str(_free_port()))
    assert refused.returncode == 2, refused
    assert "暗証番号" in refused.stderr and "kiosk staff add" in refused.stderr
    assert _kiosk(env, "staff", "add", "佐藤", "--pin", "482913", "--admin").returncode == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "kiosk", "serve", "--host", "0.0.0.0", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the kiosk did not start"
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(10)
