"""A pyusb backend (``usb.backend.IBackend``) that plays a Brother QL printer on USB.

brother_ql's own pyusb backend runs unchanged over it: it enumerates, finds the printer-class
interface and its two bulk endpoints, writes the raster job to the OUT endpoint and reads the
printer's 32-byte status answers from the IN endpoint, as it does over libusb. The printer
keeps what it was sent and answers with the statuses it is given (Brother's "Raster Command
Reference", status information: byte 8/9 error bits, 18 status type, 19 phase type).
"""

import errno
import threading
from types import SimpleNamespace

import usb.backend
import usb.core

BROTHER, QL_820NWB = 0x04F9, 0x209D
OUT, IN = 0x02, 0x81


def status(kind: int, phase: int = 0, error_1: int = 0, error_2: int = 0, width_mm: int = 62) -> bytes:
    """A 32-byte status answer: kind 0x01 printing completed, 0x02 error, 0x06 phase change;
    phase 0x00 waiting to receive, 0x01 printing."""
    answer = bytearray(32)
    answer[0:8] = b"\x80\x20\x42\x34\x41\x30\x00\x00"
    answer[8], answer[9], answer[10], answer[11] = error_1, error_2, width_mm, 0x0A  # continuous roll
    answer[18], answer[19] = kind, phase
    return bytes(answer)


PRINTED = [status(0x06, 0x01), status(0x01), status(0x06, 0x00)]  # printing, completed, ready again
NO_MEDIA = [status(0x02, error_1=0x01)]
COVER_OPEN = [status(0x02, error_2=0x10)]
SILENT: list = []


class BrotherUsbPrinter(usb.backend.IBackend):
    def __init__(self, answers: list[bytes]):
        super().__init__()
        self.answers = list(answers)
        self.received = bytearray()
        self.log: list[str] = []
        self._lock = threading.Lock()

    def enumerate_devices(self):
        return [self]

    def get_device_descriptor(self, dev):
        return SimpleNamespace(
            bLength=18, bDescriptorType=1, bcdUSB=0x0200, bDeviceClass=0, bDeviceSubClass=0, bDeviceProtocol=0,
            bMaxPacketSize0=64, idVendor=BROTHER, idProduct=QL_820NWB, bcdDevice=0x0100, iManufacturer=0,
            iProduct=0, iSerialNumber=0, bNumConfigurations=1, address=5, bus=1, port_number=1,
            port_numbers=(1,), speed=2)

    def get_configuration_descriptor(self, dev, config):
        if config != 0:
            raise IndexError(config)
        return SimpleNamespace(bLength=9, bDescriptorType=2, wTotalLength=32, bNumInterfaces=1, bConfigurationValue=1,
                               iConfiguration=0, bmAttributes=0xC0, bMaxPower=1, extra_descriptors=[])

    def get_interface_descriptor(self, dev, intf, alt, config):
        if (intf, alt, config) != (0, 0, 0):
            raise IndexError((intf, alt, config))
        return SimpleNamespace(bLength=9, bDescriptorType=4, bInterfaceNumber=0, bAlternateSetting=0, bNumEndpoints=2,
                               bInterfaceClass=7, bInterfaceSubClass=1, bInterfaceProtocol=2, iInterface=0,
                               extra_descriptors=[])

    def get_endpoint_descriptor(self, dev, ep, intf, alt, config):
        if (intf, alt, config) != (0, 0, 0) or ep not in (0, 1):
            raise IndexError((ep, intf, alt, config))
        return SimpleNamespace(bLength=7, bDescriptorType=5, bEndpointAddress=(IN, OUT)[ep], bmAttributes=0x02,
                               wMaxPacketSize=64, bInterval=0, bRefresh=0, bSynchAddress=0, extra_descriptors=[])

    def open_device(self, dev):
        self.log.append("open")
        return dev

    def close_device(self, handle):
        self.log.append("close")

    def get_configuration(self, handle):
        return 1

    def set_configuration(self, handle, value):
        self.log.append(f"configuration {value}")

    def claim_interface(self, handle, intf):
        self.log.append(f"claim {intf}")

    def release_interface(self, handle, intf):
        self.log.append(f"release {intf}")

    def is_kernel_driver_active(self, handle, intf):
        return False  # usblp is not bound in the tests' picture of the bus

    def bulk_write(self, handle, ep, intf, data, timeout):
        assert ep == OUT, f"written to endpoint {ep:#x}"
        with self._lock:
            self.received += bytes(data)
        return len(data)

    def bulk_read(self, handle, ep, intf, buff, timeout):
        assert ep == IN, f"read from endpoint {ep:#x}"
        with self._lock:
            if not self.received or not self.answers:  # nothing to say before a job, or said all
                raise usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)
            answer = self.answers.pop(0)
        buff[:len(answer)] = type(buff)(buff.typecode, answer)
        return len(answer)

    def ctrl_transfer(self, handle, bmRequestType, bRequest, wValue, wIndex, data, timeout):
        raise usb.core.USBError("Pipe error", -9, errno.EPIPE)
