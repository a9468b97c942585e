"""Read a USB barcode scanner directly with pyusb, so its scans never type into other windows.

The reader finds the scanner (by VID:PID from settings, or else the first HID boot keyboard
that is not the real keyboard), detaches the kernel's keyboard driver, claims the
interface and reads its interrupt IN endpoint. Keyboard-mode reports become characters
(US or JIS layout); a HID POS scanner's reports carry the data and the AIM symbology.
Each completed scan goes to ``on_scan(scanner_id, text)``.

It survives unplug and replug: any USB error ends the session (the half-typed scan is
dropped, never delivered as a shorter code), the state becomes ``disconnected``, and the
reader looks for the device again with exponential backoff. ``run`` never raises: a kiosk
must keep working with the scanner unplugged. States: ``waiting`` (no scanner found yet),
``connected``, ``disconnected`` (lost or failed to open; retrying), ``stopped``.
"""

import logging
import threading
from dataclasses import dataclass
from typing import Callable

import usb.core
import usb.util

from kiosk.errors import KioskError
from kiosk.scan.hid import KeyboardReportDecoder, PosReportDecoder, check_layout

log = logging.getLogger(__name__)

HID_CLASS = 3
BOOT_SUBCLASS, KEYBOARD_PROTOCOL = 1, 1
POS_USAGE_PAGE = 0x8C
_SCANNER_WORDS = ("scan", "barcode", "bar code", "reader", "imager", "バーコード")
_SET_PROTOCOL, _BOOT_PROTOCOL = 0x0B, 0
_GET_DESCRIPTOR, _REPORT_DESCRIPTOR = 0x06, 0x22


@dataclass(frozen=True)
class ReaderStatus:
    """What the kiosk shows about a scanner: ``state`` and a human ``detail``."""

    scanner_id: str
    state: str
    detail: str = ""
    device: str | None = None  # "vvvv:pppp" when known


def parse_vid_pid(text: str) -> tuple[int, int]:
    """``"0c2e:0b61"`` (as lsusb prints it) → (0x0C2E, 0x0B61)."""
    try:
        vid, pid = text.strip().lower().removeprefix("usb://").split(":")
        return int(vid, 16), int(pid, 16)
    except ValueError:
        raise KioskError(
            f"scanner device {text!r} is not VID:PID in hex, e.g. 0c2e:0b61 (see lsusb)",
            f"スキャナの指定「{text}」が VID:PID の形式ではありません（例: 0c2e:0b61、lsusb で確認）",
        ) from None


@dataclass
class _Session:
    device: usb.core.Device
    interface: int
    endpoint: object
    decoder: object
    detached: bool


