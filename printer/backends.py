"""Printer backends behind one small interface, chosen by a URL (as brother_ql does):

- ``pdf:DIR``: write the PDF into a folder (print it later from any PC, or keep it);
- ``cups:QUEUE``: print through CUPS with ``lp`` (``cups:`` alone: the default queue);
- ``zpl:tcp://HOST:PORT``: ZPL for Zebra-style thermal printers, each label as a ^GF graphic;
- ``brother-ql:tcp://HOST?model=QL-820NWB&label=62`` or ``brother-ql:usb://0x04f9:PID``:
  Brother QL raster (the brother_ql library).

Each backend raises PrinterError with a message staff can act on (Japanese) when the printer
is off, refuses, or answers an error; the print queue then keeps the job.
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

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


class BrotherQL:
    """Brother QL label printers through the brother_ql library's raster conversion (the
    printer's own protocol), on endless or die-cut rolls (``label`` as brother_ql names them,
    e.g. 62 or 29x90). ``tcp://HOST[:9100]`` is sent here; ``usb://0x04f9:PID`` goes through
    brother_ql's pyusb backend."""

    def __init__(self, target: str, model: str = "QL-820NWB", label: str = "62", timeout: float = 5.0):
        self.target, self.model, self.label, self.timeout = target, model, label, timeout

    def raster(self, images: list[Image.Image]) -> bytes:
        from brother_ql.conversion import convert
        from brother_ql.labels import ALL_LABELS
        from brother_ql.raster import BrotherQLRaster

        spec = next((label for label in ALL_LABELS if label.identifier == self.label), None)
        if spec is None:
            raise PrinterError(f"unknown Brother label size {self.label!r} (e.g. 62, 29x90)",
                               f"ブラザーのラベル幅「{self.label}」が正しくありません")
        width = spec.dots_printable[0]
        pages = []
        for image in images:  # centred on the roll's printable width, never scaled: bars stay sharp
            if image.width > width:
                raise PrinterError(f"a {image.width}-dot label does not fit the {self.label} roll ({width} dots)",
                                   f"ラベルがロール幅（{self.label}）に収まりません")
            page = Image.new("1", (width, image.height), 1)
            page.paste(image, ((width - image.width) // 2, 0))
            pages.append(page)
        raster = BrotherQLRaster(self.model)
        raster.add_invalidate()  # Brother's raster reference: reset a printer left mid-job, then
        raster.add_initialize()  # ESC @, before brother_ql's mode, media and raster commands
        return convert(qlr=raster, images=pages, label=self.label, rotate="0", threshold=70.0, dither=False,
                       compress=False, red=False, dpi_600=False, hq=True, cut=True)

    def send_images(self, images: list[Image.Image]) -> None:
        data = self.raster(images)
        target = urlsplit(self.target)
        if target.scheme == "tcp" and target.hostname:
            try:
                with socket.create_connection((target.hostname, target.port or 9100), timeout=self.timeout) as connection:
                    connection.sendall(data)
            except OSError as error:
                raise PrinterError(f"Brother printer {target.hostname} cannot be reached: {error}",
                                   f"ラベルプリンター（{target.hostname}）に接続できません。電源とケーブルを確認してください") from None
        elif target.scheme == "usb":
            from brother_ql.backends.helpers import send

            try:
                send(data, f"usb://{target.netloc}", backend_identifier="pyusb", blocking=True)
            except Exception as error:  # pyusb: no device, no permission, unplugged
                raise PrinterError(f"Brother printer usb://{target.netloc}: {error}",
                                   "USBのラベルプリンターに送れません。接続と電源を確認してください") from None
        else:
            raise PrinterError(f"unknown Brother printer address {self.target!r}",
                               "ブラザーのプリンターの指定が正しくありません（tcp://ホスト か usb://0x04f9:PID）")


def get_backend(url: str):
    """The backend a printer URL names (see the module docstring)."""
    scheme, _, rest = (url or "").partition(":")
    if scheme == "pdf" and rest:
        return PdfFolder(rest)
    if scheme == "cups":
        return Cups(rest)
    if scheme == "brother-ql":
        target = urlsplit(rest)
        options = dict(parse_qsl(target.query))
        return BrotherQL(target._replace(query="").geturl(), model=options.get("model", "QL-820NWB"),
                         label=options.get("label", "62"))
    if scheme == "zpl":
        target = urlsplit(rest)
        if target.scheme == "tcp" and target.hostname:
            return ZplPrinter(target.hostname, target.port or 9100)
    raise PrinterError(f"unknown printer {url!r}: use pdf:DIR, cups:QUEUE, zpl:tcp://HOST:PORT or "
                       "brother-ql:tcp://HOST?label=62",
                       f"プリンターの指定「{url}」が正しくありません（pdf:フォルダ、cups:キュー名、zpl:tcp://ホスト:9100）")
