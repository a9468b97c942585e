"""The kiosk's own item barcode: the registration number (登録番号) as a barcode.

A copy's label carries its registration number, zero-padded to a fixed width, in the
symbology chosen in settings, with an optional check character. Scanning that label later
says "this is copy N" (reprint its label, withdraw it). This module is the one place that
turns a number into the barcode's data string and back; the label printer renders the
string (python-barcode's ``codabar``, ``code39`` with ``add_checksum=False``, ``code128``).

Check schemes, and where each is published (the worked examples are in tests/scan):

- ``none``: no check character.
- ``mod10w3`` (モジュラス10 ウェイト3): weights 3,1,3,… from the rightmost digit, sum,
  check = (10 − sum mod 10) mod 10, as EAN/JAN. ActiveBarcode, "Modulo 10"
  (activebarcode.com/codes/checkdigit/modulo10.html): 400763000011 → 6.
- ``m10w21`` (モジュラス10 ウェイト2・1分割, the Luhn formula of ISO/IEC 7812-1): weights
  2,1,2,… from the rightmost digit; each product's digits are added ("分割": 7×2 = 14 counts
  1+4; "一括" would add 14), check = (10 − sum mod 10) mod 10. Wikipedia "Luhn algorithm":
  7992739871 → 3; ISO/IEC 7812-1 as the npm package cc-luhn quotes it: 612345123456789 → 3;
  Rosetta Code's Luhn test: 49927398716 valid (4992739871 → 6); Exercism "Luhn":
  4539 3195 0343 6467 valid; the IMEI of Wikipedia's "IMEI": 49015420323751 → 8. WDIC
  "チェックディジット" (wdic.org) names the 分割 / 一括 ways of adding. CALIL's library
  barcode printer ajime (github CALIL/ajime) offers it as its one check digit, "M10W21",
  calling it the one most widespread in Japan's public libraries. Any single wrong digit is
  caught; so is any swap of two neighbours except 09 ↔ 90.
- ``mod11`` (モジュラス11 ウェイト2〜7): weights 2,3,4,5,6,7,2,… from the rightmost
  digit, sum, r = sum mod 11; check = 0 when r is 0 or 1, else 11 − r. The rule for r=0/1
  is Hitachi's SEWB+ library reference, LXRPIZ04 (itpfdoc.hitachi.co.jp, B860207):
  12345 → 5; CA Ideal's "Modulo11 CheckDigit Calculation": 943457842 → 3; HP RPG/XL
  SIGEDITOR "Modulus 11 Self-Check Digit": 1234567 → 4. (Codabar has no "X", so r=1
  cannot be 10: mapping it to 0 is the Japanese convention Hitachi documents.)
- ``7dr`` (セブンチェック, 7DR): the number's remainder modulo 7 (0–6). mimosa.gr.jp
  "チェックデジットについて": 123456 → 4; nanoappli.com (Yamato slip numbers):
  12345678901 → 3.
- ``7dsr`` (7DSR): 7 minus that remainder (1–7: a remainder of 0 gives 7, never 0).
- ``mod16``: Codabar's own scheme (NW-7 only): the values of every character *including
  the start and stop characters* (0–9 → 0–9, ``-$:/.+`` → 10–15, A–D → 16–19) are summed;
  the check is the character whose value brings the sum to a multiple of 16, placed just
  before the stop character. Intermec 1800 reference manual, "Codabar": A01234B →
  A012345B; ActiveBarcode "Modulo 16": A789A → 8.

Default: NW-7 with ``mod11`` (モジュラス11 ウェイト2〜7), start/stop A…A, 8 digits. It stays
the default although CALIL names ``m10w21`` the most widespread in public libraries: a library
that never chose a scheme has its labels printed with the default, and changing it would make
those labels fail their check.
A letter ``prefix`` (Code 39 only: NW-7 has no letters but its start/stop A–D, and a Code 128
label of this kiosk is digits) goes before the digits, as some university libraries' Code 39
labels carry one; the check character is still computed over the digits alone.

NW-7 is what Japanese library barcode labels use (aimjal.co.jp lists 図書館 among NW-7's
uses); among its check schemes, modulus 11 weights 2–7 is the one most often written into
Japanese library system and labelling specifications we know of. It is only a default:
a school whose labels already use another scheme sets it in settings (docs/scanner.md).
"""

import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from kiosk.errors import KioskError
from kiosk.stored_section import section_values, stored_form

SYMBOLOGIES = ("nw7", "code39", "code128")
SYMBOLOGY_LABELS_JA = {"nw7": "NW-7（Codabar）", "code39": "Code 39", "code128": "Code 128"}
CHECK_SCHEMES = ("none", "mod10w3", "m10w21", "mod11", "7dr", "7dsr", "mod16")
# What the settings screen shows for each, with where it is common (sources above, docs/scanner.md).
CHECK_SCHEME_LABELS_JA = {
    "none": "なし",
    "mod10w3": "モジュラス10 ウェイト3（JAN・EANと同じ）",
    "m10w21": "モジュラス10 ウェイト2・1分割（M10W21、公共図書館に最も多い）",
    "mod11": "モジュラス11 ウェイト2〜7（図書館システムの仕様に多い、既定）",
    "7dr": "セブンチェック 7DR（宅配伝票、古いNW-7）",
    "7dsr": "7DSR（7−余り）",
    "mod16": "モジュラス16（NW-7専用）",
}

