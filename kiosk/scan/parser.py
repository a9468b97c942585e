"""The one scan parser: what a scanned string is.

Everything a scanner (or a person at the keyboard) can send at delivery goes through
``parse_scan``: the book's ISBN (13 or 10 digits), its second barcode (``192`` + C-code +
list price), magazine codes (JAN ``491…``, ISSN ``977…``), the kiosk's own item barcodes
(登録番号) and anything else. It is pure and fast (no I/O, no clock): the USB reader, the
keyboard-wedge page and ``kiosk parse`` all call it.

Before matching, the received text is cleaned the way scanners and IMEs garble it:
terminators (CR, LF, Tab) dropped, NFKC (full-width digits from an IME in 全角 mode), the
configured prefix/suffix stripped, an AIM symbology identifier (``]E0``, ``]F0``, …)
taken off and kept, hyphens and spaces (and the IME's ``ー`` for ``-``) ignored.

Order of recognition, where codes could collide: NW-7 start/stop letters or an AIM Codabar
identifier mean an item barcode; 13 digits with a book or magazine prefix (978/979, 192,
491, 977), optionally followed by a 2- or 5-digit add-on, are EAN codes; then the
library's item barcode format; then ISBN-10; then plain ISSN text; the rest is unknown.

A screen that finds a copy (本をさがす, the weeding list) reads what was typed or scanned
with ``read_copy_number``: that copy's registration number, or a refusal with the reason,
never another copy's number (the rule is in docs/scanner.md).
"""

import unicodedata
from dataclasses import dataclass, field

from kiosk.errors import KioskError
from kiosk.codes.isbn import InvalidISBN, to_isbn13
from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.scanner_settings import ScannerSettings
from kiosk.codes.ccode import CCode, _decode as _c_code
from kiosk.codes.isbn import isbn10_check_digit, isbn13_check_digit as ean13_check_digit
from kiosk.codes.issn import issn_check_digit

KINDS = ("isbn", "price_code", "magazine", "item", "unknown")
_TERMINATORS = "\r\n\t"
_IGNORED = str.maketrans("", "", "- \u2010\u2011\u2012\u2013\u2212\u30fc\uff70")
_NW7_START_STOP = frozenset("ABCDTN*E")
_SHOWN_CHARACTERS = 120