class UsbScannerReader:
    """One scanner, read on its own thread; see the module docstring."""

    def __init__(
        self,
        on_scan: Callable[[str, str], None],
        *,
        device: str | None = None,
        layout: str = "us",
        exclude: tuple[str, ...] = (),
        backend=None,
        scanner_id: str | None = None,
        on_status: Callable[[ReaderStatus], None] | None = None,
        backoff_min_s: float = 0.25,
        backoff_max_s: float = 5.0,
        read_timeout_ms: int = 200,
    ):
        self._on_scan = on_scan
        self._on_status = on_status
        self._wanted = parse_vid_pid(device) if device else None
        self._exclude = {parse_vid_pid(d) for d in exclude}
        self._layout = check_layout(layout)
        self._backend = backend
        self.scanner_id = scanner_id or (device or "usb")
        self._backoff = (backoff_min_s, backoff_max_s)
        self._read_timeout_ms = read_timeout_ms
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.status = ReaderStatus(self.scanner_id, "waiting", "looking for the scanner")

    def start(self) -> threading.Thread:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name=f"scanner {self.scanner_id}", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Read until ``stop()``; reconnect with backoff; never raise."""
        delay = self._backoff[0]
        while not self._stop.is_set():
            session = None
            try:
                session = self._connect()
                if session is not None:
                    delay = self._backoff[0]
                    self._read_until_lost(session)
            except Exception as error:  # noqa: BLE001 - whatever USB does, retry later
                self._set_status("disconnected", f"scanner error: {error}")
            finally:
                if session is not None:
                    self._release(session)
            if session is None or not self._stop.is_set():
                self._stop.wait(delay)
                delay = min(delay * 2, self._backoff[1])
        self._set_status("stopped", "reader stopped")

    def _connect(self) -> _Session | None:
        found = self._find()
        if found is None:
            if self.status.state != "disconnected":
                self._set_status("waiting", "no scanner found: plug it in (or check VID:PID in settings)")
            return None
        device, interface = found
        number = interface.bInterfaceNumber
        detached = False
        if device.is_kernel_driver_active(number):
            device.detach_kernel_driver(number)
            detached = True
        usb.util.claim_interface(device, number)
        endpoint = usb.util.find_descriptor(interface, custom_match=_is_interrupt_in)
        if endpoint is None:
            raise usb.core.USBError(f"interface {number} has no interrupt IN endpoint")
        decoder = self._decoder_for(device, interface, endpoint)
        self._set_status("connected", f"reading {_name(device)}", _vid_pid(device))
        return _Session(device, number, endpoint, decoder, detached)

    def _read_until_lost(self, session: _Session) -> None:
        size = session.endpoint.wMaxPacketSize
        while not self._stop.is_set():
            try:
                data = session.endpoint.read(size, self._read_timeout_ms)
            except usb.core.USBTimeoutError:
                continue
            except usb.core.USBError as error:
                lost = session.decoder.pending
                detail = f"scanner disconnected ({error})" + (f"; partial scan {lost!r} dropped" if lost else "")
                self._set_status("disconnected", detail, _vid_pid(session.device))
                return
            for text in session.decoder.feed(bytes(data)):
                self._deliver(text)

    def _deliver(self, text: str) -> None:
        try:
            self._on_scan(self.scanner_id, text)
        except Exception:  # noqa: BLE001 - a consumer bug must not stop the scanner
            log.exception("scan consumer failed for %r", text)

    def _release(self, session: _Session) -> None:
        """Give the interface back (and the keyboard driver, on a clean stop); ignore a gone device."""
        try:
            usb.util.release_interface(session.device, session.interface)
            if session.detached and self._stop.is_set():
                session.device.attach_kernel_driver(session.interface)
        except (usb.core.USBError, NotImplementedError, ValueError):
            pass
        try:
            usb.util.dispose_resources(session.device)
        except (usb.core.USBError, NotImplementedError, ValueError):
            pass

    def _find(self):
        """(device, interface) of the scanner, or None."""
        candidates = []
        for device in usb.core.find(find_all=True, backend=self._backend):
            key = (device.idVendor, device.idProduct)
            if key in self._exclude or (self._wanted and key != self._wanted):
                continue
            for interface in _hid_interfaces(device):
                if self._wanted or _is_boot_keyboard(interface):
                    candidates.append((device, interface))
                    break
        if self._wanted:
            return candidates[0] if candidates else None
        return _likeliest_scanner(candidates)

    def _decoder_for(self, device, interface, endpoint):
        if _is_boot_keyboard(interface):
            _try_boot_protocol(device, interface.bInterfaceNumber)
            return KeyboardReportDecoder(self._layout)
        descriptor = _report_descriptor(device, interface.bInterfaceNumber)
        if _declares_usage_page(descriptor, POS_USAGE_PAGE):
            return PosReportDecoder(report_size=endpoint.wMaxPacketSize)
        return KeyboardReportDecoder(self._layout)

    def _set_status(self, state: str, detail: str, device: str | None = None) -> None:
        status = ReaderStatus(self.scanner_id, state, detail, device)
        if status == self.status:
            return
        self.status = status
        log.info("scanner %s: %s (%s)", self.scanner_id, state, detail)
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # noqa: BLE001
                log.exception("scanner status consumer failed")


def _hid_interfaces(device):
    try:
        configuration = device[0]
    except (usb.core.USBError, IndexError):
        return []
    return [i for i in configuration if i.bInterfaceClass == HID_CLASS and i.bAlternateSetting == 0]


def _is_boot_keyboard(interface) -> bool:
    return interface.bInterfaceSubClass == BOOT_SUBCLASS and interface.bInterfaceProtocol == KEYBOARD_PROTOCOL


def _is_interrupt_in(endpoint) -> bool:
    return (
        usb.util.endpoint_direction(endpoint.bEndpointAddress) == usb.util.ENDPOINT_IN
        and usb.util.endpoint_type(endpoint.bmAttributes) == usb.util.ENDPOINT_TYPE_INTR
    )


def _likeliest_scanner(candidates):
    """Prefer a device that names itself a scanner; never one that names itself a keyboard.

    A device we may not even read the name of (no udev rule for it: typically the real
    keyboard) is skipped: we could not claim it anyway.
    """
    named = [(d, i, _readable_name(d)) for d, i in candidates]
    readable = [(d, i, n.lower()) for d, i, n in named if n is not None]
    chosen = next((c for c in readable if any(w in c[2] for w in _SCANNER_WORDS)), None)
    if chosen is None:
        chosen = next((c for c in readable if "keyboard" not in c[2] and "キーボード" not in c[2]), None)
    for device, _, _ in named:
        if chosen is None or device is not chosen[0]:
            usb.util.dispose_resources(device)
    return None if chosen is None else chosen[:2]


def _readable_name(device) -> str | None:
    try:
        parts = [usb.util.get_string(device, i) for i in (device.iManufacturer, device.iProduct) if i]
    except (usb.core.USBError, ValueError, NotImplementedError):
        return None
    return " ".join(p for p in parts if p)


def _name(device) -> str:
    return _readable_name(device) or _vid_pid(device)


def _vid_pid(device) -> str:
    return f"{device.idVendor:04x}:{device.idProduct:04x}"


def _try_boot_protocol(device, interface_number: int) -> None:
    """Ask for 8-byte boot reports (no report ID); harmless if the device refuses."""
    try:
        device.ctrl_transfer(0x21, _SET_PROTOCOL, _BOOT_PROTOCOL, interface_number)
    except (usb.core.USBError, NotImplementedError):
        pass


def _report_descriptor(device, interface_number: int) -> bytes:
    try:
        return bytes(device.ctrl_transfer(0x81, _GET_DESCRIPTOR, _REPORT_DESCRIPTOR << 8, interface_number, 1024))
    except (usb.core.USBError, NotImplementedError):
        return b""


def _declares_usage_page(descriptor: bytes, page: int) -> bool:
    """Walk the HID report descriptor's short items looking for Usage Page ``page``."""
    i = 0
    while i < len(descriptor):
        prefix = descriptor[i]
        size = (0, 1, 2, 4)[prefix & 0x03]
        if prefix & 0xFC == 0x04:  # global item: Usage Page
            value = int.from_bytes(descriptor[i + 1 : i + 1 + size], "little")
            if value == page:
                return True
        i += 1 + size
    return False
