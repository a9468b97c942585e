"""A registration number's barcode as a pattern of modules, ready to draw.

python-barcode encodes (its ``build()`` is fast); its writers are not used: drawing the bars
straight into the PDF or the raster from the pattern is about 100 times quicker than its SVG
writer for a sheet of labels.
"""

from dataclasses import dataclass
from itertools import groupby

from barcode import get_barcode_class

from kiosk.itemcode import ItemCodeSettings, encode_item_number

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
        bars, position = [], QUIET_ZONE_MODULES
        for value, run in groupby(self.modules):
            width = len(list(run))
            if value == "1":
                bars.append((position, width))
            position += width
        return bars


def item_barcode(number: int, settings: ItemCodeSettings) -> BarcodePattern:
    data = encode_item_number(number, settings)
    if settings.symbology == "nw7":
        symbol = get_barcode_class("codabar")(data)
    elif settings.symbology == "code39":
        symbol = get_barcode_class("code39")(data, add_checksum=False)
    else:
        symbol = get_barcode_class("code128")(data)
    return BarcodePattern(settings.symbology, data, data, "".join(symbol.build()))