@dataclass(frozen=True)
class ScanSettings:
    """How this kiosk's scanners are configured (prefix/suffix) and its item labels look."""

    prefix: str = ""
    suffix: str = ""
    item: ItemCodeSettings = field(default_factory=ItemCodeSettings)

    def __post_init__(self):
        for name in ("prefix", "suffix"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise KioskError(
                    f"scanner {name} must be text, not {value!r}",
                    f"スキャナの{'プレフィックス' if name == 'prefix' else 'サフィックス'}は文字列で指定してください",
                )
            object.__setattr__(self, name, unicodedata.normalize("NFKC", value))

    @classmethod
    def of(cls, scanner: ScannerSettings, item: ItemCodeSettings) -> "ScanSettings":
        """What the parser needs from a library's scanner and item-code settings."""
        return cls(prefix=scanner.prefix, suffix=scanner.suffix, item=item)


DEFAULT_SETTINGS = ScanSettings()


@dataclass(frozen=True)
class Scan:
    """What one scanned string is. ``error`` set means rejected (``kiosk parse`` exits 2)."""

    kind: str
    text: str
    symbology: str | None = None
    isbn13: str | None = None
    isbn10: str | None = None
    list_price: int | None = None
    c_code: CCode | None = None
    number: int | None = None
    ean: str | None = None
    issn: str | None = None
    error: str | None = None
    error_ja: str | None = None

    @property
    def rejected(self) -> bool:
        return self.error is not None

    def raise_for_error(self) -> None:
        """Raise the rejection as a KioskError (the CLI turns it into exit 2 + stderr)."""
        if self.error is not None:
            raise KioskError(self.error, self.error_ja)

    def to_json(self) -> dict:
        """The ``kiosk parse CODE --json`` shape, with only the keys that apply."""
        out: dict = {"kind": self.kind}
        if self.kind == "isbn" and self.isbn13 is not None:
            out["isbn13"] = self.isbn13
            out["isbn10"] = self.isbn10
        elif self.kind == "price_code" and self.c_code is not None:
            out["list_price"] = self.list_price
            out["c_code"] = self.c_code.to_json()
        elif self.kind == "item" and self.number is not None:
            out["number"] = self.number
        if self.error is not None:
            out["error"] = self.error
        return out


def parse_scan(text: str, settings: ScanSettings = DEFAULT_SETTINGS) -> Scan:
    """Recognise one scanned string. Never raises for bad input: a rejection is a Scan."""
    cleaned, symbology = clean_scan(text, settings)
    codabar = cleaned.replace(" ", "").upper()  # keeps "-", a Codabar character
    if (symbology and symbology[1] == "F") or _has_nw7_start_stop(codabar) or _is_mod16_item(codabar, settings.item):
        return _item(codabar, symbology, settings.item)
    code = cleaned.translate(_IGNORED).upper().removeprefix("ISBN")
    if not code:
        return _unknown(cleaned, symbology, "nothing was scanned", "何も読み取れませんでした")
    if settings.item.prefix and code.startswith(settings.item.prefix):  # a Code 39 label with letters first
        return _item(code, symbology, settings.item)
    if _looks_like_issn(cleaned):
        return _issn_text(cleaned, code.removeprefix("ISSN"), symbology)
    if code.isdigit() and code.isascii():
        return _digits(text, cleaned, code, symbology, settings.item)
    if len(code) == 10 and code[9] == "X" and code[:9].isdigit() and code[:9].isascii():
        return _isbn(cleaned, code, symbology)
    return _unknown(
        cleaned, symbology,
        f"not a book barcode: received {escape_received(text)}",
        f"本のバーコードではありません（受信: {escape_received(text)}）",
    )


def read_copy_number(text: str, settings: ScanSettings = DEFAULT_SETTINGS, *, typed: bool = False) -> int:
    """The registration number (登録番号) a code names, or KioskError saying why not.

    A scanner sends the whole item barcode: this library's start/stop letters (or none, when
    the scanner drops them), the number zero-padded to the width, and the check character,
    which must verify. ``typed``: a person typed it (the number field, the keypad), so a
    plain number shorter than the width and not starting with 0 is that number ("51"). What
    could be a barcode missing characters (a typed number of the full width, or one starting
    with 0; from a scanner, anything short) is refused: it might name another copy.
    """
    item = settings.item
    full = item.width + (item.check != "none")
    cleaned, symbology = clean_scan(text, settings)
    digits = cleaned.replace(" ", "")  # not "-": a mod16 label's check character
    if symbology is None and digits.isascii() and digits.isdigit() and len(digits) < full:
        return _short_number(cleaned, digits, item, full, typed)
    scan = parse_scan(text, settings)
    if scan.kind == "item":
        scan.raise_for_error()
        return scan.number
    if scan.kind == "isbn":
        raise KioskError(
            f"{escape_received(cleaned)} is a book's ISBN, not a registration number: scan the library's label",
            f"「{cleaned}」は本の ISBN で、この図書館の本のバーコード（登録番号）ではありません。"
            "背や表紙の図書館のラベルをスキャンしてください",
        )
    raise KioskError(
        f"{escape_received(cleaned)} is not one of this library's item barcodes or a registration number",
        f"「{escape_received(cleaned)[1:-1]}」はこの図書館の本のバーコード（登録番号）ではありません",
    )


def _short_number(cleaned, digits, item, full, typed) -> int:
    """Fewer digits than an item barcode: a number typed by hand, or part of a barcode."""
    if not typed:
        raise KioskError(
            f"item barcodes have {full} digits, only {len(digits)} arrived ({digits}): the scan was cut, scan again",
            f"蔵書バーコードは {full} 桁ですが、{len(digits)} 桁（{digits}）しか届きませんでした。"
            "読み取りが途切れたようです。もう一度スキャンしてください",
        )
    if digits[0] == "0":
        raise KioskError(
            f"{digits} starts with 0 but is shorter than an item barcode ({full} digits): it may be part of one; "
            "scan it again, or type the registration number without leading zeros",
            f"「{digits}」は 0 で始まりますが、蔵書バーコード（{full} 桁）より短いため、どの本か決められません。"
            "バーコードならもう一度スキャンしてください。手で入力するときは、先頭の 0 を付けずに登録番号だけを入力してください",
        )
    if len(digits) == item.width:  # and a check character is missing: a barcode cut by one?
        raise KioskError(
            f"{digits} has {item.width} digits, one short of an item barcode ({full}): it may be one missing a "
            "character; scan it again, or type every character printed under the barcode",
            f"「{digits}」は {item.width} 桁で、蔵書バーコード（{full} 桁）の 1 文字が欠けたものかもしれないため、"
            "どの本か決められません。もう一度スキャンするか、バーコードの下の文字をすべて入力してください",
        )
    return int(digits)


def clean_scan(text: str, settings: ScanSettings = DEFAULT_SETTINGS) -> tuple[str, str | None]:
    """Text without terminators, prefix/suffix and AIM identifier; and that identifier."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.strip(_TERMINATORS)
    if settings.prefix and text.startswith(settings.prefix):
        text = text[len(settings.prefix):]
    if settings.suffix and text.endswith(settings.suffix):
        text = text[: -len(settings.suffix)]
    text = text.strip()
    symbology = None
    if len(text) >= 3 and text[0] == "]" and text[1].isalpha():
        symbology, text = text[:3], text[3:]
    return text, symbology


def escape_received(text: str) -> str:
    """What was received, quoted, with control characters visible (\\r, \\x1b, …)."""
    shown = text if len(text) <= _SHOWN_CHARACTERS else text[:_SHOWN_CHARACTERS] + "…"
    return "'" + "".join(c if c.isprintable() else _escape_character(c) for c in shown) + "'"


def _escape_character(c: str) -> str:
    special = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}
    if c in special:
        return special[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def _digits(text, cleaned, code, symbology, item_settings) -> Scan:
    n = len(code)
    if n in (13, 15, 18) and code[:3] in _EAN_PREFIXES:
        return _EAN_PREFIXES[code[:3]](cleaned, code[:13], symbology)
    if n == item_settings.width + (item_settings.check != "none"):
        scan = _item(code, symbology, item_settings)
        if not scan.rejected or n != 10:
            return scan
    if n == 10:
        return _isbn(cleaned, code, symbology)
    if n == 13:
        return _unknown(
            cleaned, symbology,
            f"{code} is a product barcode (JAN/EAN-13), not a book's: scan the barcode starting 978 or 979",
            f"{code} は商品のバーコード（JAN）で、本のバーコードではありません。978 か 979 で始まるバーコードをスキャンしてください",
        )
    return _unknown(
        cleaned, symbology,
        f"not a book barcode: received {escape_received(text)} ({n} digit{'s' if n > 1 else ''})",
        f"本のバーコードではありません（受信: {escape_received(text)}、{n} 桁）",
    )


def _isbn(cleaned, code, symbology) -> Scan:
    """13 digits (978/979) or 10 (last may be X). Errors worded by ``kiosk.codes.isbn``."""
    if len(code) == 13 and code[12] == ean13_check_digit(code[:12]):
        isbn13 = code
    elif len(code) == 10 and code[9] == isbn10_check_digit(code[:9]):
        isbn13 = "978" + code[:9] + ean13_check_digit("978" + code[:9])
    else:
        try:
            to_isbn13(code)
        except InvalidISBN as error:
            return Scan("isbn", cleaned, symbology, error=str(error), error_ja=error.ja)
        raise AssertionError(f"{code} passed kiosk.codes.isbn but not the parser's check")  # pragma: no cover
    isbn10 = isbn13[3:12] + isbn10_check_digit(isbn13[3:12]) if isbn13.startswith("978") else None
    return Scan("isbn", cleaned, symbology, isbn13=isbn13, isbn10=isbn10)


def _price_code(cleaned, ean, symbology) -> Scan:
    """``192`` + C-code (4) + list price without tax (5) + EAN check digit."""
    expected = ean13_check_digit(ean[:12])
    if ean[12] != expected:
        return Scan(
            "price_code", cleaned, symbology, ean=ean,
            error=f"price barcode {ean} has check digit {ean[12]}, expected {expected}: probably a misread, scan again",
            error_ja=f"価格バーコード {ean} のチェックデジットが合いません（{expected} のはず）。読み取りミスの可能性があります。もう一度スキャンしてください",
        )
    return Scan("price_code", cleaned, symbology, list_price=int(ean[7:12]), c_code=_c_code(ean[3:7]), ean=ean)


def _magazine_jan(cleaned, ean, symbology) -> Scan:
    """定期刊行物コード（雑誌）: ``491`` + magazine code + issue + check (add-on: price)."""
    return _checked_magazine(cleaned, ean, symbology, issn=None)


def _magazine_issn(cleaned, ean, symbology) -> Scan:
    """ISSN as EAN-13: ``977`` + ISSN's first 7 digits + 2 variant digits + check."""
    issn = ean[3:10] + issn_check_digit(ean[3:10])
    return _checked_magazine(cleaned, ean, symbology, issn=f"{issn[:4]}-{issn[4:]}")


def _checked_magazine(cleaned, ean, symbology, issn) -> Scan:
    expected = ean13_check_digit(ean[:12])
    if ean[12] != expected:
        return Scan(
            "magazine", cleaned, symbology, ean=ean,
            error=f"magazine barcode {ean} has check digit {ean[12]}, expected {expected}: probably a misread, scan again",
            error_ja=f"雑誌のバーコード {ean} のチェックデジットが合いません（{expected} のはず）。もう一度スキャンしてください",
        )
    return Scan("magazine", cleaned, symbology, ean=ean, issn=issn)


def _issn_text(cleaned, issn, symbology) -> Scan:
    expected = issn_check_digit(issn[:7])
    if issn[7] != expected:
        return Scan(
            "magazine", cleaned, symbology,
            error=f"ISSN {issn[:4]}-{issn[4:]} has check digit {issn[7]}, expected {expected}: check the number",
            error_ja=f"ISSN {issn[:4]}-{issn[4:]} のチェックデジットが合いません（{expected} のはず）。番号を確かめてください",
        )
    return Scan("magazine", cleaned, symbology, issn=f"{issn[:4]}-{issn[4:]}")


def _item(code, symbology, item_settings) -> Scan:
    try:
        number = decode_item_code(code, item_settings)
    except KioskError as error:
        return Scan("item", code, symbology, error=str(error), error_ja=error.ja)
    return Scan("item", code, symbology, number=number)


def _unknown(cleaned, symbology, error, error_ja) -> Scan:
    return Scan("unknown", cleaned, symbology, error=error, error_ja=error_ja)


def _looks_like_issn(cleaned: str) -> bool:
    """``0317-8471`` or ``ISSN 0317-8471``: typed, since the barcode form is 977…."""
    issn = cleaned.upper().removeprefix("ISSN").strip()
    return (
        len(issn) == 9
        and issn[4] == "-"
        and (issn[:4] + issn[5:8]).isdigit()
        and (issn[8].isdigit() or issn[8] == "X")
        and issn.isascii()
    )


def _has_nw7_start_stop(code: str) -> bool:
    return (
        len(code) >= 3
        and code[0] in _NW7_START_STOP
        and code[-1] in _NW7_START_STOP
        and code[1:-1].rstrip("-$:/.+").isdigit()
    )


def _is_mod16_item(code: str, item_settings: ItemCodeSettings) -> bool:
    """An NW-7 mod16 label read without start/stop: its check may be ``-$:/.+``."""
    return (
        item_settings.check == "mod16"
        and len(code) == item_settings.width + 1
        and code[-1] in "-$:/.+"
        and code[:-1].isdigit()
    )


_EAN_PREFIXES = {
    "978": _isbn,
    "979": _isbn,
    "192": _price_code,
    "491": _magazine_jan,
    "977": _magazine_issn,
}
