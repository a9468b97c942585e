"""The printing section of a library's settings (設定 → ラベルの印刷): the printers staff
configured and the default one, the label sheets, the spine labels' colours, the card paper, and
each sheet printer's calibration.

Read by the label printing (printer.copy_labels, printer.calibration, printer.labels), the printer
choice (kiosk.printing.printers) and the card command. It is in the domain, not in printer/, so that
reading a library's settings needs no printer code; the label sheets' defaults are here, once.
A printer's URL is checked against this kiosk's folders (kiosk.printing.printers.check_printer_url) when
it is saved and again before each use, not here: a stored URL reads back as it was saved.
"""

import re
from dataclasses import dataclass, field
from typing import ClassVar

from kiosk.errors import KioskError
from kiosk.stored_section import is_number, is_whole_number, section_values, stored_form

DEFAULT_SPINE_TEMPLATE = "Hisago:OP3015"  # 20 × 24 mm, 60 a sheet (printer.templates)
DEFAULT_BARCODE_TEMPLATE = "Hisago:ELM022"  # 48.3 × 25.4 mm, 44 a sheet
COLOUR_STYLES = ("band", "background", "none")  # a band across the top, a pale background, no colour
COLOUR_STYLE_LABELS_JA = {"band": "上に色の帯", "background": "背景を薄い色に", "none": "色なし"}
CARD_LAYOUTS = ("a4", "card")  # the basic cards' paper (printer.card_pdf)
CARD_LAYOUT_LABELS_JA = {"a4": "A4に3枚（切り取り線つき）", "card": "カード用紙（125×75mm）に1枚ずつ"}
MAX_PRINTERS = 20
MAX_NAME = 30
MAX_OFFSET_MM = 10
# Keys the first versions stored (one printer per label kind, one sheet for both, print at once).
OBSOLETE = ("spine_printer", "barcode_printer", "template", "print_at_once")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class ConfiguredPrinter:
    """A printer staff named; requests name it by ``id``, never by its URL."""

    id: int
    name: str
    url: str

    def __post_init__(self):
        if not is_whole_number(self.id) or self.id < 1 or not isinstance(self.url, str):
            raise KioskError(f"a printer is {{id, name, url}} with a positive id: {self!r}",
                             "プリンターの設定が正しくありません")
        name = self.name.strip() if isinstance(self.name, str) else ""
        if not name or len(name) > MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise KioskError(f"a printer's name is 1 to {MAX_NAME} characters",
                             f"プリンターの名前は1〜{MAX_NAME}文字にしてください")
        object.__setattr__(self, "name", name)

    @classmethod
    def from_stored(cls, values: dict) -> "ConfiguredPrinter":
        values = section_values(cls, values, "プリンター")
        if set(values) != {"id", "name", "url"}:
            raise KioskError(f"a printer is {{id, name, url}}: {values!r}", "プリンターの設定が正しくありません")
        return cls(**values)

    def to_stored(self) -> dict:
        return stored_form(self)


