"""Reading the text files schools are sent: delivery slips and catalogues, as CSV/TSV saved by
a spreadsheet in UTF-8 (with or without BOM) or in Shift_JIS as Windows writes it (CP932)."""

import re

from kiosk.errors import KioskError

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\t\n\r]+")


class UnreadableFile(KioskError):
    """A file whose bytes are in no encoding the kiosk accepts."""


def decode_japanese_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else CP932 (Shift_JIS with
    ①, ㈱ and the NEC/IBM extensions). Anything else is refused, not guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise _undecodable(data[3:], error) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:  # a broken UTF-16 file: refused like any other
            raise _undecodable(data, error) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp932"), "cp932"
        except UnicodeDecodeError:
            raise _undecodable(data, utf8_error) from None


def _undecodable(data: bytes, error: UnicodeDecodeError) -> UnreadableFile:
    line = data[: error.start].count(b"\n") + 1
    return UnreadableFile(
        f"the file is neither UTF-8 nor Shift_JIS (CP932): bad bytes on line {line}",
        f"ファイルの文字コードがUTF-8でもShift_JISでもありません（{line}行目）。"
        "表計算ソフトでUTF-8のCSVとして保存し直してください")


def without_controls(cell: str) -> str:
    """A cell's text without control characters: PostgreSQL refuses NUL in text (a NUL in a
    slip's 伝票番号 was a 500 on PostgreSQL), and none of them shows on a screen or in the
    ledger. Line breaks and tabs inside a quoted cell become one space."""
    return _CONTROLS.sub("", _BREAKS.sub(" ", cell))
