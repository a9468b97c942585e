"""Brother QL label printers, in brother_ql's three parts: the labels' images as the printer's
raster commands (``brother_raster``: brother_ql's own conversion), and the bytes to the printer
over TCP (``BrotherTcp``) or USB (``BrotherUsb``, which reads the printer's status answers).
``BrotherQL`` is the backend: the two put together behind the one printer interface."""

import socket
import time
from urllib.parse import urlsplit

from kiosk.printing.errors import PrinterError, PrintOutcomeUnknown
from printer.protocol import Medium

# Brother's status error bits (brother_ql's names) as what staff do about them.
BROTHER_ERRORS_JA = {
    "No media when printing": "ラベル（ロール）がありません。ロールを入れてください",
    "End of media (die-cut size only)": "ラベルがなくなりました。ロールを交換してください",
    "Media cannot be fed (also when the media end is detected)": "ラベルを送れません。ロールを確認してください",
    "Replace media error": "セットされたロールが設定と違います。ロールか設定のラベル幅を確認してください",
    "Cover opened while printing (Except QL-500)": "カバーが開いています。閉じてください",
    "Tape cutter jam": "カッターに紙が詰まっています",
}


def brother_raster(images: list, *, model: str, label: str) -> bytes:
    """The labels (1-bit images at 300 dpi) as one Brother QL job on the roll ``label`` (as
    brother_ql names them, e.g. 62 or 29x90): each centred on the roll's printable width."""
    from brother_ql.conversion import convert
    from brother_ql.labels import ALL_LABELS
    from brother_ql.raster import BrotherQLRaster
    from PIL import Image

    spec = next((known for known in ALL_LABELS if known.identifier == label), None)
    if spec is None:
        raise PrinterError(f"unknown Brother label size {label!r} (e.g. 62, 29x90)",
                           f"ブラザーのラベル幅「{label}」が正しくありません")
    width = spec.dots_printable[0]
    pages = []
    for image in images:  # centred on the roll's printable width, never scaled: bars stay sharp
        if image.width > width:
            raise PrinterError(f"a {image.width}-dot label does not fit the {label} roll ({width} dots)",
                               f"ラベルがロール幅（{label}）に収まりません")
        page = Image.new("1", (width, image.height), 1)
        page.paste(image, ((width - image.width) // 2, 0))
        pages.append(page)
    raster = BrotherQLRaster(model)
    raster.add_invalidate()  # Brother's raster reference: reset a printer left mid-job, then
    raster.add_initialize()  # ESC @, before brother_ql's mode, media and raster commands
    return convert(qlr=raster, images=pages, label=label, rotate="0", threshold=70.0, dither=False,
                   compress=False, red=False, dpi_600=False, hq=True, cut=True)


class BrotherTcp:
    """The job to a networked Brother (port 9100); it says nothing back."""

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0):
        self.host, self.port, self.timeout = host, port, timeout

    def write(self, data: bytes) -> None:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as connection:
                connection.sendall(data)
        except OSError as error:
            raise PrinterError(f"Brother printer {self.host} cannot be reached: {error}",
                               f"ラベルプリンター（{self.host}）に接続できません。電源とケーブルを確認してください") from None


class BrotherUsb:
    """The job to a Brother on USB through brother_ql's pyusb backend, then the printer's status
    answers read until it says it printed (or an error). Written here rather than with
    brother_ql's helpers.send, which cannot tell "never reached the printer" (safe to send
    again) from "sent, then no answer" (it may have printed) and stops at the first read that
    times out."""

    def __init__(self, where: str, confirm_seconds: float = 10.0):
        self.where = where  # usb://0xVVVV:0xPPPP
        self.confirm_seconds = confirm_seconds  # how long the printer has to say it printed

    def write(self, data: bytes) -> None:
        from brother_ql.backends.pyusb import BrotherQLBackendPyUSB
        from brother_ql.reader import interpret_response

        where = self.where
        try:
            printer = BrotherQLBackendPyUSB(where)
            printer.write(data)
        except Exception as error:  # pyusb: no device, no permission, unplugged
            raise PrinterError(f"Brother printer {where}: {error}",
                               "USBのラベルプリンターに送れません。接続と電源を確認してください") from None
        try:
            deadline, printed = time.monotonic() + self.confirm_seconds, False
            while not printed and time.monotonic() < deadline:
                try:
                    answer = printer.read()
                except Exception:  # a read that timed out: nothing to say yet
                    answer = None
                if not answer or len(answer) < 32:
                    time.sleep(0.01)
                    continue
                state = interpret_response(answer[:32])
                if state["errors"] or state["status_type"] == "Error occurred":
                    reasons = [BROTHER_ERRORS_JA.get(e, e) for e in state["errors"]] or ["エラーが起きました"]
                    raise PrinterError(f"Brother printer {where} answered: {', '.join(state['errors']) or 'an error'}",
                                       "ラベルプリンター: " + "、".join(reasons))
                printed = state["status_type"] == "Printing completed"
        finally:
            printer.dispose()
        if not printed:
            raise PrintOutcomeUnknown(f"Brother printer {where} took the job but did not say it printed",
                                      "ラベルプリンターから印刷完了の返事がありません。ラベルが出たか確かめて、"
                                      "印刷の画面で「印刷されていた」か「印刷されていない」を押してください")


class BrotherQL:
    """The backend for ``brother-ql:tcp://HOST[:9100]`` and ``brother-ql:usb://0x04f9:PID``: a
    roll printer with a 300 dpi head. The labels are converted first (a roll that does not
    exist is refused before anything is sent), then written by the transport ``target`` names."""

    medium = Medium.ROLL_RASTER
    dpi = 300  # Brother QL heads

    def __init__(self, target: str, model: str = "QL-820NWB", label: str = "62", timeout: float = 5.0,
                 confirm_seconds: float = 10.0):
        self.target, self.model, self.label, self.timeout = target, model, label, timeout
        self.confirm_seconds = confirm_seconds  # how long a USB printer has to say it printed

    def send(self, images: list, name: str) -> None:
        data = brother_raster(images, model=self.model, label=self.label)
        self.transport().write(data)

    def transport(self) -> BrotherTcp | BrotherUsb:
        target = urlsplit(self.target)
        if target.scheme == "tcp" and target.hostname:
            return BrotherTcp(target.hostname, target.port or 9100, self.timeout)
        if target.scheme == "usb":
            return BrotherUsb(f"usb://{target.netloc}", self.confirm_seconds)
        raise PrinterError(f"unknown Brother printer address {self.target!r}",
                           "ブラザーのプリンターの指定が正しくありません（tcp://ホスト か usb://0x04f9:PID）")