@dataclass(frozen=True)
class PrintingSettings:
    COLOUR_STYLES: ClassVar = COLOUR_STYLES  # the choices, for the settings screen and the CLI
    COLOUR_STYLE_LABELS_JA: ClassVar = COLOUR_STYLE_LABELS_JA
    CARD_LAYOUTS: ClassVar = CARD_LAYOUTS
    CARD_LAYOUT_LABELS_JA: ClassVar = CARD_LAYOUT_LABELS_JA

    printer: str = ""  # the default printer's URL; "" for none: labels open as a PDF in the browser
    spine_template: str = DEFAULT_SPINE_TEMPLATE  # a label sheet, BRAND:PART (printer.templates)
    barcode_template: str = DEFAULT_BARCODE_TEMPLATE
    offset_x_mm: float = 0.0  # the calibration of the sheet printer in use (printer.calibration)
    offset_y_mm: float = 0.0
    colour: str = "band"
    palette: dict[str, str] = field(default_factory=dict)  # class or prefix → "#rrggbb", over the labels' own
    offsets: dict[str, tuple[float, float]] = field(default_factory=dict)  # each sheet printer's, by URL
    card_layout: str = "a4"
    printers: tuple[ConfiguredPrinter, ...] = ()
    last_printer_id: int = 0  # the highest id ever given: a removed printer's id is never given again

    def __post_init__(self):
        self._check_printers()
        if not all(isinstance(text, str) for text in (self.printer, self.spine_template, self.barcode_template)):
            raise KioskError("printer and label sheets are text", "プリンターとラベル用紙は文字で指定してください")
        if not isinstance(self.offsets, dict) or not all(
                isinstance(key, str) and isinstance(xy, tuple) and len(xy) == 2 for key, xy in self.offsets.items()):
            raise KioskError("offsets are {printer URL: [x, y]}", "プリンターごとのずれの補正が正しくありません")
        shifts = [self.offset_x_mm, self.offset_y_mm] + [v for xy in self.offsets.values() for v in xy]
        if any(not is_number(v) or not -MAX_OFFSET_MM <= v <= MAX_OFFSET_MM for v in shifts):
            raise KioskError(f"printer offsets must be -{MAX_OFFSET_MM} to {MAX_OFFSET_MM} mm",
                             f"プリンターのずれの補正は-{MAX_OFFSET_MM}〜{MAX_OFFSET_MM}mmです")
        if self.card_layout not in CARD_LAYOUTS:
            raise KioskError("card layout must be a4 or card", "カードの用紙は a4（A4に3枚）か card（カード用紙）です")
        if self.colour not in COLOUR_STYLES:
            raise KioskError(f"label colour must be one of {', '.join(COLOUR_STYLES)}",
                             f"ラベルの色は{'・'.join(f'「{label}」' for label in COLOUR_STYLE_LABELS_JA.values())}から選んでください")
        if not isinstance(self.palette, dict) or not all(
                isinstance(key, str) and key and isinstance(value, str) and _COLOUR.fullmatch(value)
                for key, value in self.palette.items()):
            raise KioskError("the palette maps a class to #rrggbb, e.g. {\"E\": \"#ec407a\"}",
                             "色の指定は 分類=#rrggbb の形です（例 E=#ec407a）")
        if not is_whole_number(self.last_printer_id) or self.last_printer_id < 0:
            raise KioskError("last_printer_id is a whole number, 0 or more", "プリンターの番号の記録が正しくありません")

    def _check_printers(self) -> None:
        if not isinstance(self.printers, tuple) or len(self.printers) > MAX_PRINTERS:
            raise KioskError(f"at most {MAX_PRINTERS} printers", f"プリンターは{MAX_PRINTERS}台までです")
        if not all(isinstance(printer, ConfiguredPrinter) for printer in self.printers):
            raise KioskError("printers are ConfiguredPrinter", "プリンターの設定が正しくありません")
        for key, what in (("id", "番号"), ("name", "名前"), ("url", "指定")):
            values = [getattr(printer, key) for printer in self.printers]
            if len(set(values)) != len(values):
                raise KioskError(f"two printers have the same {key}", f"同じ{what}のプリンターが2台あります")

    @classmethod
    def from_stored(cls, values: dict) -> "PrintingSettings":
        values = section_values(cls, values, "ラベルの印刷", obsolete=OBSOLETE)
        if "printers" in values:
            if not isinstance(values["printers"], list):
                raise KioskError("printers are a list of {id, name, url}", "プリンターの設定が正しくありません")
            values["printers"] = tuple(ConfiguredPrinter.from_stored(printer) for printer in values["printers"])
        if isinstance(values.get("offsets"), dict):  # [x, y] in JSON
            values["offsets"] = {key: tuple(xy) if isinstance(xy, list) else xy for key, xy in values["offsets"].items()}
        for key, default in (("spine_template", DEFAULT_SPINE_TEMPLATE), ("barcode_template", DEFAULT_BARCODE_TEMPLATE)):
            if values.get(key) == "":  # stored as "" until staff choose a sheet: the kiosk's default
                values[key] = default
        return cls(**values)

    def to_stored(self) -> dict:
        """The default sheets are stored as "" (as before), so a kiosk whose default changes
        moves with it."""
        stored = stored_form(self)
        for key, default in (("spine_template", DEFAULT_SPINE_TEMPLATE), ("barcode_template", DEFAULT_BARCODE_TEMPLATE)):
            if stored[key] == default:
                stored[key] = ""
        return stored