CODABAR_START_STOP = "ABCD"
MAX_PREFIX = 6
# Some NW-7 scanners transmit the start/stop characters as T, N, *, E instead of A–D.
_ALTERNATE_START_STOP = {"T": "A", "N": "B", "*": "C", "E": "D"}
_CODABAR_VALUES = {c: i for i, c in enumerate("0123456789-$:/.+ABCD")}
_CODABAR_CHARACTERS = "0123456789-$:/.+"


@dataclass(frozen=True)
class ItemCodeSettings:
    """How this library's item barcodes are printed (and therefore read back): the settings'
    ``item_code`` section."""

    SYMBOLOGIES: ClassVar = SYMBOLOGIES  # the choices, for the settings screen and the CLI
    SYMBOLOGY_LABELS_JA: ClassVar = SYMBOLOGY_LABELS_JA
    CHECK_SCHEMES: ClassVar = CHECK_SCHEMES
    CHECK_SCHEME_LABELS_JA: ClassVar = CHECK_SCHEME_LABELS_JA
    START_STOP_LETTERS: ClassVar = tuple(CODABAR_START_STOP)
    MAX_PREFIX: ClassVar = MAX_PREFIX

    symbology: str = "nw7"
    check: str = "mod11"
    start: str = "A"
    stop: str = "A"
    width: int = 8  # digits, the number zero-padded to them
    prefix: str = ""  # letters before the digits (Code 39 only)

    def __post_init__(self):
        if self.symbology not in SYMBOLOGIES:
            raise KioskError(
                f"unknown item barcode symbology {self.symbology!r}: use one of {', '.join(SYMBOLOGIES)}",
                f"バーコードの種類「{self.symbology}」は使えません（{'・'.join(SYMBOLOGY_LABELS_JA.values())} のいずれか）",
            )
        if self.check not in CHECK_SCHEMES:
            raise KioskError(
                f"unknown check digit scheme {self.check!r}: use one of {', '.join(CHECK_SCHEMES)}",
                f"チェックデジット方式「{self.check}」は使えません（{'・'.join(CHECK_SCHEMES)} のいずれか）",
            )
        if self.check == "mod16" and self.symbology != "nw7":
            raise KioskError(
                f"check scheme mod16 is Codabar's own and needs symbology nw7, not {self.symbology}",
                "モジュラス16 は NW-7 専用のチェック方式です。バーコードの種類を NW-7 にしてください",
            )
        for role, char in (("start", self.start), ("stop", self.stop)):
            if not (isinstance(char, str) and len(char) == 1 and char in CODABAR_START_STOP):
                raise KioskError(
                    f"NW-7 {role} character must be one of A, B, C, D, not {char!r}",
                    f"NW-7 の{'スタート' if role == 'start' else 'ストップ'}キャラクタは A・B・C・D のいずれかです（「{char}」）",
                )
        if isinstance(self.width, bool) or not isinstance(self.width, int) or not 1 <= self.width <= 20:
            raise KioskError(
                f"item number width must be a whole number from 1 to 20, not {self.width!r}",
                f"登録番号の桁数は 1〜20 で指定してください（{self.width!r}）",
            )
        self._check_prefix()

    def _check_prefix(self) -> None:
        if not isinstance(self.prefix, str) or not is_prefix_letters(self.prefix):
            raise KioskError(
                f"item barcode prefix must be 0 to {MAX_PREFIX} capital letters A-Z, not {self.prefix!r}",
                f"バーコードの前につける文字は英大文字（A〜Z）{MAX_PREFIX}文字までです（「{self.prefix}」）",
            )
        if self.prefix and self.symbology != "code39":
            raise KioskError(
                f"an item barcode prefix ({self.prefix!r}) needs symbology code39, not {self.symbology}",
                f"バーコードの前につける文字（{self.prefix}）は Code 39 のときだけ使えます。種類を Code 39 にするか、文字を空にしてください",
            )

    @classmethod
    def from_stored(cls, values: dict) -> "ItemCodeSettings":
        return cls(**section_values(cls, values, "本のバーコード"))

    def to_stored(self) -> dict:
        """Without ``prefix`` when there is none: the document earlier versions stored and read."""
        stored = stored_form(self)
        if not stored["prefix"]:
            del stored["prefix"]
        return stored


def is_prefix_letters(text: str) -> bool:
    """0 to MAX_PREFIX capital ASCII letters: what Code 39 labels may carry before the digits."""
    return len(text) <= MAX_PREFIX and all("A" <= c <= "Z" for c in text)


