"""A registration number's barcode as a pattern of modules, ready to draw.

python-barcode encodes (its ``build()`` is fast); its writers are not used: drawing the bars
straight into the PDF or the raster from the pattern is about 100 times quicker than its SVG
writer for a sheet of labels.
"""

import _imp
import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number

QUIET_ZONE_MODULES = 10  # blank modules each side, so scanners find the start


@dataclass(frozen=True)
class BarcodePattern:
    symbology: str
    data: str  # what the symbol carries: start/stop and check characters included
    text: str  # the human-readable line under the bars
    modules: str  # '1' bar / '0' space, one character per module

    @property
    def width_modules(self) -> int:
        return len(self.modules) + 2 * QUIET_ZONE_MODULES

    def bars(self) -> list[tuple[int, int]]:
        """(first module, width in modules) of every bar, counted from the left quiet zone."""
        return [(QUIET_ZONE_MODULES + start, end - start)
                for start, end in map(re.Match.span, BAR_RUNS.finditer(self.modules))]


BAR_RUNS = re.compile("1+")  # a bar: a run of dark modules


def item_barcode(number: int, settings: ItemCodeSettings) -> BarcodePattern:
    get_barcode_class = _python_barcode().get_barcode_class
    data = encode_item_number(number, settings)
    # One writer for every symbol: python-barcode would make a new (unused) one each time.
    if settings.symbology == "nw7":
        # Narrow bars 1 module, wide 3 (a 3:1 ratio, within the 2:1 to 3:1 Codabar allows):
        # python-barcode's default 2 and 5 make a narrow bar two modules and leave a thermal
        # head too few dots per module to keep the ratio.
        symbol = get_barcode_class("codabar")(data, writer=_writer(), narrow=1, wide=3)
    elif settings.symbology == "code39":
        symbol = get_barcode_class("code39")(data, writer=_writer(), add_checksum=False)
    else:
        symbol = get_barcode_class("code128")(data, writer=_writer())
    return BarcodePattern(settings.symbology, data, data, "".join(symbol.build()))


def _python_barcode():
    """python-barcode, imported here (a sheet of spine labels never needs it) and without
    Pillow when Pillow is not loaded yet: its ImageWriter, which the kiosk never uses, imports
    Pillow and FreeType with it, 25 ms on an idle machine and 250 ms on a busy one, most of a
    `kiosk labels` run that only writes a PDF. python-barcode treats a missing Pillow as no
    ImageWriter. Pillow is blocked (``sys.modules`` None) under the interpreter's import lock,
    so no other thread can be refused it meanwhile, and a python-barcode that needs Pillow
    after all is imported as usual."""
    if "barcode" in sys.modules or "PIL" in sys.modules:
        import barcode

        return barcode
    _imp.acquire_lock()
    try:
        sys.modules["PIL"] = None
        try:
            import barcode
        except ImportError:
            barcode = None
        finally:
            del sys.modules["PIL"]
    finally:
        _imp.release_lock()
    if barcode is None:
        for name in [name for name in sys.modules if name == "barcode" or name.startswith("barcode.")]:
            del sys.modules[name]  # half-imported without Pillow: import it whole
        import barcode
    return barcode


@lru_cache(maxsize=1)
def _writer():
    from barcode.writer import SVGWriter

    return SVGWriter()
