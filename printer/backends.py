"""Printer backends behind one small interface, chosen by a URL (as brother_ql does):

- ``pdf:DIR``: write the PDF into a folder (print it later from any PC, or keep it);
- ``cups:QUEUE``: print through CUPS with ``lp`` (``cups:`` alone: the default queue);
- ``zpl:tcp://HOST:PORT``: ZPL for Zebra-style thermal printers, each label as a ^GF graphic.

Each backend raises PrinterError with a message staff can act on (Japanese) when the printer
is off, refuses, or answers an error; the print queue then keeps the job.
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

from kiosk.print_queue import PrinterError


class PdfFolder:
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
    def __init__(self, queue: str):
        self.queue = queue

    def send(self, pdf: bytes, name: str) -> str:
        if shutil.which("lp") is None:
            raise PrinterError("CUPS is not installed here (no lp command)", "この端末にはCUPS（lp）がありません")
        command = ["lp", "-t", name] + (["-d", self.queue] if self.queue else [])
        try:
            result = subprocess.run(command, input=pdf, capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            raise PrinterError(f"CUPS did not answer within 30 s for queue {self.queue!r}",
                               "プリンター（CUPS）から応答がありません") from None
        if result.returncode != 0:
            reason = result.stderr.decode(errors="replace").strip()
            raise PrinterError(f"CUPS refused the job on {self.queue!r}: {reason}",
                               f"プリンター「{self.queue}」が印刷を受け付けません: {reason}")
        return result.stdout.decode(errors="replace").strip()


class ZplPrinter:
    """Raw ZPL over TCP (port 9100): one ^XA…^XZ format per label, the label as a graphic."""

    def __init__(self, host: str, port: int, timeout: float = 5.0):
        self.host, self.port, self.timeout = host, port, timeout

    def send_images(self, images: list[Image.Image]) -> None:
        payload = b"".join(zpl_graphic(image) for image in images)
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as connection:
                connection.sendall(payload)
        except OSError as error:
            raise PrinterError(f"printer {self.host}:{self.port} cannot be reached: {error}",
                               f"ラベルプリンター（{self.host}）に接続できません。電源とケーブルを確認してください") from None


def zpl_graphic(image: Image.Image) -> bytes:
    """One label as ZPL: ^GFA with the 1-bit image as hex (black = 1 in ZPL)."""
    image = image.convert("1")
    width_bytes = (image.width + 7) // 8
    inverted = Image.eval(image.convert("L"), lambda v: 255 - v).convert("1")  # ZPL: 1 is a black dot
    data = inverted.tobytes()  # PIL packs mode "1" rows MSB first, padded to whole bytes
    total = len(data)
    return (f"^XA^PW{image.width}^LL{image.height}^FO0,0^GFA,{total},{total},{width_bytes},".encode()
            + data.hex().upper().encode() + b"^FS^XZ\n")


def get_backend(url: str):
    """The backend a printer URL names (see the module docstring)."""
    scheme, _, rest = (url or "").partition(":")
    if scheme == "pdf" and rest:
        return PdfFolder(rest)
    if scheme == "cups":
        return Cups(rest)
    if scheme == "zpl":
        target = urlsplit(rest)
        if target.scheme == "tcp" and target.hostname:
            return ZplPrinter(target.hostname, target.port or 9100)
    raise PrinterError(f"unknown printer {url!r}: use pdf:DIR, cups:QUEUE or zpl:tcp://HOST:PORT",
                       f"プリンターの指定「{url}」が正しくありません（pdf:フォルダ、cups:キュー名、zpl:tcp://ホスト:9100）")
