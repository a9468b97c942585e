"""A registration number's barcode as a pattern of modules, ready to draw.

python-barcode encodes (its ``build()`` is fast); its writers are not used: drawing the bars
straight into the PDF or the raster from the pattern is about 100 times quicker than its SVG
writer for a sheet of labels. Its symbology classes are imported when a barcode is first drawn
(a sheet of spine labels never needs them); importing them imports python-barcode's package,
which loads Pillow for its ImageWriter: a one-off cost, accepted rather than blocking Pillow
behind the interpreter's import lock as an earlier version did.
"""

import re
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
    data = encode_item_number(number, settings)
    # One writer for every symbol: python-barcode would make a new (unused) one each time.
    if settings.symbology == "nw7":
        from barcode.codabar import CODABAR

        # Narrow bars 1 module, wide 3 (a 3:1 ratio, within the 2:1 to 3:1 Codabar allows):
        # python-barcode's default 2 and 5 make a narrow bar two modules and leave a thermal
        # head too few dots per module to keep the ratio.
        symbol = CODABAR(data, writer=_writer(), narrow=1, wide=3)
    elif settings.symbology == "code39":
        from barcode.codex import Code39

        symbol = Code39(data, writer=_writer(), add_checksum=False)
    else:
        from barcode.codex import Code128

        symbol = Code128(data, writer=_writer())
    return BarcodePattern(settings.symbology, data, data, "".join(symbol.build()))


@lru_cache(maxsize=1)
def _writer():
    from barcode.writer import SVGWriter

    return SVGWriter()
