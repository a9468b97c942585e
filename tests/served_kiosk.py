"""A real kiosk: a `kiosk serve` process (waitress) on a free loopback port, and a browser tab
on it (its own session cookie and CSRF token). Used by tests/races (two kiosks, one library)
and by the two-schools tests (a kiosk per school, KIOSK_LIBRARY)."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SECRET = "race-secret-" + "0" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kiosk:
    """One `kiosk serve` process."""

    def __init__(self, database_url: str, data_dir: Path, env: dict | None = None, args: tuple[str, ...] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KIOSK_DATABASE_URL": database_url, "KIOSK_DATA_DIR": str(data_dir),
               "KIOSK_SECRET_KEY": SECRET, "KIOSK_BACKUP_MINUTES": "0",
               "KIOSK_SAMPLE_CATALOGUE": str(data_dir / "none.tsv"), "KIOSK_LOOKUP_SOURCES": "ndl",
               "KIOSK_NDL_SRU_URL": "http://127.0.0.1:9/unreachable", "KIOSK_STAFF": "race", **(env or {})}
        self.log = open(data_dir / f"kiosk-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from kiosk_app.cli import main; main()", "serve", "--port", str(self.port),
             "--threads", "16", *args], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

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

    def __init__(self, kiosk: Kiosk, name: str | None = None, pin: str = ""):
        """Signed in as staff: ``name`` and ``pin``, or with no PIN where none is set yet."""
        self.client = httpx.Client(base_url=kiosk.url, timeout=60, follow_redirects=False)
        page = self.client.get("/").text
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        signed_in = self.post("/staff/login", {"pin": pin, **({"name": name} if name else {})})
        assert signed_in.status_code == 302, signed_in.text[:300]

    def post(self, path: str, data: dict | None = None) -> httpx.Response:
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token},
                                headers={"X-CSRF-Token": self.token})

    def close(self) -> None:
        self.client.close()


