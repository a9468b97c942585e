"""A pyusb backend (``usb.backend.IBackend``) that replays recorded HID report streams.

The reader under test is the real ``UsbScannerReader``: it calls ``usb.core.find``,
``Device.detach_kernel_driver``, ``usb.util.claim_interface``, ``Endpoint.read`` and
so on, and pyusb's own device/configuration/interface/endpoint machinery calls this
backend exactly as it calls libusb. Only the wire is replaced.

A replay script is a list of steps, loaded from a ``.hex`` file: one line per interrupt
read (hex bytes; a line may hold a whole report, part of one, or more), ``unplug`` (the
device vanishes: the read fails with ENODEV, like libusb's LIBUSB_ERROR_NO_DEVICE, and the
device is absent from the next enumeration), ``timeout`` (a read that times out), blank
lines and ``#`` comments. After the last step, reads time out (an idle scanner).
"""

import errno
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import usb.backend
import usb.core

UNPLUG, TIMEOUT = "unplug", "timeout"


def load_script(path: Path) -> list:
    steps = []
    for raw in Path(path).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.lower() in (UNPLUG, TIMEOUT):
            steps.append(line.lower())
        else:
            steps.append(bytes.fromhex(line))
    return steps


class ReplayDevice:
    """One scanner (or keyboard) on the fake bus."""

    def __init__(
        self,
        vid: int,
        pid: int,
        script: list,
        *,
        product: str = "Barcode Scanner",
        manufacturer: str = "Replay",
        subclass: int = 1,
        protocol: int = 1,
        max_packet: int = 8,
        report_descriptor: bytes = b"",
        readable: bool = True,
        absent_enumerations: int = 1,
    ):
        self.vid, self.pid = vid, pid
        self.steps = list(script)
        self.product, self.manufacturer = product, manufacturer
        self.subclass, self.protocol = subclass, protocol
        self.max_packet = max_packet
        self.report_descriptor = report_descriptor
        self.readable = readable  # False: opening it fails with EACCES (no udev rule)
        self.absent_enumerations = absent_enumerations
        self.plugged = True
        self.generation = 1
        self.absent_for = 0
        self.kernel_driver = True
        self.log: list[str] = []
        self.reads_done = threading.Event()  # set once the script is exhausted

    def next_step(self):
        if not self.steps:
            self.reads_done.set()
            return TIMEOUT
        return self.steps.pop(0)


class _Plug:
    """Device identity for one plug-in: a replug is a new address, as on a real bus."""

    def __init__(self, device: ReplayDevice, address: int):
        self.device, self.address, self.generation = device, address, device.generation


