"""Printer backends behind one interface (printer/protocol.py: a medium, a dpi and ``send``),
chosen by a URL (as brother_ql does):

- ``pdf:DIR``: write the PDF into a folder (print it later from any PC, or keep it);
- ``cups:QUEUE``: print through CUPS with ``lp`` (``cups:`` alone: the default queue);
  ``cups://HOST[:PORT]/QUEUE``: the same on another CUPS server (else lp's own, or CUPS_SERVER);
- ``ipp://HOST[:631]/ipp/print`` or ``ipps://…``: the PDF straight to an IPP printer, no CUPS queue;
- ``zpl:tcp://HOST:PORT``: ZPL for Zebra-style thermal printers, each label as a ^GF graphic;
- ``brother-ql:tcp://HOST?model=QL-820NWB&label=62`` or ``brother-ql:usb://0x04f9:PID``:
  Brother QL raster (the brother_ql library; printer/brother.py).

The sheet printers (pdf:, cups:, ipp:) take the A4 sheet as a PDF; the roll printers (zpl:,
brother-ql:) take one image per label at their head's dpi.

Each backend raises PrinterError with a message staff can act on (Japanese) when the printer
is off, refuses, or answers an error; the print queue then keeps the job.
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from kiosk.printing.errors import PrinterError
from printer.brother import BrotherQL
from printer.protocol import Medium, Printer
from printer.zpl_status import ask_host_status


class PdfFolder:
    medium, dpi = Medium.SHEET_PDF, None

    def __init__(self, folder: str):
        self.folder = Path(folder).expanduser()

    def send(self, pdf: bytes, name: str) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.pdf"
            path.write_bytes(pdf)
        except OSError as error:
            raise PrinterError(f"cannot write labels into {self.folder}: {error.strerror}",
                               f"ラベルのPDFを保存できません（{self.folder}）") from None
        return str(path)


class Cups:
    """Print through CUPS with lp, on lp's own server or ``server`` (HOST:PORT). A stopped
    queue is refused before lp: CUPS would hold the job and print it when the queue is
    resumed, while the kiosk counted it printed (or, failed, printed it again)."""

    medium, dpi = Medium.SHEET_PDF, None

    def __init__(self, queue: str, server: str | None = None):
        self.queue, self.server = queue, server

    def send(self, pdf: bytes, name: str) -> str:
        if shutil.which("lp") is None:
            raise PrinterError("CUPS is not installed here (no lp command)", "この端末にはCUPS（lp）がありません")
        status = self._run(["lpstat", "-r", "-d", "-p", *([self.queue] if self.queue else [])])
        status = status.stdout.decode(errors="replace")
        where = f" at {self.server}" if self.server else ""
        if "scheduler is not running" in status:
            raise PrinterError(f"the CUPS scheduler{where} is not running",
                               "印刷サービス（CUPS）が動いていません。端末を再起動するか、管理者に連絡してください")
        default = re.search(r"system default destination: (\S+)", status)
        queue = self.queue or (default[1] if default else "")
        stopped = re.search(rf"^printer {re.escape(queue)} disabled since[^\n]*(?:\n\s+(.*))?", status, re.M)
        if queue and stopped:
            reason = (stopped[1] or "").strip()
            raise PrinterError(f"CUPS queue {queue!r}{where} is stopped: {reason}",
                               f"プリンター「{queue}」が停止しています（{reason}）。CUPSで再開してから印刷し直してください")
        result = self._run(["lp", "-t", name, *(["-d", self.queue] if self.queue else [])], pdf)
        reason = result.stderr.decode(errors="replace").strip()
        if result.returncode != 0 and "does not exist" in reason:
            raise PrinterError(f"CUPS{where} has no queue {self.queue!r}: {reason}",
                               f"CUPSにプリンター「{self.queue}」がありません。設定のプリンター名を確認してください")
        if result.returncode != 0:
            raise PrinterError(f"CUPS refused the job on {self.queue!r}{where}: {reason}",
                               f"プリンター「{self.queue}」が印刷を受け付けません: {reason}")
        return result.stdout.decode(errors="replace").strip()

    def _run(self, command: list[str], data: bytes = b"") -> subprocess.CompletedProcess:
        """A CUPS command on this server, in the C locale (its answers are parsed)."""
        server = ["-h", self.server] if self.server else []  # before -d: lp looks the queue up at once
        try:
            return subprocess.run([command[0], *server, *command[1:]], input=data, capture_output=True,
                                  timeout=30, env={**os.environ, "LC_ALL": "C"})
        except subprocess.TimeoutExpired:
            raise PrinterError(f"CUPS did not answer within 30 s for queue {self.queue!r}",
                               "プリンター（CUPS）から応答がありません") from None


# The Print-Job request in ipptool's test-file language: CUPS's own print-job.test with the
# job's name added (it shows on the printer) and PDF said outright. ipptool speaks the IPP.
PRINT_JOB_TEST = """{
    NAME "Print-Job"
    OPERATION Print-Job
    GROUP operation-attributes-tag
    ATTR charset attributes-charset utf-8
    ATTR language attributes-natural-language en
    ATTR uri printer-uri $uri
    ATTR name requesting-user-name $user
    ATTR name job-name $job_name
    ATTR mimeMediaType document-format application/pdf
    FILE $filename
    STATUS successful-ok
    STATUS successful-ok-ignored-or-substituted-attributes
    EXPECT job-uri
    DISPLAY job-uri
}
"""


class Ipp:
    """The PDF straight to an IPP printer (``ipp://HOST/ipp/print``; ``ipps://`` with TLS), no
    CUPS queue between, sent by CUPS's ipptool (which waits and retries while the printer says
    it is busy). The printer must take PDF: one that takes only raster needs a CUPS queue."""

    medium, dpi = Medium.SHEET_PDF, None

    def __init__(self, uri: str, timeout: int = 10):
        self.uri, self.timeout = uri, timeout
        self.host = urlsplit(uri).hostname

    def send(self, pdf: bytes, name: str) -> str:
        if shutil.which("ipptool") is None:
            raise PrinterError("ipptool is not installed here (Debian package cups-ipp-utils)",
                               "この端末には ipptool（cups-ipp-utils）がありません")
        with tempfile.TemporaryDirectory() as folder:
            document, test = Path(folder) / "labels.pdf", Path(folder) / "print-job.test"
            document.write_bytes(pdf)
            test.write_text(PRINT_JOB_TEST)
            try:
                result = subprocess.run(["ipptool", "-t", "-R", "-T", str(self.timeout), "-d", f"job_name={name}",
                                         "-f", str(document), self.uri, str(test)], capture_output=True, text=True,
                                        timeout=3 * self.timeout, env={**os.environ, "LC_ALL": "C"})
            except subprocess.TimeoutExpired:
                raise PrinterError(f"printer {self.uri} did not take the job within {3 * self.timeout} s "
                                   "(busy or not answering)",
                                   f"プリンター（{self.host}）が応答しません。しばらくしてから印刷し直してください") from None
        if result.returncode == 0:
            job = re.search(r"job-uri \(uri\) = (\S+)", result.stdout)
            return job[1] if job else self.uri
        refused = re.search(r"status-code = (\S+) \((.*)\)", result.stdout)
        if refused and "document-format" in refused[0]:
            raise PrinterError(f"printer {self.uri} does not take PDF: {refused[1]} ({refused[2]})",
                               f"プリンター（{self.host}）はPDFを直接受け付けません。"
                               "CUPSのキュー（cups:キュー名）を通して印刷してください")
        if refused:
            raise PrinterError(f"printer {self.uri} refused the job: {refused[1]} ({refused[2]})",
                               f"プリンター（{self.host}）が印刷を受け付けません: {refused[2]}")
        reason = ((result.stderr or result.stdout).strip().splitlines() or ["no answer"])[0]
        if "Unable to connect" in reason:
            raise PrinterError(f"printer {self.uri} cannot be reached: {reason}",
                               f"プリンター（{self.host}）に接続できません。電源とネットワークを確認してください")
        raise PrinterError(f"ipptool could not send the job to {self.uri}: {reason}",
                           f"プリンター（{self.host}）に送れません: {reason}")


class ZplPrinter:
    """Raw ZPL over TCP (port 9100): one ^XA…^XZ format per label, the label as a graphic.
    The printer's host status (~HS) is asked first on the same connection: one out of labels,
    paused or with its head open would hold the job and print nothing."""

    medium = Medium.ROLL_RASTER
    dpi = 203  # the usual Zebra-style head

    def __init__(self, host: str, port: int, timeout: float = 5.0):
        self.host, self.port, self.timeout = host, port, timeout

    def send(self, images: list, name: str) -> None:
        payload = b"".join(zpl_graphic(image) for image in images)
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as connection:
                status = ask_host_status(connection)
                problem = status.problem() if status else None
                if problem:
                    raise PrinterError(f"printer {self.host}:{self.port} did not get the job: {problem[0]}",
                                       f"ラベルプリンター（{self.host}）: {problem[1]}")
                connection.sendall(payload)
        except OSError as error:
            raise PrinterError(f"printer {self.host}:{self.port} cannot be reached: {error}",
                               f"ラベルプリンター（{self.host}）に接続できません。電源とケーブルを確認してください") from None


def zpl_graphic(image) -> bytes:
    """One label (a PIL image) as ZPL: ^GFA with the 1-bit image as hex (black = 1 in ZPL)."""
    from PIL import Image

    image = image.convert("1")
    width_bytes = (image.width + 7) // 8
    inverted = Image.eval(image.convert("L"), lambda v: 255 - v).convert("1")  # ZPL: 1 is a black dot
    data = inverted.tobytes()  # PIL packs mode "1" rows MSB first, padded to whole bytes
    total = len(data)
    return (f"^XA^PW{image.width}^LL{image.height}^FO0,0^GFA,{total},{total},{width_bytes},".encode()
            + data.hex().upper().encode() + b"^FS^XZ\n")


# Each URL scheme's backend class; its ``medium`` is known from the URL alone.
BACKENDS = {"pdf": PdfFolder, "cups": Cups, "ipp": Ipp, "ipps": Ipp, "zpl": ZplPrinter, "brother-ql": BrotherQL}


def medium_of(url: str | None) -> Medium:
    """What the printer ``url`` names prints on, without checking the rest of the URL (None or
    "": the browser's PDF, a sheet)."""
    backend = BACKENDS.get((url or "").partition(":")[0])
    return backend.medium if backend else Medium.SHEET_PDF


def get_backend(url: str) -> Printer:
    """The backend a printer URL names (see the module docstring)."""
    scheme, _, rest = (url or "").partition(":")
    if scheme == "pdf" and rest:
        return PdfFolder(rest)
    if scheme == "cups" and rest.startswith("//"):
        target = urlsplit(url)
        return Cups(target.path.lstrip("/"), server=target.netloc or None)
    if scheme == "cups":
        return Cups(rest)
    if scheme in ("ipp", "ipps") and urlsplit(url).hostname:
        return Ipp(url)
    if scheme == "brother-ql":
        target = urlsplit(rest)
        options = dict(parse_qsl(target.query))
        return BrotherQL(target._replace(query="").geturl(), model=options.get("model", "QL-820NWB"),
                         label=options.get("label", "62"))
    if scheme == "zpl":
        target = urlsplit(rest)
        if target.scheme == "tcp" and target.hostname:
            return ZplPrinter(target.hostname, target.port or 9100)
    raise PrinterError(f"unknown printer {url!r}: use pdf:DIR, cups:QUEUE, cups://HOST:PORT/QUEUE, "
                       "ipp://HOST/ipp/print, zpl:tcp://HOST:PORT or brother-ql:tcp://HOST?label=62",
                       f"プリンターの指定「{url}」が正しくありません（pdf:フォルダ、cups:キュー名、"
                       "ipp://ホスト/ipp/print、zpl:tcp://ホスト:9100）")