def check_character(digits: str, scheme: str) -> str:
    """The check character for ``digits`` under ``scheme`` ("" for ``none``).

    For ``mod16`` pass the whole Codabar data including start/stop, e.g. ``"A01234B"``.
    """
    if scheme == "none":
        return ""
    if scheme == "mod16":
        try:
            total = sum(_CODABAR_VALUES[c] for c in digits.upper())
        except KeyError:
            raise _not_digits(digits) from None
        return _CODABAR_CHARACTERS[-total % 16]
    if not digits.isascii() or not digits.isdigit():
        raise _not_digits(digits)
    if scheme == "mod10w3":
        total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
        return str(-total % 10)
    if scheme == "m10w21":
        products = (int(d) * (2 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
        return str(-sum(p // 10 + p % 10 for p in products) % 10)
    if scheme == "mod11":
        remainder = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits))) % 11
        return "0" if remainder <= 1 else str(11 - remainder)
    if scheme == "7dr":
        return str(int(digits) % 7)
    if scheme == "7dsr":
        return str(7 - int(digits) % 7)
    raise KioskError(
        f"unknown check digit scheme {scheme!r}: use one of {', '.join(CHECK_SCHEMES)}",
        f"チェックデジット方式「{scheme}」は使えません",
    )


def encode_item_number(number: int, settings: ItemCodeSettings) -> str:
    """The exact data string the copy's barcode carries (NW-7: with start/stop)."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise KioskError(
            f"registration number must be a whole number 0 or more, not {number!r}",
            f"登録番号は 0 以上の整数です（{number!r}）",
        )
    digits = str(number).zfill(settings.width)
    if len(digits) > settings.width:
        raise KioskError(
            f"registration number {number} has {len(digits)} digits, more than the barcode width {settings.width}",
            f"登録番号 {number} は {len(digits)} 桁で、バーコードの桁数（{settings.width} 桁）を超えています。設定の桁数を増やしてください",
        )
    if settings.symbology != "nw7":
        return settings.prefix + digits + check_character(digits, settings.check)
    if settings.check == "mod16":
        check = check_character(settings.start + digits + settings.stop, "mod16")
    else:
        check = check_character(digits, settings.check)
    return settings.start + digits + check + settings.stop


def decode_item_code(text: str, settings: ItemCodeSettings) -> int:
    """The registration number in a scanned item barcode, or KioskError.

    Accepts what scanners really send: NW-7 with or without its start/stop characters
    (A–D or the T/N/*/E variant, either case), full-width characters, surrounding spaces.
    """
    code = unicodedata.normalize("NFKC", text).strip().upper()
    start, stop = settings.start, settings.stop
    if settings.symbology == "nw7" and len(code) >= 2 and _is_start_stop(code[0]) and _is_start_stop(code[-1]):
        start, stop = _start_stop(code[0]), _start_stop(code[-1])
        code = code[1:-1]
        if (start, stop) != (settings.start, settings.stop):
            raise KioskError(
                f"{text!r} has NW-7 start/stop {start}…{stop}, but this library's item barcodes use {settings.start}…{settings.stop}",
                f"このバーコードのスタート/ストップ（{start}…{stop}）は、この図書館の蔵書バーコード（{settings.start}…{settings.stop}）と違います",
            )
    if settings.prefix:
        code = _without_prefix(code, text, settings.prefix)
    check_length = 0 if settings.check == "none" else 1
    digits, check = code[: settings.width], code[settings.width :]
    if len(code) != settings.width + check_length or not (digits.isascii() and digits.isdigit()):
        raise KioskError(
            f"{text!r} is not an item barcode: expected {settings.width} digits"
            + (" and a check character" if check_length else ""),
            f"「{text}」は蔵書バーコードではありません（{settings.width} 桁の番号"
            + ("＋チェックデジット" if check_length else "")
            + "）",
        )
    if settings.check == "mod16":
        expected = check_character(start + digits + stop, "mod16")
    else:
        expected = check_character(digits, settings.check)
    if check != expected:
        raise KioskError(
            f"item barcode {text!r} has check character {check!r}, expected {expected!r} ({settings.check}): "
            "probably a misread, scan again (or the check scheme in settings does not match the labels)",
            f"蔵書バーコード「{text}」のチェックデジットが合いません（{expected} のはず）。"
            "もう一度スキャンしてください。続く場合は設定のチェック方式がラベルと合っているか確認してください",
        )
    return int(digits)


def _without_prefix(code: str, text: str, prefix: str) -> str:
    if not code.startswith(prefix):
        raise KioskError(
            f"{text!r} does not begin with this library's item barcode prefix {prefix!r}",
            f"「{text}」はこの図書館の蔵書バーコード（{prefix} で始まる）ではありません",
        )
    return code[len(prefix):]


def _is_start_stop(char: str) -> bool:
    return char in CODABAR_START_STOP or char in _ALTERNATE_START_STOP


def _start_stop(char: str) -> str:
    return _ALTERNATE_START_STOP.get(char, char)


def _not_digits(digits: str) -> KioskError:
    return KioskError(
        f"cannot compute a check character for {digits!r}: digits only (mod16: Codabar characters)",
        f"「{digits}」のチェックデジットは計算できません（数字のみ）",
    )