class ReplayBackend(usb.backend.IBackend):
    def __init__(self, devices: list[ReplayDevice], idle_read_s: float = 0.002):
        super().__init__()
        self.devices = devices
        self.idle_read_s = idle_read_s
        self.enumerations = 0

    # --- enumeration and descriptors -------------------------------------------------
    def enumerate_devices(self):
        self.enumerations += 1
        plugs = []
        for n, device in enumerate(self.devices):
            if not device.plugged:
                if device.absent_for > 0:
                    device.absent_for -= 1
                    continue
                device.plugged, device.generation, device.kernel_driver = True, device.generation + 1, True
                device.log.append("replugged")
            plugs.append(_Plug(device, address=10 * device.generation + n))
        return plugs

    def get_device_descriptor(self, plug):
        d = plug.device
        return SimpleNamespace(
            bLength=18, bDescriptorType=1, bcdUSB=0x0200, bDeviceClass=0, bDeviceSubClass=0,
            bDeviceProtocol=0, bMaxPacketSize0=64, idVendor=d.vid, idProduct=d.pid, bcdDevice=0x0100,
            iManufacturer=1, iProduct=2, iSerialNumber=0, bNumConfigurations=1,
            address=plug.address, bus=1, port_number=1, port_numbers=(1,), speed=2,
        )

    def get_configuration_descriptor(self, plug, config):
        if config != 0:
            raise IndexError(config)
        return SimpleNamespace(
            bLength=9, bDescriptorType=2, wTotalLength=34, bNumInterfaces=1, bConfigurationValue=1,
            iConfiguration=0, bmAttributes=0xA0, bMaxPower=50, extra_descriptors=[],
        )

    def get_interface_descriptor(self, plug, intf, alt, config):
        if (intf, alt, config) != (0, 0, 0):
            raise IndexError((intf, alt, config))
        d = plug.device
        return SimpleNamespace(
            bLength=9, bDescriptorType=4, bInterfaceNumber=0, bAlternateSetting=0, bNumEndpoints=1,
            bInterfaceClass=3, bInterfaceSubClass=d.subclass, bInterfaceProtocol=d.protocol,
            iInterface=0, extra_descriptors=[],
        )

    def get_endpoint_descriptor(self, plug, ep, intf, alt, config):
        if (ep, intf, alt, config) != (0, 0, 0, 0):
            raise IndexError((ep, intf, alt, config))
        return SimpleNamespace(
            bLength=7, bDescriptorType=5, bEndpointAddress=0x81, bmAttributes=0x03,
            wMaxPacketSize=plug.device.max_packet, bInterval=1, bRefresh=0, bSynchAddress=0,
            extra_descriptors=[],
        )

    # --- handles -------------------------------------------------------------------
    def open_device(self, plug):
        self._check_present(plug)
        if not plug.device.readable:
            raise usb.core.USBError("Access denied (insufficient permissions)", -3, errno.EACCES)
        plug.device.log.append("open")
        return plug

    def close_device(self, plug):
        plug.device.log.append("close")

    def get_configuration(self, plug):
        self._check_present(plug)
        return 1

    def set_configuration(self, plug, value):
        self._check_present(plug)

    def claim_interface(self, plug, intf):
        self._check_present(plug)
        if plug.device.kernel_driver:
            raise usb.core.USBError("Resource busy", -6, errno.EBUSY)
        plug.device.log.append(f"claim {intf}")

    def release_interface(self, plug, intf):
        self._check_present(plug)
        plug.device.log.append(f"release {intf}")

    def is_kernel_driver_active(self, plug, intf):
        self._check_present(plug)
        return plug.device.kernel_driver

    def detach_kernel_driver(self, plug, intf):
        self._check_present(plug)
        plug.device.kernel_driver = False
        plug.device.log.append(f"detach {intf}")

    def attach_kernel_driver(self, plug, intf):
        self._check_present(plug)
        plug.device.kernel_driver = True
        plug.device.log.append(f"attach {intf}")

    # --- transfers -----------------------------------------------------------------
    def intr_read(self, plug, ep, intf, buff, timeout):
        self._check_present(plug)
        step = plug.device.next_step()
        if step == UNPLUG:
            plug.device.plugged = False
            plug.device.absent_for = plug.device.absent_enumerations
            plug.device.log.append("unplugged")
            raise usb.core.USBError("No such device (it may have been disconnected)", -4, errno.ENODEV)
        if step == TIMEOUT:
            time.sleep(self.idle_read_s)
            raise usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)
        assert len(step) <= len(buff), "a read cannot return more than wMaxPacketSize bytes"
        buff[: len(step)] = type(buff)(buff.typecode, step)
        return len(step)

    def ctrl_transfer(self, plug, bmRequestType, bRequest, wValue, wIndex, data, timeout):
        self._check_present(plug)
        d = plug.device
        if bmRequestType == 0x21 and bRequest == 0x0B:  # SET_PROTOCOL
            d.log.append(f"set_protocol {wValue}")
            return 0
        if bRequest == 0x06 and wValue >> 8 == 0x03:  # string descriptor
            index = wValue & 0xFF
            if index == 0:
                payload = bytes([4, 3, 0x09, 0x04])
            else:
                text = {1: d.manufacturer, 2: d.product}.get(index, "").encode("utf-16-le")
                payload = bytes([len(text) + 2, 3]) + text
            return _fill(data, payload)
        if bmRequestType == 0x81 and bRequest == 0x06 and wValue >> 8 == 0x22:  # report descriptor
            return _fill(data, d.report_descriptor)
        raise usb.core.USBError("Pipe error", -9, errno.EPIPE)

    def _check_present(self, plug):
        if not plug.device.plugged or plug.generation != plug.device.generation:
            raise usb.core.USBError("No such device (it may have been disconnected)", -4, errno.ENODEV)


def _fill(buff, payload: bytes) -> int:
    n = min(len(buff), len(payload))
    buff[:n] = type(buff)(buff.typecode, payload[:n])
    return n
