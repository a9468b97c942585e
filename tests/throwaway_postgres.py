"""A PostgreSQL server of a test's own, to stop and start while the kiosk runs against it.

Started with the system's initdb/pg_ctl (``/usr/lib/postgresql/*/bin``) in a temporary
directory on a free loopback port. initdb refuses to run as root, so as root the server runs
as the ``postgres`` user (``runuser``). ``available()`` says why it cannot run, for a skip.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _server_user() -> str | None:
    """The user to run the server as: ourselves, or ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return None
    return "postgres"


def available() -> str | None:
    """None if a throwaway server can be started here, else the reason it cannot."""
    if binaries() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """``start()``, ``stop()``, ``start()`` again, ``destroy()``; ``url`` reaches database ``kiosk``."""

    def __init__(self, parent: str | None = None):
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir=parent))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.user = _server_user()
        if self.user:
            os.chmod(self.base, 0o755)
            shutil.chown(self.base, self.user, self.user)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/kiosk"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        argv = [str(binaries() / command[0]), *command[1:]]
        if self.user:
            argv = ["runuser", "-u", self.user, "--", *argv]
        return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> "ThrowawayPostgres":
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync",
                  "-E", "UTF8", "--locale", "C")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "kiosk")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def psql(self, sql: str, database: str = "kiosk") -> str:
        return self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                         "-v", "ON_ERROR_STOP=1", "-Atc", sql).stdout

    def destroy(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)
