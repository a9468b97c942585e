"""ISBN-10 and ISBN-13: normalising, check digits and conversion.

Written by hand: it is twenty lines of arithmetic, and the kiosk needs the *reason* a code
is wrong (a check digit that does not match usually means a misread), which general ISBN
libraries do not report.
"""

import unicodedata

from kiosk.errors import KioskError


class InvalidISBN(KioskError):
    """Not an ISBN, or an ISBN whose check digit does not match."""


def _clean(text: str) -> str:
    """NFKC (full-width digits from an IME), then drop hyphens and spaces."""
    text = unicodedata.normalize("NFKC", text).strip().upper()
    return text.replace("-", "").replace(" ", "").replace("\u2010", "").replace("\u2212", "")


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn10_check_digit(first9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


def to_isbn13(text: str) -> str:
    """The ISBN-13 for ``text`` (an ISBN-10 or ISBN-13, hyphens allowed), or InvalidISBN."""
    code = _clean(text)
    if len(code) == 13 and code.isdigit():
        if not code.startswith(("978", "979")):
            raise InvalidISBN(
                f"{code!r} is an EAN-13 but not an ISBN (ISBNs start with 978 or 979)",
                f"{code} はISBNではありません（ISBNは978か979で始まります）",
            )
        expected = isbn13_check_digit(code[:12])
        if code[12] != expected:
            raise _bad_check_digit(code, expected)
        return code
    if len(code) == 10 and code[:9].isdigit() and (code[9].isdigit() or code[9] == "X"):
        expected = isbn10_check_digit(code[:9])
        if code[9] != expected:
            raise _bad_check_digit(code, expected)
        body = "978" + code[:9]
        return body + isbn13_check_digit(body)
    raise InvalidISBN(
        f"{text!r} is not an ISBN: expected 10 or 13 digits (ISBN-10 may end in X)",
        f"「{text}」はISBNではありません（10桁または13桁の数字）",
    )


def to_isbn10(isbn13: str) -> str | None:
    """The ISBN-10 of a 978 ISBN-13; None for 979 (which has no ISBN-10)."""
    code = to_isbn13(isbn13)
    if not code.startswith("978"):
        return None
    return code[3:12] + isbn10_check_digit(code[3:12])


def _bad_check_digit(code: str, expected: str) -> InvalidISBN:
    return InvalidISBN(
        f"ISBN {code} has check digit {code[-1]}, expected {expected}: probably a misread, scan again",
        f"ISBN {code} のチェックデジットが合いません（{expected} のはず）。読み取りミスの可能性があります。もう一度スキャンしてください",
    )
