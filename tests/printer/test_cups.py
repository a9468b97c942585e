"""The cups: and ipp:// backends against real servers on loopback.

A private cupsd (its own configuration, spool, logs and port: never the machine's /etc/cups or
port 631) holds IPP Everywhere queues whose device is ippeveprinter, CUPS's test printer,
started with -k so every job's file stays in its spool directory. A printed job is found there
and its barcodes read back with zbar; a job the backend could not hand over must stay in the
kiosk's queue with the reason. The ipp:// backend prints to the same ippeveprinter directly.

ippeveprinter will not start without a DNS-SD (Avahi) client, and Avahi's client needs a D-Bus
to connect to: a private dbus-daemon gives it one (no Avahi on it, so nothing is advertised).
Every process is killed at the end of the module (or when its setup fails), tests passing or not.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk_app.cli import main
from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.printing.queue import PrinterError, jobs
from kiosk.db.storage import open_database
from printer.backends import Cups, Ipp, get_backend
from tests.printer.zbar import decode_pdf, require_tools

TOOLS = ("cupsd", "lpadmin", "cupsdisable", "cupsreject", "lp", "lpstat", "ippeveprinter", "ipptool", "dbus-daemon")
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"])  # off a user's PATH


def tool(name: str) -> str | None:
    return shutil.which(name, path=SEARCH_PATH)


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


class Servers:
    """The daemons this module starts, their logs, and what is known about them."""

    def __init__(self, base: Path):
        self.base, self.processes = base, []

    def start(self, name: str, command: list[str], port: int | None = None, **options) -> subprocess.Popen:
        with open(self.base / f"{name}.log", "wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **options)
        self.processes.append(process)
        deadline = time.monotonic() + 10
        while port is not None:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}): {self.log(name)}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} is not listening on {port} after 10 s: {self.log(name)}") from None
                time.sleep(0.05)
        return process

    def log(self, name: str, tail: int | None = 3000) -> str:
        path = self.base / name if "/" in name else self.base / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return text[-tail:] if tail else text

    def stop(self) -> None:
        """cupsd first (it stops its jobs' filters and backends as it goes), then the printers."""
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def admin(self, *command: str) -> None:
        result = subprocess.run([tool(command[0]), "-h", self.cups, *command[1:]], capture_output=True, text=True,
                                timeout=30)
        assert result.returncode == 0, (command, result.stderr, self.log("cups/log/error_log"))

    def wait_for_log(self, text: str, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.log("cups/log/error_log", tail=None):
            assert time.monotonic() < deadline, f"no {text!r} in cupsd's log: {self.log('cups/log/error_log')}"
            time.sleep(0.05)

    def wait_for_queue(self, queue: str, seconds: float = 20) -> None:
        """Until CUPS has no job left on the queue: done (printed, or aborted: the log says)."""
        deadline = time.monotonic() + seconds
        while subprocess.run(["lpstat", "-h", self.cups, "-o", queue], capture_output=True, text=True).stdout:
            assert time.monotonic() < deadline, f"CUPS still has jobs on {queue}: {self.log('cups/log/error_log')}"
            time.sleep(0.2)


def ippeveprinter(servers: Servers, name: str, formats: str) -> str:
    """An IPP Everywhere printer on loopback keeping its jobs' files; its URI."""
    port, spool = free_port(), servers.base / name
    spool.mkdir()
    servers.start(name, [tool("ippeveprinter"), "-r", "off", "-n", "localhost", "-p", str(port), "-d", str(spool), "-k",
                         "-K", str(servers.base / "ssl"), "-c", tool("true"), "-f", formats, name],
                  port, env={**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={servers.base / 'bus'}"})
    return f"ipp://127.0.0.1:{port}/ipp/print"


def private_cupsd(servers: Servers) -> str:
    """A cupsd with everything under base/cups, anyone on loopback allowed everything; HOST:PORT."""
    root, port = servers.base / "cups", free_port()
    for folder in ("root", "spool/tmp", "cache", "state", "log"):
        (root / folder).mkdir(parents=True)
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}/root\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n"
        f"PageLog {root}/log/page_log\nPrintcap {root}/printcap\n")
    (root / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel debug\nBrowsing No\nBrowseLocalProtocols none\nWebInterface No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
    servers.start("cupsd", [tool("cupsd"), "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
                  port)
    return f"127.0.0.1:{port}"


@pytest.fixture(scope="module")
def cups_tools():
    missing = [name for name in TOOLS if tool(name) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (scripts/install-system-packages.sh test installs them)")


@pytest.fixture(scope="module")
def servers(cups_tools):
    # Not a pytest tmp dir: those are private to the user (0700), and a root cupsd runs its
    # filters as lp, which must reach the spool; a short path also fits the D-Bus socket.
    base = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    base.chmod(0o755)
    (base / "ssl").mkdir()  # ippeveprinter's TLS key and certificate for ipps:// (else in /etc/cups/ssl)
    started = Servers(base)
    try:
        started.start("dbus", [tool("dbus-daemon"), "--session", "--nofork", f"--address=unix:path={base / 'bus'}"])
        for _ in range(100):
            if (base / "bus").exists():
                break
            time.sleep(0.05)
        started.printer = ippeveprinter(started, "printer", "application/pdf")
        started.raster_printer = ippeveprinter(started, "raster-printer", "image/pwg-raster")
        started.cups = private_cupsd(started)
        for queue in ("kiosk", "stopped", "rejecting"):
            started.admin("lpadmin", "-p", queue, "-E", "-v", started.printer, "-m", "everywhere",
                          "-o", "media-default=iso_a4_210x297mm")  # a Japanese school printer's paper
            # cupsd then asks the printer for its PPD in a thread, which ends by making the queue
            # idle and accepting: stopping it before that would be undone.
            started.wait_for_log(f'Printer "{queue}" is now available.')
        started.admin("cupsdisable", "-r", "out of labels", "stopped")
        started.admin("cupsreject", "rejecting")
        yield started
    finally:
        started.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def kiosk(make_database_url, tmp_path):
    database_url = make_database_url("sqlite")  # the printer is the subject here, not the database
    env = {"KIOSK_DATABASE_URL": database_url, "KIOSK_SAMPLE_CATALOGUE": str(tmp_path / "none.tsv"),
           "KIOSK_LOOKUP_SOURCES": "ndl", "KIOSK_NDL_SRU_URL": "http://127.0.0.1:9/"}

    def run(*args, expect=0, **extra_env):
        result = CliRunner().invoke(main, list(args), env={**env, **extra_env}, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    def open_jobs():
        db = open_database(database_url)
        try:
            return jobs(db, 1)
        finally:
            db.dispose()

    run("init", "--name", "ひまわり小学校図書館", "--first-number", "1001")
    run("register", "--title", "坊っちゃん", "--ndc", "913", "--author-mark", "ナ", "--source", "ひまわり書店",
        "--price", "550", "--copies", "3")
    run.jobs = open_jobs
    return run


def spool_files(servers: Servers, printer: str = "printer") -> set[Path]:
    return set((servers.base / printer).glob("*.pdf"))


def decoded_numbers(path: Path) -> set[int]:
    return {decode_item_code(data, ItemCodeSettings()) for _, data in decode_pdf(path.read_bytes())}


@pytest.mark.parametrize("how", ["cups://server/queue", "CUPS_SERVER"])
def test_cups_queue_prints_labels_that_decode(servers, kiosk, how):
    require_tools()
    before = spool_files(servers)
    if how == "CUPS_SERVER":  # cups:QUEUE on the server lp is told of, as lp is everywhere
        kiosk("print", "1001-1003", "--kind", "barcode", "--printer", "cups:kiosk", CUPS_SERVER=servers.cups)
    else:
        kiosk("print", "1001-1003", "--kind", "barcode", "--printer", f"cups://{servers.cups}/kiosk")
    assert kiosk.jobs() == []  # sent: nothing left in the kiosk's queue
    servers.wait_for_queue("kiosk")
    new = spool_files(servers) - before
    assert len(new) == 1, (new, servers.log("cups/log/error_log"))
    (output,) = new
    assert output.name.endswith("-labels-1.pdf"), output  # ippeveprinter names it JOBID-JOBNAME
    assert decoded_numbers(output) == {1001, 1002, 1003}, servers.log("cups/log/error_log")
    size = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True).stdout
    assert "(A4)" in size  # the sheet came through at its own size, not fitted onto other paper


@pytest.mark.parametrize("queue, expected", [("stopped", "停止しています（out of labels）"),
                                             ("rejecting", "受け付けません"),
                                             ("nosuch", "CUPSにプリンター「nosuch」がありません")],
                         ids=["stopped", "rejecting", "nosuch"])
def test_cups_queue_that_cannot_print_keeps_the_job(servers, kiosk, queue, expected):
    result = kiosk("print", "1002", "--printer", f"cups://{servers.cups}/{queue}", expect=2)
    assert expected in result.stderr
    (job,) = kiosk.jobs()
    assert (job.status, job.numbers, job.attempts) == ("failed", [1002], 1)
    assert expected in job.last_error_ja and queue in job.last_error
    listed = subprocess.run(["lpstat", "-h", servers.cups, "-o"], capture_output=True, text=True).stdout
    assert queue not in listed  # nothing waits inside CUPS to come out later, printed twice


def test_cups_server_that_is_not_running(cups_tools):
    with pytest.raises(PrinterError) as raised:
        Cups("kiosk", server=f"127.0.0.1:{free_port()}").send(b"%PDF-1.4\n", "labels-1")
    assert "not running" in str(raised.value) and "動いていません" in raised.value.ja


@pytest.mark.parametrize("scheme", ["ipp", "ipps"])
def test_ipp_printer_gets_the_pdf_that_decodes(servers, kiosk, scheme):
    require_tools()
    before = spool_files(servers)
    uri = servers.printer.replace("ipp:", f"{scheme}:", 1)
    kiosk("print", "1002-1003", "--kind", "barcode", "--printer", uri)
    assert kiosk.jobs() == []
    (output,) = spool_files(servers) - before
    assert output.name.endswith("-labels-1.pdf"), output
    assert decoded_numbers(output) == {1002, 1003}


def test_ipp_printer_that_is_off_keeps_the_job(cups_tools, kiosk):
    result = kiosk("print", "1001", "--printer", f"ipp://127.0.0.1:{free_port()}/ipp/print", expect=2)
    assert "接続できません" in result.stderr
    (job,) = kiosk.jobs()
    assert (job.status, job.attempts) == ("failed", 1)
    assert "cannot be reached" in job.last_error and "接続できません" in job.last_error_ja


def test_ipp_printer_that_refuses_pdf(servers):
    with pytest.raises(PrinterError) as raised:
        Ipp(servers.raster_printer).send(b"%PDF-1.4\n", "labels-1")
    assert "does not take PDF" in str(raised.value) and "cups:" in raised.value.ja
    assert spool_files(servers, "raster-printer") == set()


def test_printer_urls():
    local, remote = get_backend("cups:kiosk"), get_backend("cups://192.0.2.5:631/kiosk")
    assert (local.queue, local.server, remote.queue, remote.server) == ("kiosk", None, "kiosk", "192.0.2.5:631")
    assert isinstance(get_backend("ipps://192.0.2.5/ipp/print"), Ipp)
    with pytest.raises(PrinterError) as raised:
        get_backend("ipp:///ipp/print")
    assert "ipp://HOST/ipp/print" in str(raised.value)
